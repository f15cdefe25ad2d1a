"""Session state and shared widgets for app.py and app_pages/ (the only Streamlit glue).

One session's document lives under st.session_state[DOC_KEY]; nothing about a user's
upload is kept at module level, so sessions never see each other's data. Parsing is
cached by file content per session (st.cache_data(scope="session")); tables derived
from the current document are memoised in session state and dropped when it changes.

Session keys (documented here, used nowhere else by name):
- DOC_KEY "doc": the GoalDocument every page shows.
- SOURCE_KEY "doc_source": (file_name, bytes) it was read from, or None for the sample;
  kept so the Data page can read it again with a corrected column mapping.
- LANG_KEY "lang": "sv" | "en", the language selector.
- UPLOAD_KEY "upload": the file uploader widget.
- ERROR_KEY "load_error": the Swedish message of the last failed upload, shown until
  the next successful one; the previous document stays in DOC_KEY meanwhile.
- NOTICE_KEY "load_notice": a one-run confirmation after a successful read.
- "doc_name:<token>", "doc_year:<token>": the sidebar's name and year inputs for the
  document <token>; an edit replaces DOC_KEY's name/year (the token stays, so choices
  kept per token, e.g. the Minska page's scenario, survive a rename).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from goalload.errors import InputError
from goalload.formatting import escape_markdown, format_int
from goalload.i18n import DEFAULT_LANG, LANGUAGES, counted, t
from goalload.model import GoalDocument
from goalload.read import read_workbook

DOC_KEY = "doc"
SOURCE_KEY = "doc_source"
LANG_KEY = "lang"
UPLOAD_KEY = "upload"
ERROR_KEY = "load_error"
NOTICE_KEY = "load_notice"
_TOKEN_KEY = "doc_token"
_DERIVED_KEY = "doc_derived"
_FILE_LABEL_KEY = "doc_file_label"  # (name, year) as read from the file
_AHEAD_KEY = "work_ahead"  # this session's work ahead (`ahead`) not yet finished
NAME_MAX_CHARS = 200
YEAR_RANGE = (1900, 2100)
# Documents with at least this many goals get their overlap and recommendations computed
# in the background right after they are shown (the large city's take about 10 s); for
# smaller ones computing them on the first visit of Överlapp or Minska is quick enough.
PREFETCH_MIN_GOALS = 1_000

UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
ROOT = Path(__file__).resolve().parent
SAMPLE_PATHS = (
    ROOT / "sample_data" / "exempelkommun.xlsx",
    # Until the generated sample exists, the layout example next to the repository.
    ROOT.parent / "shared" / "examples" / "flat_export_example.xlsx",
)
TABLE_STATIC_ROWS = 30
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

log = logging.getLogger("goalload.app")


def lang() -> str:
    return st.session_state.get(LANG_KEY, DEFAULT_LANG)


def tr(key: str, **values: object) -> str:
    """t() in the session's language."""
    return t(key, lang(), **values)


def sample_path() -> Path:
    return next((p for p in SAMPLE_PATHS if p.exists()), SAMPLE_PATHS[0])


def sample_document(path: Path) -> GoalDocument:
    """A workbook shipped with the app (the sample, its earlier year), parsed once for all."""
    return _shared_document(str(path), path.stat().st_mtime)


@st.cache_resource(show_spinner=False, max_entries=2)
def _shared_document(path: str, mtime: float) -> GoalDocument:
    """The sample is the same for everyone, so one parsed copy serves all sessions."""
    return read_workbook(Path(path).read_bytes(), Path(path).name)


def read_cached(data: bytes, file_name: str, mapping: dict | None = None) -> GoalDocument:
    """read_workbook once per file content and mapping in this session (raises InputError)."""
    return _read_cached(data, file_name, _mapping_json(mapping))


def _mapping_json(mapping: dict | None) -> str:
    return json.dumps(mapping or {}, sort_keys=True, ensure_ascii=False)


@st.cache_data(scope="session", max_entries=4, show_spinner=False)
def _read_cached(data: bytes, file_name: str, mapping_json: str) -> GoalDocument:
    """Parse once per file content (and mapping) per session; hashing the bytes is the key."""
    mapping = json.loads(mapping_json) or None
    return read_workbook(data, file_name, mapping=mapping)


