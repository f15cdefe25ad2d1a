"""Reading benchmark: goalload's full analysis against what a user would otherwise run.

Three runs over the same generated workbook, each in a fresh process:
  (a) pandas.read_excel(engine="openpyxl", sheet_name=None): only reading the workbook,
      what an analyst would otherwise do;
  (b) goalload's full analysis: read + validate (read_path), metrics and overlap share
      (metrics.analyze) and recommendations (goalload.recommend, when that module exists);
  (c) calamine alone (fastexcel, every sheet to a polars frame): the floor.

Each run is timed as a whole process (wall time from the parent, peak RSS of the process
tree sampled from /proc) and in-process (the work itself, after imports). Generated
workbooks are cached in benchmarks/data/ (gitignored) and rebuilt when the generator or
the writer changes.

    python benchmarks/bench_read.py municipality        # one size, printed as JSON
    python benchmarks/bench_read.py --child b PATH      # internal: one measured run
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# name -> (label, goals or None for the country folder, inhabitants)
SIZES: dict[str, tuple[str, int | None, int]] = {
    "municipality": ("Municipality (2,000 goals)", 2_000, 60_000),
    "city": ("Large city (20,000 goals)", 20_000, 600_000),
    "country": ("Whole country (290 municipalities + 21 regions)", None, 0),
}
COUNTRY_MUNICIPALITIES = 290
COUNTRY_REGIONS = 21
COUNTRY_TARGET_ROWS = 300_000
BASE_GOALS = 247  # the hand-written sample below the bulk goals (samplegen)
ROWS_PER_BULK_GOAL = 3.8  # indicator rows per bulk goal in samplegen, measured
TASKS = {"a": "pandas + openpyxl, read only", "b": "goalload, full analysis", "c": "calamine, read only"}


# ------------------------------------------------------------------ data -------------

def _stamp() -> str:
    """The generator's version: recorded with the data, reported when it has moved on."""
    return hashlib.sha256((ROOT / "goalload" / "samplegen.py").read_bytes()).hexdigest()[:16]


def _write(doc, path: Path) -> None:
    from goalload.template import document_to_workbook_bytes

    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(document_to_workbook_bytes(doc))
    tmp.replace(path)


def country_sizes() -> list[tuple[str, int, int]]:
    """(name, goals, inhabitants) for 290 municipalities and 21 regions.

    Most municipalities are small and a few are large (log-normal), regions are mid-sized;
    the bulk part is scaled so the whole country has about 300,000 indicator rows.
    """
    import numpy as np

    rng = np.random.default_rng(1862)  # the year of the Swedish municipal reform
    extra_m = np.exp(rng.normal(np.log(150), 1.0, COUNTRY_MUNICIPALITIES))
    extra_r = np.exp(rng.normal(np.log(500), 0.4, COUNTRY_REGIONS))
    extra = np.concatenate([extra_m, extra_r])
    n = len(extra)
    base_rows = n * 405  # the sample's own indicator rows per document
    scale = (COUNTRY_TARGET_ROWS - base_rows) / (extra.sum() * ROWS_PER_BULK_GOAL)
    goals = BASE_GOALS + np.round(extra * scale).astype(int)
    inhabitants = np.clip(np.round(np.exp(rng.normal(np.log(16_000), 1.0, n))), 2_500, 990_000)
    inhabitants[COUNTRY_MUNICIPALITIES:] = np.round(np.exp(rng.normal(np.log(350_000), 0.5, COUNTRY_REGIONS)))
    result = []
    for i in range(n):
        if i < COUNTRY_MUNICIPALITIES:
            name = f"Exempelkommun {i + 1:03d}"
        else:
            name = f"Exempelregion {i - COUNTRY_MUNICIPALITIES + 1:02d}"
        result.append((name, int(goals[i]), int(inhabitants[i])))
    return result


def dataset(size: str, regenerate: bool = False) -> Path:
    """The workbook (or folder of workbooks, for the country) of one size, generated once.

    Kept until `regenerate` (run.py --regenerate): the generator changes often while the
    timings need the same files run after run; data_stamp() says whether they are stale.
    """
    from goalload.samplegen import generate_document

    DATA.mkdir(parents=True, exist_ok=True)
    _label, goals, inhabitants = SIZES[size]
    stamp_file = DATA / f"{size}.stamp"
    if goals is not None:
        path = DATA / f"{size}.xlsx"
        if regenerate or not path.exists():
            _write(generate_document(goals=goals, inhabitants=inhabitants,
                                     name="Storstad" if size == "city" else "Exempelkommun"), path)
            stamp_file.write_text(_stamp())
        return path
    folder = DATA / "country"
    if regenerate or not stamp_file.exists():
        folder.mkdir(exist_ok=True)
        for i, (name, n_goals, people) in enumerate(country_sizes()):
            path = folder / f"{i + 1:03d}_{name.replace(' ', '_')}.xlsx"
            if regenerate or not path.exists():
                _write(generate_document(seed=1000 + i, goals=n_goals, inhabitants=people, name=name), path)
        stamp_file.write_text(_stamp())
    return folder


