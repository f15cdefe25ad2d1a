"""Twenty people at once: concurrent sessions against a real `streamlit run app.py`.

Each session is a websocket client speaking Streamlit's own protocol (the protobuf
BackMsg/ForwardMsg messages the browser sends and receives), so twenty of them cost the
test almost nothing and the server does exactly the work twenty browsers would make it
do: run the app, accept an upload over HTTP (with the XSRF cookie and header), rerun
with the uploader's new value, draw every element. The browser tests cover what a real
Chromium shows; this test covers many sessions at once.

Every session uploads a different municipality (distinct unit names and counts) at the
same moment, reads its own figures back from what the server sent (the six headline
metrics, the document's name in the sidebar, the unit names in the chart), then moves
to the Målbörda page and back and checks again, so a document leaking between sessions
would show. The server's resident memory is sampled four times a second: idle (warm),
the peak during the run and after the sessions have gone. The table is printed;
docs/robustness.md keeps the figures.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

import pytest

from goalload.formatting import format_int
from goalload.i18n import label
from goalload.metrics import document_totals
from goalload.read import read_workbook
from goalload.views import HEADLINE_METRICS
from tests.browser.harness import streamlit_process
from tests.conftest import workbook_bytes

pytestmark = pytest.mark.slow

SESSIONS = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUN_TIMEOUT = 240  # seconds for one script run of one session, on two shared cores
TOWNS = ["Alby", "Björkvik", "Dalsjö", "Ekeby", "Forsa", "Granby", "Hällsjö", "Ingelsta",
         "Järvsö", "Kvarnby", "Lövnäs", "Mossby", "Norrvik", "Ormsta", "Pilsbo", "Råby",
         "Sandvik", "Tallby", "Ulvsta", "Vretby", "Åsby", "Örby"]
COMMITTEES = ["Socialnämnden", "Tekniska nämnden", "Kultur- och fritidsnämnden",
              "Barn- och utbildningsnämnden"]
AREAS = ["Utbildning", "Trygghet", "Ekonomi"]
# While the sessions run the server may use this much more than when idle; once they
# are gone it must be back within AFTER_ABOVE_IDLE_MB of idle (Python keeps some).
PEAK_ABOVE_IDLE_MB = 1500
AFTER_ABOVE_IDLE_MB = 400
WAVE_GROWTH_MB = 60  # a second wave of twenty may leave at most this much more behind


@dataclass
class Municipality:
    town: str
    file: str
    data: bytes
    expected: dict[str, str]  # metric label -> value as the page shows it
    units: set[str]
    seen: dict[str, float] = field(default_factory=dict)


def municipality(index: int) -> Municipality:
    """A small document in the hierarchy layout; its counts differ for every index."""
    town = TOWNS[index]
    committees = [f"{c} i {town}" for c in COMMITTEES[: 2 + index % 3]]
    rows: list[list[object]] = [[f"{town} kommun – Mål och budget 2025"], [],
                                ["Målområde", "KF-mål", "Nämndmål", "Ansvarig nämnd", "Indikator",
                                 "Målvärde", "Uppföljning"]]
    for k, area in enumerate(AREAS[: 1 + index % 3]):
        council = f"{area}: {town} ska vara bäst i länet ({k + 1})"
        for j, committee in enumerate(committees):
            for g in range(1 + (index + j) % 3):
                goal = f"{committee} bidrar till {area.lower()} genom mål {g + 1}"
                for n in range(1 + (index + g) % 2):
                    rows.append([area, council, goal, committee,
                                 f"Andel nöjda {n + 1} ({committee})", "80",
                                 ["Månad", "Kvartal", "År"][(index + n) % 3]])
    for extra in range(index + 1):  # so that every session's counts differ
        rows.append([AREAS[0], f"{AREAS[0]}: {town} ska vara bäst i länet (1)",
                     f"Extra mål {extra + 1} för {town}", committees[0],
                     f"Extra indikator {extra + 1}", "5", "År"])
    data = workbook_bytes({"Mål 2025": rows})
    name = f"{town.lower()}_mal_2025.xlsx"
    doc = read_workbook(data, name)
    assert [f for f in doc.findings if f.severity == "error"] == []
    totals = document_totals(doc)
    expected = {label("metric", key, "sv"): format_int(totals.get(key, 0), "sv")
                for key in HEADLINE_METRICS}
    return Municipality(town, name, data, expected, set(doc.units["name"].to_list()))


# ------------------------------------------------------------------ the server ------------

def rss_mb(pid: int) -> float:
    """Resident memory of a process (psutil is not needed for one number)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """Samples the server's RSS four times a second under the current `phase`."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.phase, self.samples = pid, "start", []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.samples.append((self.phase, rss_mb(self.pid)))
            except OSError:
                return
            time.sleep(0.25)

    def values(self, phase: str) -> list[float]:
        return [mb for p, mb in self.samples if p == phase]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` with the project's config, on a free loopback port."""
    log_path = tmp_path_factory.mktemp("load") / "server.log"
    options = (
        # Closed sessions are dropped after 5 s instead of 120 s, so "after" is measurable.
        "--server.disconnectedSessionTTL", "5",
    )  # fmt: skip
    with streamlit_process(log_path, options=options, startup_timeout=120) as (url, process):
        yield url, process.pid, log_path