def _set_document(doc: GoalDocument, source: tuple[str, bytes] | None, token: str) -> None:
    st.session_state[DOC_KEY] = doc
    st.session_state[_FILE_LABEL_KEY] = (doc.name, doc.year)
    st.session_state[SOURCE_KEY] = source
    st.session_state[_TOKEN_KEY] = token
    _drop_derived()
    _abandon_work_ahead()
    st.session_state.pop(ERROR_KEY, None)


def _drop_derived() -> None:
    """Forget the previous document's tables; its background work not yet started is cancelled."""
    for value in st.session_state.get(_DERIVED_KEY, {}).values():
        if isinstance(value, Future):
            value.cancel()
    st.session_state[_DERIVED_KEY] = {}


def _abandon_work_ahead() -> None:
    """The previous document's work ahead is no longer wanted: it stops at its next pause."""
    for future in st.session_state.pop(_AHEAD_KEY, []):
        abandon(future)


def use_sample() -> None:
    path = sample_path()
    doc = sample_document(path)
    _set_document(doc, None, f"sample:{path}:{path.stat().st_mtime}")


def document() -> GoalDocument:
    """The session's document, the sample until the user uploads one."""
    if DOC_KEY not in st.session_state:
        use_sample()
    return st.session_state[DOC_KEY]


def doc_token() -> str:
    """A short id of the current document (content and mapping), for widget keys."""
    document()
    return hashlib.sha256(st.session_state[_TOKEN_KEY].encode()).hexdigest()[:12]


def rename(name: str, year: int | None) -> None:
    """Show the session's document under another name and year; empty name = the file's.

    Only what is shown changes: the token stays (so do choices kept per token, like the
    Minska page's scenario), while the memoised tables are dropped, since reports and
    slides carry the name.
    """
    doc = document()
    file_name, _ = st.session_state.get(_FILE_LABEL_KEY, (doc.name, doc.year))
    renamed = doc.replace(name=name.strip() or file_name, year=year)
    if (renamed.name, renamed.year) != (doc.name, doc.year):
        st.session_state[DOC_KEY] = renamed
        kept = st.session_state.get(_DERIVED_KEY, {})
        # the analyses do not depend on the name or year: kept
        st.session_state[_DERIVED_KEY] = {k: kept[k] for k, _ in _ANALYSES if k in kept}


def _label_keys() -> tuple[str, str]:
    token = doc_token()
    return f"doc_name:{token}", f"doc_year:{token}"


def _on_label() -> None:
    name_key, year_key = _label_keys()
    year = st.session_state.get(year_key)
    name = (st.session_state.get(name_key) or "").strip()
    rename(name, None if year is None else int(year))
    if not name:  # an emptied field shows the file's name again
        st.session_state[name_key] = document().name


def document_label_inputs(container: Any = st) -> None:
    """The document's name and year in the sidebar, editable for this session."""
    doc = document()
    name_key, year_key = _label_keys()
    low, high = YEAR_RANGE
    container.text_input(
        tr("sidebar.name"),
        value=doc.name,
        max_chars=NAME_MAX_CHARS,
        key=name_key,
        help=tr("sidebar.name_help"),
        on_change=_on_label,
    )
    container.number_input(
        tr("sidebar.year_label"),
        value=doc.year if doc.year is not None and low <= doc.year <= high else None,
        min_value=low,
        max_value=high,
        step=1,
        format="%d",
        key=year_key,
        help=tr("sidebar.year_help"),
        on_change=_on_label,
    )


def current_source() -> tuple[str, bytes]:
    """The file name and bytes the current document was read from (the sample's too)."""
    source = st.session_state.get(SOURCE_KEY)
    if source is not None:
        return source
    path = sample_path()
    return path.name, path.read_bytes()


def is_sample() -> bool:
    return st.session_state.get(SOURCE_KEY) is None


def _where(error: InputError) -> str:
    parts = []
    if error.sheet:
        parts.append(tr("where.sheet", sheet=error.sheet))
    if error.row:
        parts.append(tr("where.row", row=error.row))
    if error.column:
        parts.append(tr("where.column", column=error.column))
    return ", ".join(parts)


