"""A large document's overlap and recommendations are computed in the background after its
first page is drawn, so Överlapp and Minska do not make the user wait on their first visit.

The sample is small (below PREFETCH_MIN_GOALS); these tests lower the threshold so the
sample takes the background path.
"""

from __future__ import annotations

import contextlib
import gc
import json
from concurrent.futures import CancelledError, Future

import pytest
from app_helpers import LAYOUT_EXAMPLES, assert_no_exception, go, upload

import app_state
from goalload import metrics, overlap, recommend
from goalload.overlap import find_overlap

WAIT_S = 120


@pytest.fixture
def prefetching(monkeypatch):
    monkeypatch.setattr(app_state, "PREFETCH_MIN_GOALS", 1)


def _settle(at, failing: tuple[type[Exception], ...] = ()) -> dict:
    """The session's derived tables once its background work is done (`failing`: the
    errors that work is expected to end with)."""
    derived = at.session_state["doc_derived"]
    for value in derived.values():
        if isinstance(value, Future):
            with contextlib.suppress(*failing):
                value.result(timeout=WAIT_S)
    return derived


def test_small_documents_are_analysed_when_a_page_asks(app):
    """The sample's analyses take well under a second: no background work for it."""
    assert "overlap" not in app.session_state["doc_derived"]
    assert "recommendations" not in app.session_state["doc_derived"]