# ------------------------------------------------------------------ one session -----------

@dataclass
class Run:
    """What the server sent during one script run."""

    metrics: dict[str, str] = field(default_factory=dict)
    sidebar: list[str] = field(default_factory=list)  # its text, the name field's value
    main: list[str] = field(default_factory=list)  # the page's Markdown (heading: the name)
    alerts: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # the text in each plotly chart's data
    exceptions: list[str] = field(default_factory=list)
    uploader_id: str | None = None


def chart_text(spec: str) -> str:
    """Every string in a plotly figure's traces (unit names on the axes, hover text)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(spec).get("data", []))
    return " | ".join(found)


def plain(markdown: str) -> str:
    """The app escapes Markdown in what it writes (user text is never markup)."""
    return re.sub(r"\\(.)", r"\1", markdown)


class Session:
    """One Streamlit session over a websocket, as the browser's frontend runs it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.widgets: list = []
        self.ws = None
        self.xsrf = ""

    async def open(self) -> Run:
        from websockets.asyncio.client import connect

        self.xsrf = await asyncio.to_thread(self._xsrf_cookie)
        self.ws = await connect(
            self.url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={"Cookie": f"_streamlit_xsrf={self.xsrf}"},
            origin=self.url,
            max_size=None,
        )
        return await self.rerun()

    def _xsrf_cookie(self) -> str:
        """The XSRF cookie, as the frontend gets it: from the health endpoint it polls."""
        with urllib.request.urlopen(self.url + "/_stcore/health", timeout=60) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
        found = [m.group(1) for c in cookies if (m := re.match(r"_streamlit_xsrf=([^;]+)", c))]
        assert found, f"no XSRF cookie from the server: {cookies}"
        return found[0]

    async def rerun(self, page: str = "") -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.pages.get(page, "")
        msg.rerun_script.widget_states.widgets.extend(self.widgets)
        await self.ws.send(msg.SerializeToString())
        return await self._until_finished()

    async def _until_finished(self) -> Run:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        run = Run()
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash
                              for p in msg.navigation.app_pages}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg, run)
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run = Run()
                    continue
                return run

    @staticmethod
    def _element(msg, run: Run) -> None:
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        in_sidebar = list(msg.metadata.delta_path)[:1] == [1]
        if which == "metric":
            run.metrics[element.metric.label] = element.metric.body
        elif which == "markdown":
            (run.sidebar if in_sidebar else run.main).append(plain(element.markdown.body))
        elif which == "text_input" and in_sidebar:  # the document's (editable) name
            box = element.text_input
            run.sidebar.append(box.value if box.set_value else box.default)
        elif which == "alert":
            run.alerts.append(plain(element.alert.body))
        elif which == "plotly_chart":
            run.charts.append(chart_text(element.plotly_chart.spec))
        elif which == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif which == "file_uploader":
            run.uploader_id = element.file_uploader.id

    async def upload(self, uploader_id: str, name: str, data: bytes) -> Run:
        """Ask for an upload URL, PUT the file there, rerun with the uploader's value."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self.ws.send(request.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT))
            if (msg.WhichOneof("type") == "file_urls_response"
                    and msg.file_urls_response.response_id == request.file_urls_request.request_id):
                urls = msg.file_urls_response.file_urls[0]
                break
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        state = WidgetState(id=uploader_id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.file_id = urls.file_id
        info.file_urls.upload_url = urls.upload_url
        info.file_urls.delete_url = urls.delete_url
        self.widgets = [state]
        return await self.rerun()

    def _put(self, path: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: {XLSX}\r\n\r\n').encode() + data + (
                f"\r\n--{boundary}--\r\n").encode()
        request = urllib.request.Request(
            self.url + path, data=body, method="PUT",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "X-Xsrftoken": self.xsrf, "Cookie": f"_streamlit_xsrf={self.xsrf}",
                     "Origin": self.url})
        with urllib.request.urlopen(request, timeout=RUN_TIMEOUT) as response:
            assert response.status == 204

    async def close(self) -> None:
        await self.ws.close()


def check_own(run: Run, muni: Municipality, others: set[str]) -> None:
    """The run drew this session's document and nothing of any other session's."""
    assert run.exceptions == [], run.exceptions
    assert run.metrics == muni.expected, muni.town
    assert any(f"{muni.town} kommun" in text for text in run.sidebar + run.main), run.sidebar
    drawn = " ".join(run.charts + run.sidebar + run.main)
    assert f"i {muni.town}" in drawn
    leaked = [t for t in others if f"i {t}" in drawn or f"{t} kommun" in drawn]
    assert leaked == [], f"{muni.town} shows {leaked}"


async def one_session(url: str, muni: Municipality, start: asyncio.Event, towns: set[str]):
    session = Session(url)
    began = time.monotonic()
    first = await session.open()
    muni.seen["open_s"] = time.monotonic() - began
    assert first.exceptions == [] and first.uploader_id, first
    await start.wait()  # every session uploads at the same moment
    began = time.monotonic()
    run = await session.upload(first.uploader_id, muni.file, muni.data)
    muni.seen["upload_s"] = time.monotonic() - began
    assert any(muni.file in a and "lästes in" in a for a in run.alerts), run.alerts
    check_own(run, muni, towns - {muni.town})
    return session


async def run_sessions(url: str, munis: list[Municipality], sampler: Sampler | None) -> None:
    towns = {m.town for m in munis}
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_session(url, m, start, towns)) for m in munis]
    while sum(1 for m in munis if "open_s" in m.seen) < len(munis):
        if any(t.done() for t in tasks):  # one failed before the start: let gather raise
            break
        await asyncio.sleep(0.1)
    if sampler is not None:
        sampler.phase = "during"
    start.set()
    sessions = await asyncio.gather(*tasks)

    async def again(session: Session, muni: Municipality) -> None:
        """Everyone has uploaded: to Målbörda and back, and look again."""
        began = time.monotonic()
        elsewhere = await session.rerun("malborda")
        assert elsewhere.exceptions == [] and elsewhere.charts
        drawn = " ".join(elsewhere.charts)
        assert f"i {muni.town}" in drawn
        assert not [t for t in towns - {muni.town} if f"i {t}" in drawn]
        back = await session.rerun("")
        muni.seen["recheck_s"] = time.monotonic() - began
        check_own(back, muni, towns - {muni.town})

    await asyncio.gather(*(again(s, m) for s, m in zip(sessions, munis, strict=True)))
    for session in sessions:
        await session.close()


def test_twenty_sessions_without_cross_talk(server, capsys):
    """Two waves of twenty: the second must not leave the server bigger than the first
    did, which is what "bounded" means for a server that runs for months."""
    url, pid, log_path = server
    sampler = Sampler(pid)
    sampler.start()
    # Warm up: one session runs the app once, so "idle" means every import is done.
    asyncio.run(run_sessions(url, [municipality(SESSIONS + 1)], None))
    time.sleep(8)  # past the 5 s session TTL
    sampler.phase = "idle"
    time.sleep(2)
    idle = max(sampler.values("idle"))
    waves = []
    for wave in (1, 2):
        munis = [municipality(i) for i in range(SESSIONS)]
        assert len({tuple(sorted(m.expected.items())) for m in munis}) == SESSIONS
        began = time.monotonic()
        asyncio.run(run_sessions(url, munis, sampler))
        elapsed = time.monotonic() - began
        peak = max(sampler.values("during"))
        sampler.phase = f"after{wave}"
        time.sleep(10)  # the sessions' TTL passes; their state is dropped
        waves.append((munis, elapsed, peak, sampler.values(f"after{wave}")[-1]))
        sampler.samples = [(p, mb) for p, mb in sampler.samples if p != "during"]
    sampler.stop.set()
    log = log_path.read_text(errors="replace")
    munis, elapsed, peak, after = waves[0]
    goals, indicators = (label("metric", k, "sv") for k in ("goals", "indicators"))
    lines = [
        f"{SESSIONS} concurrent sessions against streamlit run app.py (wave 1: {elapsed:.0f} s)",
        f"{'kommun':<10} {'enheter':>7} {'mål':>5} {'indik.':>6} {'öppna s':>8} "
        f"{'uppladdning s':>13} {'igen s':>7}",
        *(f"{m.town:<10} {len(m.units):>7} {m.expected[goals]:>5} {m.expected[indicators]:>6} "
          f"{m.seen['open_s']:>8.1f} {m.seen['upload_s']:>13.1f} {m.seen['recheck_s']:>7.1f}"
          for m in munis),
        f"server RSS idle (warm): {idle:.0f} MB",
        *(f"wave {i}: {e:.0f} s, peak {p:.0f} MB (+{p - idle:.0f} MB), after {a:.0f} MB "
          f"(+{a - idle:.0f} MB)" for i, (_, e, p, a) in enumerate(waves, start=1)),
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert "Traceback" not in log, log[-3000:]
    assert not re.search(r"\bERROR\b", log), log[-3000:]
    for _, _, peak, after in waves:
        assert peak - idle < PEAK_ABOVE_IDLE_MB
        assert after - idle < AFTER_ABOVE_IDLE_MB
    assert waves[1][3] - waves[0][3] < WAVE_GROWTH_MB, "memory grows with every wave"