def read_into_session(file_name: str, data: bytes, mapping: dict | None = None) -> bool:
    """Read a workbook and make it the session's document; on failure keep the old one.

    Returns whether it worked. A failure leaves a Swedish message under ERROR_KEY.
    """
    mapping_json = _mapping_json(mapping)
    try:
        doc = _read_cached(data, file_name, mapping_json)
    except InputError as error:
        message = error.message
        where = _where(error)
        if where and not all(p in message for p in where.split(", ")):
            message = f"{message} {tr('upload.where', where=where)}"
        st.session_state[ERROR_KEY] = tr("upload.failed", file=file_name, message=message)
        return False
    except Exception:  # a reader bug must not take the session down with a traceback
        log.exception("Unexpected failure reading %s", file_name)
        st.session_state[ERROR_KEY] = tr("upload.unexpected")
        return False
    digest = hashlib.sha256(data).hexdigest()
    _set_document(doc, (file_name, data), f"upload:{digest}:{mapping_json}")
    notice = tr(
        "upload.ok",
        file=file_name,
        units=counted(doc.units.height, "unit", lang()),
        goals=counted(doc.goals.height, "goal", lang()),
        indicators=counted(doc.indicators.height, "indicator", lang()),
    )
    st.session_state[NOTICE_KEY] = notice
    return True


def _on_upload() -> None:
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:  # the user removed the file: keep what is shown
        st.session_state.pop(ERROR_KEY, None)
        return
    read_into_session(uploaded.name, uploaded.getvalue())


def uploader(container: Any = st) -> None:
    """The one upload widget; app.py puts it in the sidebar, the Data page in its body."""
    container.file_uploader(
        tr("upload.label"),
        type=UPLOAD_TYPES,
        key=UPLOAD_KEY,
        help=tr("upload.help"),
        on_change=_on_upload,
    )


def show_messages() -> None:
    """The failed-upload message (until fixed) and a one-run success note, top of the page."""
    error = st.session_state.get(ERROR_KEY)
    if error:
        doc = document()
        st.error(
            escape_markdown(error) + "\n\n" + escape_markdown(tr("upload.kept", name=doc.name))
        )
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice and not error:
        st.success(escape_markdown(notice))
        errors = len(document().errors)
        if errors:
            st.warning(escape_markdown(tr("upload.has_errors", count=format_int(errors, lang()))))


def derived(name: str, compute: Callable[[GoalDocument], Any]) -> Any:
    """compute(doc), memoised for the current document in this session.

    Filters and page switches rerun the script; the tables behind them are computed
    once per document. A value being prefetched in the background is waited for; one
    still queued behind other sessions' work is computed here instead.
    """
    cache = st.session_state.setdefault(_DERIVED_KEY, {})
    if name not in cache:
        cache[name] = compute(document())
    else:
        cache[name] = settle(cache[name], lambda: compute(document()))
    return cache[name]


def settle(value: Any, compute: Callable[[], Any]) -> Any:
    """value; when it is a Future (prefetch, ahead), its result: waited for once the worker
    has it, computed here by compute() while it is still queued or when it failed."""
    if not isinstance(value, Future):
        return value
    value = _settled(value)
    return compute() if value is _MISSING else value


def ahead(compute: Callable[[Callable[[], None]], Any]) -> Future:
    """compute(pause) on the background worker once no page is drawing, for what the user
    is likely to ask for next (Överlapp's neighbouring thresholds); read it with `settle`.

    compute calls pause() between its steps: it waits there while a page is drawn (so the
    page the user asked for is not slowed), and stops there once `abandon` says the work
    is no longer wanted. compute runs outside the script: no st.session_state in it.
    """
    future: Future = Future()
    wanted = threading.Event()
    wanted.set()
    future.wanted = wanted  # type: ignore[attr-defined]

    def pause() -> None:
        _when_no_page_is_drawing()
        if not wanted.is_set():
            raise CancelledError

    def run() -> None:
        _when_no_page_is_drawing()
        if not wanted.is_set() or not future.set_running_or_notify_cancel():
            return  # the page computed it itself meanwhile, or it is no longer wanted
        try:
            future.set_result(compute(pause))
        except Exception as error:  # settle() computes it again, so the page shows the error
            future.set_exception(error)

    _AHEAD.submit(run)
    pending = [f for f in st.session_state.get(_AHEAD_KEY, []) if not f.done()]
    st.session_state[_AHEAD_KEY] = [*pending, future]
    return future


