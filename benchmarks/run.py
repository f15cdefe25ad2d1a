"""`make bench`: every benchmark in one run; writes benchmarks/results.md and prints it.

    python benchmarks/run.py                          # all sizes, the app, overlap curve
    python benchmarks/run.py --sizes municipality     # a quick look
    python benchmarks/run.py --no-app --no-overlap

Benchmarks are measurements, not tests: nothing here fails when a target is missed; the
table says which targets were met on this machine at this time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import bench_read  # noqa: E402

RESULTS_MD = ROOT / "benchmarks" / "results.md"
RESULTS_JSON = ROOT / "benchmarks" / "results.json"
LIBRARIES = ("polars", "fastexcel", "pandas", "openpyxl", "numpy", "scipy", "streamlit", "plotly")
DEFAULT_REPEATS = {"municipality": 3, "city": 1, "country": 1}
COUNTRY_LIMIT_S = 60
COUNTRY_LIMIT_MB = 4096


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    versions = {}
    for lib in LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[lib] = metadata.version(lib)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "goalload"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "libraries": versions,
        "commit": commit + (" (+ uncommitted changes in goalload/)" if dirty else ""),
        "load_average": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _best(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get("ok") and r.get(key) is not None]
    return min(values) if values else None


def summarise(size_result: dict) -> dict:
    """Best-of-n times per task, peak memory, ratios and whether the targets were met."""
    runs = size_result["runs"]
    best = {t: {"wall": _best(r, "wall_s"), "work": _best(r, "work_s"),
                "cpu": _best(r, "cpu_s"), "work_cpu": _best(r, "work_cpu_s"),
                "mb": max((x["peak_tree_mb"] for x in r if x.get("ok")), default=None)}
            for t, r in runs.items()}
    out = {"best": best}
    for kind in ("wall", "work", "work_cpu"):
        b = best.get("b", {}).get(kind)
        for other in ("a", "c"):
            o = best.get(other, {}).get(kind)
            if b and o:
                out[f"b/{other} {kind}"] = b / o
    c_work = best.get("c", {}).get("work")
    b_runs = [r for r in runs.get("b", []) if r.get("ok")]
    if b_runs and c_work:
        out["read/c work"] = min(r["stages"]["read"] for r in b_runs) / c_work
    c_cpu = best.get("c", {}).get("work_cpu")
    if b_runs and c_cpu and all("stages_cpu" in r for r in b_runs):
        out["read/c work_cpu"] = min(r["stages_cpu"]["read"] for r in b_runs) / c_cpu
    if b_runs:
        fastest = min(b_runs, key=lambda r: r["work_s"])
        out["stages"] = fastest.get("stages", {})
        out["stages_cpu"] = fastest.get("stages_cpu", {})
        # The reader and the load metrics alone (what every page needs) against a and c.
        core = [r["stages_cpu"]["read"] + r["stages_cpu"]["metrics"] for r in b_runs if "stages_cpu" in r]
        for other in ("a", "c"):
            o = best.get(other, {}).get("work_cpu")
            if core and o:
                out[f"(read+metrics)/{other} work_cpu"] = min(core) / o
        out["modules"] = fastest.get("modules", [])
        out["errors"] = fastest.get("errors")
        out["goals"] = fastest.get("goals")
        out["indicators"] = fastest.get("indicators")
    return out


def _fmt(x: float | None, unit: str = "s", digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f} {unit}".strip()


def _target_lines(size: str, s: dict) -> list[str]:
    best = s["best"]
    b = best.get("b", {})
    lines = []
    if size in ("municipality", "city"):
        for kind, what in (("wall", "whole process"), ("work", "in-process"), ("work_cpu", "in-process CPU")):
            ba, bc = s.get(f"b/a {kind}"), s.get(f"b/c {kind}")
            if ba is not None:
                lines.append(f"- b faster than a ({what}): **{'yes' if ba < 1 else 'no'}** (b/a = {ba:.2f})")
            if bc is not None:
                lines.append(f"- b within 3× of c ({what}): **{'yes' if bc <= 3 else 'no'}** (b/c = {bc:.1f})")
    elif size == "country" and b.get("wall") is not None:
        ok_t = b["wall"] < COUNTRY_LIMIT_S
        ok_m = (b.get("mb") or 0) < COUNTRY_LIMIT_MB
        lines.append(f"- whole country under {COUNTRY_LIMIT_S} s: **{'yes' if ok_t else 'no'}** ({b['wall']:.1f} s)")
        lines.append(f"- whole country under 4 GB: **{'yes' if ok_m else 'no'}** ({b['mb']:.0f} MB)")
        if b.get("cpu"):
            cores = os.cpu_count() or 1
            lines.append(f"- CPU time of the whole process tree {b['cpu']:.0f} s: at best {b['cpu'] / cores:.0f} s "
                         f"of wall time on {cores} otherwise idle cores")
    return lines


def render(m: dict, sizes: list[dict], summaries: dict, app: dict | None, overlap_text: str | None) -> str:
    out = ["# Benchmark results", "",
           f"Written {m['date']}; machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, "
           f"Python {m['python']}, commit {m['commit']}.",
           "Libraries: " + ", ".join(f"{k} {v}" for k, v in m["libraries"].items()) + ".",
           f"Load average at start {m['load_average'][0]:.1f} (the machine is shared; wall times "
           "include waiting for a core, CPU times do not).", "",
           "(a) `pandas.read_excel(engine=\"openpyxl\", sheet_name=None)`, reading only; "
           "(b) goalload's full analysis; (c) calamine (fastexcel) reading only. "
           "*Whole process* = wall time of a fresh interpreter including imports, from the parent; "
           "*in-process* = the work alone after imports; *in-process CPU* = CPU seconds of that work "
           "(all threads and pool workers), steadier than wall time on a loaded machine; *process CPU* "
           "= the whole interpreter's. Best of the runs; peak memory is the largest resident set of "
           "the process tree seen.", ""]
    out += ["| size | file | run | whole process | in-process | in-process CPU | process CPU | peak memory |",
            "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in sizes:
        s = summaries[r["size"]]
        size_text = f"{r['label']}" + (f", {r['files']} files" if r["files"] > 1 else "")
        for task in ("a", "b", "c"):
            best = s["best"].get(task)
            if not best:
                continue
            n = len(r["runs"][task])
            out.append(f"| {size_text} | {r['bytes'] / 1e6:.1f} MB | ({task}) {bench_read.TASKS[task]}"
                       f"{f' ×{n}' if n > 1 else ''} | {_fmt(best['wall'])} | {_fmt(best['work'])} | "
                       f"{_fmt(best.get('work_cpu'))} | {_fmt(best['cpu'])} | {_fmt(best['mb'], 'MB', 0)} |")
    out += ["", "## Ratios and targets", ""]
    for r in sizes:
        s = summaries[r["size"]]
        ratio = ", ".join(f"{k} = {v:.2f}" for k, v in s.items() if "/" in k)
        out.append(f"**{r['label']}** ({s.get('goals', '?')} goals, {s.get('indicators', '?')} indicators, "
                   f"{s.get('errors', '?')} errors read; samplegen {r.get('generator', '?')}; measured "
                   f"{r.get('measured', '?')} at load average {r.get('load_average', float('nan')):.1f}): "
                   f"{ratio or 'no ratios'}")
        out.append("")
        out += _target_lines(r["size"], s)
        if r.get("survey"):
            sv = r["survey"]
            out.append(
                f"- `python -m goalload survey` on the same files ({sv['workers']} workers; read, "
                "metrics, overlap, recommendations with their effects, without their texts): "
                + (f"{sv['wall_s']:.1f} s whole process, {sv['peak_tree_mb']:.0f} MB peak, "
                   f"{sv['documents']} documents, {sv['failed']} failed" if sv["ok"]
                   else f"failed: {sv['error']}"))
        if s.get("stages"):
            cpu = s.get("stages_cpu") or {}
            out.append("- goalload stages (in-process wall / CPU): " + ", ".join(
                f"{k} {v:.2f}" + (f" / {cpu[k]:.2f}" if k in cpu else "") + " s" for k, v in s["stages"].items())
                + f"; modules run: {', '.join(s['modules'])}")
        out.append("")
    if app:
        out += ["## App with the large city loaded", ""]
        out += [f"- {line}" for line in app.get("lines", [])] or ["- (no result)"]
        out.append("")
    if overlap_text:
        out += ["## Overlap growth (benchmarks/bench_overlap.py)", "", overlap_text.strip(), ""]
    return "\n".join(out)


def _run_script(name: str, args: list[str], timeout: int) -> tuple[int, str, str]:
    script = ROOT / "benchmarks" / name
    if not script.exists():
        return -1, "", f"{name} not present"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                              env=env, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return -2, "", f"{name} timed out after {timeout} s"
    return proc.returncode, proc.stdout, proc.stderr


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="municipality,city,country")
    parser.add_argument("--repeats", type=int, help="runs per task (default 3 for the municipality, 1 otherwise)")
    parser.add_argument("--workers", type=int, default=0,
                        help="processes for the country folder, all three runs alike (default: one per core)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the generated workbooks first")
    parser.add_argument("--no-app", action="store_true")
    parser.add_argument("--no-overlap", action="store_true")
    parser.add_argument("--merge", action="store_true",
                        help="keep the previous results.json entries for what this run does not measure")
    parser.add_argument("--render-only", action="store_true", help="rewrite results.md from results.json")
    parser.add_argument("--out", type=Path, default=RESULTS_MD)
    args = parser.parse_args(argv)
    if args.render_only:
        saved = json.loads(RESULTS_JSON.read_text())
        summaries = {r["size"]: summarise(r) for r in saved["sizes"]}
        text = render(saved["machine"], saved["sizes"], summaries, saved.get("app"), saved.get("overlap_text"))
        args.out.write_text(text + "\n", encoding="utf-8")
        print(text)
        return
    m = machine()
    previous = json.loads(RESULTS_JSON.read_text()) if args.merge and RESULTS_JSON.exists() else {}
    measured: dict[str, dict] = {}
    for size in filter(None, args.sizes.split(",")):  # --sizes "" measures only the app/overlap
        print(f"[bench] {size}: generating (cached) and measuring", file=sys.stderr)
        repeats = args.repeats or DEFAULT_REPEATS[size]
        workers = (args.workers or os.cpu_count() or 1) if size == "country" else 1
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        load = os.getloadavg()[0]
        result = bench_read.run_size(size, repeats, workers, log=lambda msg: print(msg, file=sys.stderr),
                                     regenerate=args.regenerate)
        result.update(measured=started, load_average=load)
        if size == "country":
            print("[bench] country: python -m goalload survey", file=sys.stderr)
            result["survey"] = bench_read.measure_survey(bench_read.dataset(size), workers)
        measured[size] = result
    # Sizes in their usual order, this run's measurement first, else the kept one.
    kept = {r["size"]: r for r in previous.get("sizes", [])}
    sizes = [measured.get(s) or kept[s] for s in bench_read.SIZES if s in measured or s in kept]
    summaries = {r["size"]: summarise(r) for r in sizes}
    app = previous.get("app") if args.no_app else None
    if not args.no_app:
        print("[bench] app (AppTest, large city)", file=sys.stderr)
        code, stdout, stderr = _run_script("bench_app.py", ["--json"], timeout=900)
        if code == 0:
            app = json.loads(stdout.strip().splitlines()[-1])
        else:
            app = {"lines": [f"bench_app.py failed: {stderr.strip().splitlines()[-1:] or code}"]}
    overlap_text = previous.get("overlap_text") if args.no_overlap else None
    if not args.no_overlap:
        print("[bench] overlap growth (bench_overlap.py, if present)", file=sys.stderr)
        code, stdout, stderr = _run_script("bench_overlap.py", [], timeout=1200)
        if code == 0:
            overlap_text = stdout
        elif code != -1:
            overlap_text = f"bench_overlap.py failed: {stderr.strip()[-500:]}"
    RESULTS_JSON.write_text(json.dumps({"machine": m, "sizes": sizes, "summaries": summaries, "app": app,
                                        "overlap_text": overlap_text}, indent=1, ensure_ascii=False),
                            encoding="utf-8")
    text = render(m, sizes, summaries, app, overlap_text)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