def data_stamp(size: str) -> str:
    """'<generator hash>' or '<hash> (stale: generator is now <hash>)'."""
    stamp_file = DATA / f"{size}.stamp"
    recorded = stamp_file.read_text().strip() if stamp_file.exists() else "?"
    now = _stamp()
    return recorded if recorded == now else f"{recorded} (generator changed since: now {now})"


def files_of(path: Path) -> list[Path]:
    return sorted(path.glob("*.xlsx")) if path.is_dir() else [path]


# ------------------------------------------------------------------ tasks ------------

def task_pandas(path: Path) -> dict:
    import pandas as pd

    sheets = pd.read_excel(path, engine="openpyxl", sheet_name=None)
    return {"cells": int(sum(frame.size for frame in sheets.values()))}


def task_calamine(path: Path) -> dict:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    frames = [reader.load_sheet(i).to_polars() for i in range(len(reader.sheet_names))]
    return {"cells": int(sum(f.height * f.width for f in frames))}


def _optional(module: str):
    """A goalload module another helper may still be writing: None when it is absent."""
    import importlib

    try:
        return importlib.import_module(f"goalload.{module}")
    except ImportError:
        return None


def task_goalload(path: Path) -> dict:
    """read + validate, metrics, overlap (pairs, clusters, shares), recommendations.

    Each module runs once, as a pipeline that shares the overlap result would (the app
    memoises it per document). metrics.analyze() followed by recommend_json() without
    `overlap=` would compute the overlap twice.
    """
    from goalload import metrics
    from goalload.read import read_path

    stages: dict[str, float] = {}
    stages_cpu: dict[str, float] = {}

    def stage(name: str, func):
        """func() with its wall and CPU time added to the stage's."""
        t0, c0 = time.perf_counter(), time.process_time()
        value = func()
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - t0
        stages_cpu[name] = stages_cpu.get(name, 0.0) + time.process_time() - c0
        return value

    doc = stage("read", lambda: read_path(path))
    load = stage("metrics", lambda: metrics.unit_load(doc))
    totals = stage("metrics", lambda: metrics.document_totals(doc, load))
    overlap = _optional("overlap")
    found = None
    if overlap is not None:
        found = stage("overlap", lambda: overlap.find_overlap(doc))
        stage("overlap", lambda: overlap.overlap_share(doc, found))
    recommend = _optional("recommend")
    if recommend is not None:
        stage("recommend", lambda: recommend.recommend_json(doc, overlap=found))
    return {
        "stages": stages,
        "stages_cpu": stages_cpu,
        "goals": totals["goals"],
        "indicators": totals["indicators"],
        "errors": sum(1 for f in doc.findings if f.severity == "error"),
        "modules": ["read", "metrics"] + (["overlap"] if overlap else []) + (["recommend"] if recommend else []),
    }


TASK_FUNCS = {"a": task_pandas, "b": task_goalload, "c": task_calamine}


def _merge(results: list[dict]) -> dict:
    """Per-file results of a folder: stage times and counts summed."""
    merged: dict = {"files": len(results)}
    for r in results:
        for key, value in r.items():
            if key in ("stages", "stages_cpu"):
                stages = merged.setdefault(key, {})
                for stage, seconds in value.items():
                    stages[stage] = stages.get(stage, 0.0) + seconds
            elif isinstance(value, int):
                merged[key] = merged.get(key, 0) + value
            else:
                merged[key] = value
    return merged


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (pool workers), all threads."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(task: str, path: Path, workers: int) -> dict:
    """One measured run inside this process (the parent measures the process as a whole)."""
    func = TASK_FUNCS[task]
    files = files_of(path)
    # Imports happen before the clock starts: in-process time is the work alone.
    if task == "b":
        import goalload.metrics  # noqa: F401
        import goalload.read  # noqa: F401
        _optional("overlap")
        _optional("recommend")
    elif task == "a":
        import openpyxl  # noqa: F401
        import pandas  # noqa: F401
    else:
        import fastexcel  # noqa: F401
        import polars  # noqa: F401
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(func, files, chunksize=4))
    else:
        results = [func(f) for f in files]
    work = time.perf_counter() - t0
    work_cpu = _cpu_seconds() - cpu0
    self_use = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = _merge(results) if len(results) > 1 else results[0]
    out.update(
        work_s=work,
        work_cpu_s=work_cpu,
        cpu_s=self_use.ru_utime + self_use.ru_stime + kids.ru_utime + kids.ru_stime,
        maxrss_mb=max(self_use.ru_maxrss, kids.ru_maxrss) / 1024,
    )
    return out