def abandon(value: Any) -> None:
    """Work from `ahead` that is no longer wanted: cancelled while queued, stopped at its
    next pause while running. A later settle() computes it on the page if it is asked for."""
    if isinstance(value, Future):
        value.cancel()
        wanted = getattr(value, "wanted", None)
        if wanted is not None:
            wanted.clear()


_MISSING = object()
# One worker for the whole server: it leaves the other core to the sessions' scripts, and
# a second upload's work waits its turn (or is done by its own script if asked for first).
_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="goalload-prefetch")
# Work ahead (`ahead`) has a worker of its own: it is a nicety, and queued on the one above
# it held up other sessions' analyses (it waits while any page is drawn).
_AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="goalload-ahead")
# Page scripts drawing right now, in all sessions. The worker shares the interpreter with
# them, so it starts its next step only once none is drawing (at most BACKGROUND_YIELD_S
# later, so that busy servers still get it done): a page drawn alongside a step took
# 1.2-1.7 times as long. A script waiting for the worker does not count.
_PAGES = threading.Condition()
_pages_drawing = 0
BACKGROUND_YIELD_S = 3.0
# A page's output is still being delivered after its script ends, and a user's clicks come
# in bursts: the worker waits until no page has been drawn for this long. Without it, a
# Målbörda rerun alongside the recommendations' JSON took 0.34-0.48 s instead of 0.25 s.
PAGE_SETTLE_S = 0.25
_last_page_drawn = float("-inf")  # time.monotonic() when the last page script ended


@contextmanager
def page_drawing() -> Iterator[None]:
    """Around a page script (app.py), and around nothing else."""
    global _last_page_drawn
    _add_pages_drawing(1)
    try:
        yield
    finally:
        with _PAGES:
            _last_page_drawn = time.monotonic()
        _add_pages_drawing(-1)


@contextmanager
def _waiting_for_worker() -> Iterator[None]:
    """Around a page's wait for the worker: meanwhile it is not drawing, or the two would
    wait for each other."""
    _add_pages_drawing(-1)
    try:
        yield
    finally:
        _add_pages_drawing(1)


def _add_pages_drawing(n: int) -> None:
    global _pages_drawing
    with _PAGES:
        _pages_drawing += n
        _PAGES.notify_all()


def _when_no_page_is_drawing() -> None:
    """Wait (at most BACKGROUND_YIELD_S) until no page script is drawing and none has
    ended within PAGE_SETTLE_S: the worker's turn."""
    deadline = time.monotonic() + BACKGROUND_YIELD_S
    with _PAGES:
        while (now := time.monotonic()) < deadline:
            if _pages_drawing > 0:
                _PAGES.wait(deadline - now)
                continue
            settled_at = _last_page_drawn + PAGE_SETTLE_S
            if now >= settled_at:
                return
            _PAGES.wait(min(deadline, settled_at) - now)


def _settled(future: Future) -> Any:
    """The future's value, or _MISSING when it should be computed on the script's thread:
    its work is still queued behind another session's, or it failed (computed again, so an
    error shows as it would have without the prefetch). Once this session's chain has
    started, a later step is waited for: the worker is about to do just that."""
    started = getattr(future, "chain_started", None)
    if (started is None or not started.is_set()) and future.cancel():
        return _MISSING
    try:
        if not future.done():
            with _waiting_for_worker():
                return future.result()
        return future.result()
    except CancelledError:  # the chain stopped before this step
        return _MISSING
    except Exception:
        log.exception("Background analysis failed; computing it again")
        return _MISSING


def prefetch() -> None:
    """Start the overlap and the recommendations of a large document in the background.

    app.py calls this after the page is drawn, so the first page is not slowed; by the
    time the user opens Överlapp or Minska they are usually ready. Runs once per
    document; the futures live in this session's state only, and the worker keeps no
    reference to the document once done.
    """
    doc = document()
    cache = st.session_state.setdefault(_DERIVED_KEY, {})
    if doc.goals.height < PREFETCH_MIN_GOALS or any(name in cache for name, _ in _ANALYSES):
        return
    futures = {name: Future() for name, _ in _ANALYSES}
    started = threading.Event()
    for future in futures.values():
        future.chain_started = started  # type: ignore[attr-defined]
    cache.update(futures)
    _BACKGROUND.submit(_analyse_in_order, doc, futures, started)