def test_a_large_document_is_analysed_in_the_background_and_shown_unchanged(
    app, prefetching, monkeypatch
):
    app.run()  # the first run after the threshold moved: the page, then the prefetch
    assert_no_exception(app)
    derived = app.session_state["doc_derived"]
    names = ("overlap_base", "overlap", "recommendations", "recommendations_json")
    assert all(isinstance(derived[name], Future) for name in names)
    derived = _settle(app)
    doc = app.session_state["doc"]
    recs, _ = derived["recommendations"].result()
    as_json = derived["recommendations_json"].result()
    expected = recommend.recommend_json(doc, overlap=find_overlap(doc))
    assert json.dumps(as_json, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert [r.id for r in recs] == [r["id"] for r in expected["recommendations"]]

    # the pages use what the background computed: nothing is computed again
    def must_not_run(*args, **kwargs):
        raise AssertionError("computed again although the background had it")

    monkeypatch.setattr(recommend, "_recommend", must_not_run)
    monkeypatch.setattr(overlap, "find_overlap", must_not_run)
    for page in ("app_pages/overlap.py", "app_pages/reduce.py", "app_pages/reports.py"):
        go(app, page)
        assert_no_exception(app)
    derived = app.session_state["doc_derived"]
    assert derived["recommendations_json"] is as_json
    assert not any(isinstance(v, Future) for v in derived.values())


def test_a_page_asking_before_the_worker_starts_computes_it_itself(app, prefetching):
    """Work still queued (behind another session's) is cancelled and done by the script."""
    blocker_started, release = Future(), Future()

    def block() -> None:
        blocker_started.set_result(True)
        release.result(timeout=WAIT_S)

    app_state._BACKGROUND.submit(block)
    try:
        blocker_started.result(timeout=WAIT_S)
        app.run()
        queued = app.session_state["doc_derived"]["recommendations"]
        assert isinstance(queued, Future) and not queued.running()
        gc.unfreeze()
        go(app, "app_pages/reduce.py")
        assert_no_exception(app)
        assert queued.cancelled()
        recs, _ = app.session_state["doc_derived"]["recommendations"]
        assert recs and all(hasattr(r, "effect") for r in recs)
        # frozen as the worker's would be: later full collections do not walk them
        assert gc.get_freeze_count() > 0
    finally:
        release.set_result(True)
        gc.unfreeze()


def test_work_ahead_never_holds_up_a_documents_analyses(app, prefetching):
    """Work ahead (Överlapp's next thresholds) has a worker of its own: however long it
    takes, a new document's analyses start at once."""
    release = Future()
    app_state._AHEAD.submit(release.result, WAIT_S)  # the work-ahead worker busy
    try:
        app.run()
        derived = _settle(app)
        assert isinstance(derived["recommendations"].result(), tuple)
    finally:
        release.set_result(True)


def test_a_failed_background_analysis_is_computed_again_on_the_page(app, prefetching, monkeypatch):
    real = recommend.recommend_with_after
    calls = []

    def fails_in_the_background(doc, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("worker failure")
        return real(doc, **kwargs)

    monkeypatch.setattr(recommend, "recommend_with_after", fails_in_the_background)
    app.run()
    _settle(app, failing=(RuntimeError, CancelledError))  # the JSON after it: never started
    go(app, "app_pages/reduce.py")
    assert_no_exception(app)
    assert len(calls) == 2
    assert isinstance(app.session_state["doc_derived"]["recommendations"], tuple)


def test_a_new_upload_starts_over_with_the_new_document(app, prefetching):
    app.run()
    before = _settle(app)["recommendations_json"].result()
    path = LAYOUT_EXAMPLES["hierarchy_columns"]
    upload(app, path.name, path.read_bytes())
    derived = _settle(app)
    doc = app.session_state["doc"]
    after = derived["recommendations_json"].result()
    assert after["totals_before"]["goals"] == doc.goals.height
    assert after["totals_before"] != before["totals_before"]


def test_renaming_keeps_the_background_analyses(app, prefetching):
    app.run()
    derived = _settle(app)
    found = derived["overlap"]
    app.sidebar.text_input[0].set_value("Nytt namn").run()
    assert_no_exception(app)
    assert app.session_state["doc"].name == "Nytt namn"
    assert app.session_state["doc_derived"]["overlap"] is found


def test_settled_values():
    done = Future()
    done.set_result(42)
    assert app_state._settled(done) == 42
    pending = Future()
    assert app_state._settled(pending) is app_state._MISSING
    assert pending.cancelled()
    failed = Future()
    failed.set_running_or_notify_cancel()
    failed.set_exception(ValueError("boom"))
    assert app_state._settled(failed) is app_state._MISSING


def test_a_page_asking_while_the_chain_runs_shows_its_progress_and_then_the_result(
    app, prefetching, monkeypatch
):
    """Once this session's analyses have started, a page needing one of them says which
    step the worker is on and stops (the user can open any other page at once), looks
    again every second, and shows the worker's result when it is ready: computed once,
    never a second time on the script's thread."""
    import threading

    release = threading.Event()
    steps = dict(app_state._ANALYSES)

    def slow_base(doc, earlier):
        release.wait(WAIT_S)
        return steps["overlap_base"](doc, earlier)

    monkeypatch.setattr(
        app_state, "_ANALYSES", (("overlap_base", slow_base), *app_state._ANALYSES[1:])
    )
    runs = []
    real = recommend._recommend

    def counting(*args, **kwargs):
        runs.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(recommend, "_recommend", counting)
    app.run()
    queued = app.session_state["doc_derived"]["recommendations"]
    try:
        go(app, "app_pages/reduce.py")
        assert [i.value for i in app.info][0].startswith("Dokumentet har ")
        assert "överlapp och förslag tas fram" in app.info[0].value
        progress = app.get("progress")[0].proto
        assert progress.text == "Steg 1 av 3: överlapp mellan målen vid alla trösklar"
        assert progress.value == 0
        assert not app.get("data_editor") and not app.get("plotly_chart")  # stopped there
        go(app, "app_pages/overlap.py")  # needs the overlap only, and says so
        assert "överlappet tas fram" in app.info[0].value
        assert app.get("progress")[0].proto.text.startswith("Steg 1 av 2: ")
        go(app, "app_pages/load.py")  # another page at once, without waiting
        assert app.get("plotly_chart")
    finally:
        release.set()
    queued.result(timeout=WAIT_S)
    go(app, "app_pages/reduce.py")
    assert_no_exception(app)
    assert not app.get("progress")
    assert app.session_state["doc_derived"]["recommendations"] is queued.result()
    assert len(runs) == 1 and runs[0].startswith("goalload-prefetch")


@pytest.mark.parametrize("every", [1, 2])
def test_every_few_chains_the_frozen_garbage_is_collected(app, prefetching, monkeypatch, every):
    """Later full collections skip the analyses (they cost 0.6 s of a user's rerun with a
    large city); garbage cycles left frozen by an earlier chain are collected by every
    FULL_COLLECTION_EVERY-th chain, and only then (a full collection holds the
    interpreter for up to 0.9 s)."""
    import weakref

    monkeypatch.setattr(app_state, "FULL_COLLECTION_EVERY", every)
    monkeypatch.setattr(app_state, "_chains_since_full_collection", 0)

    class Cycle:
        pass

    gc.unfreeze()
    left = Cycle()
    left.me = left
    gone = weakref.ref(left)
    gc.freeze()  # as an earlier chain would have frozen it
    del left
    try:
        app.run()
        _settle(app)
        app_state._BACKGROUND.submit(lambda: None).result(timeout=WAIT_S)  # the chain ended
        assert (gone() is None) == (every == 1)
        if every == 2:  # the next chain (another document) collects it
            path = LAYOUT_EXAMPLES["hierarchy_columns"]
            upload(app, path.name, path.read_bytes())
            _settle(app)
            app_state._BACKGROUND.submit(lambda: None).result(timeout=WAIT_S)
            assert gone() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def _one_step_chain(monkeypatch, step) -> dict[str, Future]:
    """The worker running a chain of one step, `step()`."""
    import threading

    monkeypatch.setattr(app_state, "_ANALYSES", (("step", lambda doc, earlier: step()),))
    futures = {"step": Future()}
    started = futures["step"].chain_started = threading.Event()
    app_state._BACKGROUND.submit(app_state._analyse_in_order, None, futures, started)
    assert started.wait(WAIT_S)
    return futures


def test_the_worker_starts_a_step_once_no_page_is_drawing(monkeypatch):
    """A page drawn alongside a step took 1.2-1.7 times as long: the worker waits its turn."""
    import time

    monkeypatch.setattr(app_state, "BACKGROUND_YIELD_S", 30.0)
    with app_state.page_drawing():
        futures = _one_step_chain(monkeypatch, lambda: "done")
        time.sleep(0.3)
        assert not futures["step"].running() and not futures["step"].done()
    assert futures["step"].result(timeout=WAIT_S) == "done"


def test_the_worker_waits_until_no_page_has_been_drawn_for_a_moment(monkeypatch):
    """A page's output is still being delivered when its script ends, and clicks come in
    bursts: the worker starts its step PAGE_SETTLE_S after the last page ended."""
    import time

    monkeypatch.setattr(app_state, "BACKGROUND_YIELD_S", 30.0)
    monkeypatch.setattr(app_state, "PAGE_SETTLE_S", 0.5)
    started_at: list[float] = []
    with app_state.page_drawing():
        futures = _one_step_chain(monkeypatch, lambda: started_at.append(time.monotonic()))
    ended = time.monotonic()
    futures["step"].result(timeout=WAIT_S)
    assert started_at[0] - ended >= 0.45


def test_the_worker_does_not_wait_forever_for_busy_pages(monkeypatch):
    monkeypatch.setattr(app_state, "BACKGROUND_YIELD_S", 0.2)
    with app_state.page_drawing():
        futures = _one_step_chain(monkeypatch, lambda: "done")
        assert futures["step"].result(timeout=WAIT_S) == "done"


def test_a_page_waiting_for_the_worker_lets_it_run(monkeypatch):
    """A page that needs a step the chain is about to do waits for it; while it waits it
    does not count as drawing, or the two would wait for each other."""
    import time

    monkeypatch.setattr(app_state, "BACKGROUND_YIELD_S", 30.0)
    started = time.perf_counter()
    with app_state.page_drawing():
        futures = _one_step_chain(monkeypatch, lambda: "done")
        assert app_state._settled(futures["step"]) == "done"
    assert time.perf_counter() - started < 10


def test_the_json_step_waits_while_a_page_is_drawn(monkeypatch):
    """The JSON step builds a large city's informational texts (2-3 s): it waits between
    its chunks while a page is drawn, so the page that was waiting for the
    recommendations is not slowed down by it."""
    import threading
    import time

    from goalload.read import read_path

    monkeypatch.setattr(app_state, "BACKGROUND_YIELD_S", 30.0)
    monkeypatch.setattr(recommend, "JSON_PAUSE_EVERY", 1)
    doc = read_path(LAYOUT_EXAMPLES["template"])
    recs, after = recommend.recommend_with_after(doc)
    done: list[dict] = []
    step = threading.Thread(
        target=lambda: done.append(
            app_state._recommendations_json(doc, {"recommendations": (recs, after)}.get)
        )
    )
    with app_state.page_drawing():
        step.start()
        time.sleep(0.3)
        assert not done and step.is_alive()  # waiting at its first pause
    step.join(WAIT_S)
    assert done == [recommend.recommendations_json(doc, recs, metrics.document_totals(after))]


# --- work ahead (Överlapp's neighbouring thresholds) -----------------------------------


def test_work_ahead_pauses_between_its_steps_while_a_page_is_drawn(monkeypatch):
    """A page drawn while the worker is in the middle of work ahead gets the interpreter:
    the work waits at its next pause until the page is done."""
    import threading
    import time

    monkeypatch.setattr(app_state, "BACKGROUND_YIELD_S", 30.0)
    first_done, page_started, steps = threading.Event(), threading.Event(), []

    def work(pause):
        steps.append("first")
        first_done.set()
        page_started.wait(WAIT_S)
        pause()
        steps.append("second")
        return len(steps)

    future = app_state.ahead(work)
    assert first_done.wait(WAIT_S)
    with app_state.page_drawing():
        page_started.set()
        time.sleep(0.3)
        assert steps == ["first"]  # waiting at its pause
    assert future.result(timeout=WAIT_S) == 2
    assert steps == ["first", "second"]


def test_abandoned_work_ahead_stops_and_is_computed_on_the_page_if_asked_for():
    import threading

    first_done, go_on, steps = threading.Event(), threading.Event(), []

    def work(pause):
        steps.append("first")
        first_done.set()
        go_on.wait(WAIT_S)
        pause()
        steps.append("second")
        return "from the worker"

    running = app_state.ahead(work)
    assert first_done.wait(WAIT_S)
    app_state.abandon(running)
    go_on.set()
    assert app_state.settle(running, lambda: "on the page") == "on the page"
    assert steps == ["first"]  # stopped at its pause
    # queued work is cancelled before it starts
    blocker_started, release = Future(), Future()
    app_state._AHEAD.submit(lambda: (blocker_started.set_result(True), release.result()))
    try:
        blocker_started.result(timeout=WAIT_S)
        queued = app_state.ahead(lambda pause: "never")
        app_state.abandon(queued)
        assert queued.cancelled()
    finally:
        release.set_result(True)
    assert app_state.settle(queued, lambda: "on the page") == "on the page"
    assert app_state.settle("a value", lambda: "unused") == "a value"
