"""How the app responds with the large city (20,000 goals) loaded, measured with AppTest.

AppTest runs app.py in this process exactly as the server would for one session (the
script, the session state, the caches, building every figure), without a browser: the
times are the server's part of a page view, which is what grows with the document. The
browser's drawing of the figures is not included.

Measured: the upload of the large city (read + the first page with its charts), each page's
first view with the document loaded, and reruns after a widget change (the slider and the
level filter on the Målbörda page), median and worst of several changes.

    python benchmarks/bench_app.py          # prints the lines
    python benchmarks/bench_app.py --json   # the same as JSON (benchmarks/run.py)
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIMEOUT = 600
RERUN_TARGET_S = 0.5
FIRST_PAGE_TARGET_S = 3.0


def _timed(action) -> float:
    t0 = time.perf_counter()
    action()
    return time.perf_counter() - t0


def _check(at) -> None:
    if at.exception:
        raise RuntimeError("; ".join(str(e.value) for e in at.exception)[:500])


def _by_key_prefix(widgets, prefix: str):
    return next(w for w in widgets if (w.key or "").startswith(prefix))


def measure(size: str = "city", reruns: int = 5) -> dict:
    import bench_read

    # Bare-mode AppTest logs a warning per cached call; they say nothing here.
    from streamlit import logger as st_logger
    from streamlit.testing.v1 import AppTest

    st_logger.set_log_level(logging.ERROR)

    path = bench_read.dataset(size)
    data = path.read_bytes()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    times: dict[str, float] = {}
    times["cold_start_sample"] = _timed(at.run)
    _check(at)

    def upload() -> None:
        at.file_uploader(key="upload").set_value((path.name, data, XLSX))
        at.run()

    times["upload_and_overview"] = _timed(upload)
    _check(at)
    goals = next((m.value for m in at.main.metric if m.label.lower().startswith(("mål", "goal"))), "?")
    times["overview_rerun"] = _timed(at.run)
    _check(at)
    pages = {"load": "app_pages/load.py", "indicators": "app_pages/indicators.py", "data": "app_pages/data.py",
             "overview": "app_pages/overview.py"}
    for name, script in pages.items():
        def view(script: str = script) -> None:
            at.switch_page(script)
            at.run()

        times[f"page_{name}"] = _timed(view)
        _check(at)
    # Widget changes on Målbörda: the top-n slider and the level filter.
    at.switch_page(pages["load"])
    at.run()
    _check(at)
    slider_times, filter_times = [], []
    values = [10, 30, 15, 40, 25, 20, 35, 12][:reruns]
    for value in values:
        def slide(value: int = value) -> None:
            at.slider(key="load_top_n").set_value(value)
            at.run()

        slider_times.append(_timed(slide))
        _check(at)
    levels = _by_key_prefix(at.multiselect, "load_levels")
    every = list(levels.value)
    for i in range(reruns):
        def choose(i: int = i) -> None:
            widget = _by_key_prefix(at.multiselect, "load_levels")
            widget.set_value(every if i % 2 else every[1:])
            at.run()

        filter_times.append(_timed(choose))
        _check(at)
    reruns_all = slider_times + filter_times
    first_page = max(times["page_overview"], times["page_load"], times["page_indicators"])
    result = {
        "size": size,
        "goals_shown": goals,
        "times": times,
        "rerun_slider_s": slider_times,
        "rerun_filter_s": filter_times,
        "rerun_median_s": statistics.median(reruns_all),
        "rerun_max_s": max(reruns_all),
        "first_page_max_s": first_page,
    }
    result["lines"] = [
        f"Document: the large city ({goals} goals shown on Översikt), read through the uploader.",
        f"Upload + read + Översikt with its charts: {times['upload_and_overview']:.2f} s "
        f"(cold start of the app on the sample before it: {times['cold_start_sample']:.2f} s).",
        "First view of each page with the document loaded: "
        + ", ".join(f"{k[5:]} {v:.2f} s" for k, v in times.items() if k.startswith("page_"))
        + f" — target < {FIRST_PAGE_TARGET_S:.0f} s: **{'met' if first_page < FIRST_PAGE_TARGET_S else 'not met'}**"
        f" (worst {first_page:.2f} s).",
        f"Rerun after a widget change (slider ×{len(slider_times)}, level filter ×{len(filter_times)}): "
        f"median {result['rerun_median_s']:.3f} s, worst {result['rerun_max_s']:.3f} s — target < "
        f"{RERUN_TARGET_S} s: **{'met' if result['rerun_max_s'] < RERUN_TARGET_S else 'not met'}**.",
        "Server side only (AppTest, no browser drawing).",
    ]
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--size", default="city")
    parser.add_argument("--reruns", type=int, default=5)
    args = parser.parse_args(argv)
    result = measure(args.size, args.reruns)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print("\n".join(result["lines"]))


if __name__ == "__main__":
    main()