def _analyse_in_order(
    doc: GoalDocument, futures: dict[str, Future], started: threading.Event
) -> None:
    """_ANALYSES one after the other, each result published as soon as it is ready.

    A step the script has taken over (cancelled while still pending) ends the chain: the
    script computes the later ones itself when it needs them (their futures are cancelled).
    """
    started.set()
    done: dict[str, Any] = {}
    for name, compute in _ANALYSES:
        future = futures[name]
        _when_no_page_is_drawing()
        if not future.set_running_or_notify_cancel():
            break
        try:
            done[name] = compute(doc, done.get)
        except Exception as error:
            future.set_exception(error)
            break
        # The step's objects live as long as the document: frozen before the page that
        # waited for them runs, its collections do not walk them (the city's
        # recommendations made one 1.5 s collection land in the Minska page).
        gc.freeze()
        future.set_result(done[name])
    for future in futures.values():
        future.cancel()  # those not started; a finished one is left as it is
    _collect_frozen_garbage_now_and_then()


# Every this many chains the last one also collects the garbage cycles frozen so far.
FULL_COLLECTION_EVERY = 10
_chains_since_full_collection = 0
_COUNTING = threading.Lock()  # guards _chains_since_full_collection


def _collect_frozen_garbage_now_and_then(wait_for_pages: bool = True) -> None:
    """Each step's objects were frozen when published, so full collections skip them
    (they used to take 0.6 s of a rerun whenever enough new objects had piled up).
    Frozen objects are still freed when nothing refers to them: the analyses make no
    garbage cycles (none found on a large city). Only cycles the pages made that were
    frozen along with them wait, a few hundred objects per chain, until every
    FULL_COLLECTION_EVERY-th time (a chain's end, or a large analysis a page computed
    itself) everything is unfrozen and collected: that walks the whole heap (0.5-0.9 s
    with a large city loaded, the interpreter held throughout), so done after every
    chain it landed on other users' clicks."""
    global _chains_since_full_collection
    with _COUNTING:  # the worker and a page's inline analysis both count
        _chains_since_full_collection += 1
        if _chains_since_full_collection < FULL_COLLECTION_EVERY:
            return
        _chains_since_full_collection = 0
    if wait_for_pages:
        _when_no_page_is_drawing()
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _overlap_base(doc: GoalDocument, _earlier: Callable[[str], Any]) -> Any:
    """find_overlap at the lowest threshold Överlapp offers: every other threshold,
    the default included, is derived from it (overlap.at_threshold, equal to computing it)
    in a fraction of the time, so moving the slider never recomputes the overlap."""
    from goalload.overlap import MIN_THRESHOLD, find_overlap

    return find_overlap(doc, MIN_THRESHOLD) if doc.goals.height else None


def _overlap_at_default(doc: GoalDocument, earlier: Callable[[str], Any]) -> Any:
    from goalload.overlap import DEFAULT_THRESHOLD, at_threshold

    base = earlier("overlap_base")
    return None if base is None else at_threshold(base, doc, DEFAULT_THRESHOLD)


def _recommendations(
    doc: GoalDocument, earlier: Callable[[str], Any]
) -> tuple[list, GoalDocument]:
    """The recommendations at the default goal cap, and the document with all of them
    applied; informational ones build their texts when first read."""
    from goalload.recommend import recommend_with_after

    return recommend_with_after(doc, overlap=earlier("overlap"))


def _recommendations_json(doc: GoalDocument, earlier: Callable[[str], Any]) -> dict:
    from goalload.metrics import document_totals
    from goalload.recommend import recommendations_json

    recs, after = earlier("recommendations")
    totals_after = document_totals(after)
    return recommendations_json(doc, recs, totals_after, pause=_when_no_page_is_drawing)


# What prefetch() computes, in order; each step reads the earlier ones' results.
_ANALYSES: tuple[tuple[str, Callable[[GoalDocument, Callable[[str], Any]], Any]], ...] = (
    ("overlap_base", _overlap_base),
    ("overlap", _overlap_at_default),
    ("recommendations", _recommendations),
    ("recommendations_json", _recommendations_json),
)