# ------------------------------------------------------------------ parent -----------

def _tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (from /proc), parents first."""
    pids, stack = [], [pid]
    while stack:
        p = stack.pop()
        pids.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return pids


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    total = 0
    for p in _tree_pids(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def _kill_tree(proc: subprocess.Popen) -> None:
    """End a run that took too long, with its pool workers (by their pids only)."""
    for p in reversed(_tree_pids(proc.pid)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, 9)
    proc.wait()


def measure(task: str, path: Path, workers: int = 1, timeout: float = 1200) -> dict:
    """Run one task in a fresh interpreter: wall time, peak tree RSS and its own report."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", task, str(path),
           "--workers", str(workers)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if workers > 1:
        # One worker process per core, each with one polars thread: with polars' default
        # pool (a thread per core) in every worker, the workers fight over the cores
        # (measured on the country: 79 s wall with the default, 62 s with this).
        env.setdefault("POLARS_MAX_THREADS", "1")
    run = run_process(cmd, env, timeout)
    if run["returncode"] != 0:
        return {"task": task, "ok": False, "wall_s": run["wall_s"],
                "error": (run["stderr"].strip().splitlines() or ["?"])[-1]}
    report = json.loads(run["stdout"].strip().splitlines()[-1])
    report.update(task=task, ok=True, wall_s=run["wall_s"],
                  peak_tree_mb=max(run["peak_tree_mb"], report["maxrss_mb"]))
    return report


def run_process(cmd: list[str], env: dict, timeout: float = 1200) -> dict:
    """A command as a whole process: wall time, peak resident memory of its process tree
    (sampled every 50 ms), exit code and output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        stdout, stderr = "", f"timed out after {timeout:.0f} s"
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    return {"wall_s": wall, "peak_tree_mb": peak[0] / 1024, "returncode": proc.returncode,
            "stdout": stdout, "stderr": stderr}


def measure_survey(path: Path, workers: int, timeout: float = 1200) -> dict:
    """`python -m goalload survey FOLDER`: what a researcher runs on every municipality
    (read, metrics, overlap, recommendations with their effect, without the texts)."""
    cmd = [sys.executable, "-m", "goalload", "survey", str(path), "--workers", str(workers)]
    run = run_process(cmd, dict(os.environ, PYTHONPATH=str(ROOT)), timeout)
    totals = json.loads(run["stdout"])["totals"] if run["returncode"] == 0 else {}
    return {"wall_s": run["wall_s"], "peak_tree_mb": run["peak_tree_mb"], "workers": workers,
            "ok": run["returncode"] == 0, "documents": totals.get("documents"),
            "failed": totals.get("failed"), "error": run["stderr"].strip()[-300:] or None}


def run_size(size: str, repeats: int, workers: int = 1, tasks: str = "abc", log=print,
             regenerate: bool = False) -> dict:
    """Interleaved runs (a, b, c, a, b, c...) so load from other processes hits all alike."""
    path = dataset(size, regenerate)
    runs: dict[str, list[dict]] = {t: [] for t in tasks}
    for i in range(repeats):
        for task in tasks:
            r = measure(task, path, workers)
            log(f"  {size} {task} #{i + 1}: wall {r['wall_s']:.2f} s"
                + (f", work {r['work_s']:.2f} s, {r['peak_tree_mb']:.0f} MB" if r["ok"] else f" FAILED {r['error']}"))
            runs[task].append(r)
    files = files_of(path)
    return {"size": size, "label": SIZES[size][0], "path": str(path.relative_to(ROOT)),
            "files": len(files), "bytes": sum(f.stat().st_size for f in files),
            "workers": workers, "generator": data_stamp(size), "runs": runs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", nargs="?", choices=list(SIZES))
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--tasks", default="abc")
    args = parser.parse_args(argv)
    if args.child:
        task, path = args.child
        print(json.dumps(child(task, Path(path), args.workers)))
        return
    if not args.size:
        parser.error("give a size or use benchmarks/run.py")
    print(json.dumps(run_size(args.size, args.repeats, args.workers, args.tasks, log=lambda m: print(m, file=sys.stderr)), indent=1))


if __name__ == "__main__":
    main()