def _analysis(name: str) -> Any:
    """One of _ANALYSES for the current document: the background's result, or computed here.

    Computed here for a large document (the page got there before the worker), its
    objects are frozen as the worker's are: else the next automatic full collection
    walks them during some later click (0.4-0.7 s with a large city)."""
    compute = dict(_ANALYSES)[name]

    def here(doc: GoalDocument) -> Any:
        value = compute(doc, _analysis)
        if doc.goals.height >= PREFETCH_MIN_GOALS:
            gc.freeze()
            _collect_frozen_garbage_now_and_then(wait_for_pages=False)
        return value

    return derived(name, here)


def overlap_base() -> Any:
    """The overlap at Överlapp's lowest threshold (None for a document without goals);
    overlap.at_threshold(overlap_base(), doc, t) equals find_overlap(doc, t) for every t."""
    return _analysis("overlap_base")


def overlap() -> Any:
    """find_overlap at its default threshold for the current document, computed once and
    shared by Överlapp, Minska, Presentation and Rapporter (None for a document without goals)."""
    return _analysis("overlap")


def recommendations() -> list:
    """The recommendations at the default goal cap for the current document, computed
    once: Minska shows them."""
    return _analysis("recommendations")[0]


def recommendations_applied() -> GoalDocument:
    """The document with all of recommendations() applied: Minska's default scenario."""
    return _analysis("recommendations")[1]


def recommendations_json() -> dict:
    """recommend_json() of the same recommendations, for Presentation and Rapporter."""
    return _analysis("recommendations_json")


PROGRESS_CHECK_S = 1.0  # how often a page waiting for the background looks again


def _running(name: str) -> bool:
    """Whether this session's worker has started its chain and not finished `name`."""
    value = st.session_state.get(_DERIVED_KEY, {}).get(name)
    started = getattr(value, "chain_started", None)
    return (
        isinstance(value, Future) and not value.done() and started is not None and started.is_set()
    )


def progress_until_ready(last: str) -> None:
    """A page that needs the background analyses up to `last` (a name in _ANALYSES)
    while the worker is still on them: a note with the step it is on, looked at again
    every PROGRESS_CHECK_S, and the whole page drawn as soon as they are ready.

    The script stops here meanwhile, so every other page can be used at once: a page
    waiting on the worker could not be left for the 5-10 s a large city's
    recommendations take. Work not yet started is not waited for (the page computes
    it, `derived`).
    """
    steps = [name for name, _ in _ANALYSES]
    steps = steps[: steps.index(last) + 1]
    busy = [name for name in steps if _running(name)]
    if not busy:
        return
    done = len(steps) - len(busy)
    # The overlap pages wait for the overlap only; say so rather than "and recommendations".
    note = "background.working" if "recommendations" in steps else "background.working_overlap"
    st.info(tr(note, goals=format_int(document().goals.height, lang())))
    st.progress(
        done / len(steps),
        text=tr(
            "background.step",
            step=tr(f"background.{busy[0]}"),
            n=format_int(done + 1, lang()),
            total=format_int(len(steps), lang()),
        ),
    )

    @st.fragment(run_every=PROGRESS_CHECK_S)
    def look_again() -> None:
        if not any(_running(name) for name in steps):
            st.rerun()

    look_again()
    st.stop()


def report_analyses() -> Any:
    """goalload.report's analyses of the current document, shared by Presentation and Rapporter."""
    from goalload.report import analyse

    return derived(
        "report_analyses",
        lambda doc: analyse(doc, overlap=overlap(), recommendations=recommendations_json()),
    )


def memo(
    store_key: str,
    token: str,
    name: Hashable,
    compute: Callable[[], Any],
    size: int,
    keep: Hashable | None = None,
) -> Any:
    """compute(), kept under st.session_state[store_key] while `token` stays the same.

    For results a page computes from more than the session's document (several files,
    a threshold): at most `size` are kept, the oldest dropped first except `keep`.
    """
    store = st.session_state.get(store_key)
    if store is None or store["token"] != token:
        store = {"token": token, "values": {}}
        st.session_state[store_key] = store
    values = store["values"]
    if name not in values:
        if len(values) >= size:
            values.pop(next(k for k in values if k != keep))
        values[name] = compute()
    return values[name]


@st.cache_data(show_spinner=False, max_entries=2)
def _template(language: str) -> bytes | None:
    try:
        from goalload.template import template_bytes
    except ImportError:  # the template module may be absent in a partial checkout
        return None
    return template_bytes(language)


def template_button(container: Any = st, key: str = "template") -> None:
    data = _template(lang())
    if data is None:
        container.caption(tr("template.unavailable"))
        return
    container.download_button(
        tr("template.download"),
        data=data,
        file_name="goalload_mall.xlsx" if lang() == "sv" else "goalload_template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=tr("template.help"),
        key=key,
        on_click="ignore",
    )


def language_selector(container: Any = st) -> None:
    container.selectbox(
        tr("sidebar.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANG_KEY,
    )


def chart(fig: Any, reading: str, key: str) -> None:
    """A figure with its one plain-language line on what it shows and how to read it,
    and PNG/SVG downloads with its title and axis labels in the interface language."""
    name = f"{file_slug(document().name)}_{key}"
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": name},
    }
    st.plotly_chart(fig, theme=None, config=config, key=key)
    st.caption(reading)
    # One row, each button as wide as its label (narrow columns cut "Ladda ned PNG").
    downloads = st.container(horizontal=True, gap="small")
    for fmt in ("png", "svg"):
        downloads.download_button(
            tr(f"chart.download_{fmt}"),
            data=_image_renderer(fig, fmt),
            file_name=f"{name}.{fmt}",
            mime="image/png" if fmt == "png" else "image/svg+xml",
            on_click="ignore",
            key=f"{key}_download_{fmt}",
            type="tertiary",
        )


def _image_renderer(fig: Any, fmt: str) -> Callable[[], bytes]:
    """Rendering an image takes a browser a second or two: only when asked."""

    def render() -> bytes:
        from goalload.export import figure_image_bytes

        return figure_image_bytes(fig, fmt)

    return render


def file_slug(text: str) -> str:
    from goalload.export_html import slug

    return slug(text)


def metric_columns(n: int, per_row: int = 3) -> list[Any]:
    """Columns for n headline figures, `per_row` to a row: five or six in one row cut
    their labels short on a laptop ("Rapporteringstillfäl…") and shrink the figures on a
    projector."""
    return [column for _ in range(0, n, per_row) for column in st.columns(per_row)][:n]


def table(frame: Any, names: dict[str, str], **options: Any) -> None:
    """A table with the columns in `names` (in that order) under their labels.

    Missing values show as blank cells rather than "None"; long text tables of up to
    TABLE_STATIC_ROWS rows are drawn static so every word wraps and shows on a projector.
    """
    whole = {
        c for c, dtype in frame.schema.items() if dtype.is_numeric() and frame[c].null_count() == 0
    }
    shown = frame.select(
        (pl.col(c) if c in whole else pl.col(c).cast(pl.String).fill_null("")).alias(label)
        for c, label in names.items()
    )
    if options.pop("static", False) and shown.height <= TABLE_STATIC_ROWS:
        st.table(shown, hide_index=True)
    else:
        st.dataframe(shown, hide_index=True, **options)


def heading(title_key: str) -> GoalDocument:
    """Page title with the document's name and year; returns the document."""
    doc = document()
    st.title(tr(title_key))
    year = f", {doc.year}" if doc.year else ""
    st.markdown(f"**{escape_markdown(doc.name)}**{escape_markdown(year)}")
    return doc


def level_filter(doc: GoalDocument, key: str) -> list[str]:
    """Multiselect of the unit levels the document uses; all chosen at first."""
    from goalload.i18n import label
    from goalload.views import levels_present

    present = levels_present(doc.units)
    return st.multiselect(
        tr("common.levels"),
        options=present,
        default=present,
        format_func=lambda level: label("level", level, lang()),
        key=f"{key}:{doc_token()}",
    )


def top_n(total: int, key: str, default: int = 20) -> int:
    """How many units the charts show; a slider only when there are many."""
    if total <= 10:
        return total
    return st.slider(tr("common.top_n"), 5, min(total, 80), min(default, total), key=key)


def showing_top(shown: int, total: int) -> None:
    if shown < total:
        st.caption(
            tr(
                "common.showing_top",
                shown=format_int(shown, lang()),
                total=format_int(total, lang()),
            )
        )
