"""Overlap at scale: time and peak memory of goalload.overlap.find_overlap by size.

Each size runs in a fresh process (so peak RSS is that size's own): the process builds a
synthetic document with goalload.samplegen (realistic municipal goals, near-duplicate
variants across units, parent links, indicators), then times `find_overlap` (near-
duplicate and pass-through goals, clusters, shared indicators) and `overlap_share`.
Peak RSS is the process's high-water mark (document included); "RSS before" is what the
document alone took, so the difference is what the overlap analysis added.

    python benchmarks/bench_overlap.py                 # 1k, 10k, 100k goals: a table
    python benchmarks/bench_overlap.py --sizes 1000 10000
    python benchmarks/bench_overlap.py --json          # the rows as JSON
    python benchmarks/bench_overlap.py --child 10000   # internal: one measured run

A measurement, not a test: nothing fails when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (1_000, 10_000, 100_000)
TARGET_S = 60.0  # "100,000 goals in well under a minute" (issue 4)


def _rss_mb() -> float:
    """Current resident set size of this process, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _document(goals: int, seed: int):
    from goalload.samplegen import generate_document

    return generate_document(goals=goals, seed=seed, name=f"Benchmark {goals}")


def child(goals: int, seed: int) -> dict:
    """One measured run: build the document, then time the overlap analysis."""
    from goalload.overlap import DEFAULT_THRESHOLD, find_overlap, overlap_share

    t0 = time.perf_counter()
    doc = _document(goals, seed)
    generate_s = time.perf_counter() - t0
    rss_before = _rss_mb()
    load_start = os.getloadavg()[0]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    result = find_overlap(doc)
    overlap_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    share = overlap_share(doc, result)
    share_s = time.perf_counter() - t1
    cpu_s = time.process_time() - cpu0
    kinds = dict(result.pairs.group_by("kind").len().iter_rows())
    return {
        "goals": doc.goals.height,
        "distinct_texts": doc.goals["text"].n_unique(),
        "indicators": doc.indicators.height,
        "units": doc.units.height,
        "threshold": DEFAULT_THRESHOLD,
        "horizontal_pairs": kinds.get("horizontal", 0),
        "pass_through_pairs": kinds.get("pass_through", 0),
        "clusters": result.clusters["cluster_id"].n_unique(),
        "shared_indicator_rows": result.shared_indicators.height,
        "units_with_overlap": int((share["overlap_share"] > 0).sum()),
        "generate_s": round(generate_s, 2),
        "find_overlap_s": round(overlap_s, 2),
        "overlap_share_s": round(share_s, 3),
        "cpu_s": round(cpu_s, 2),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "load_average": round((load_start + os.getloadavg()[0]) / 2, 1),
    }


def run(goals: int, seed: int, timeout: int) -> dict:
    """One size in a fresh process; wall time from the parent too."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(goals), "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-2000:])
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["process_s"] = round(time.perf_counter() - t0, 2)
    return row


def _num(x: float | int) -> str:
    """Swedish-style thousands separator for the table."""
    if isinstance(x, int):
        return f"{x:,}".replace(",", " ")
    return f"{x:,.1f}".replace(",", " ").replace(".", ",")


def render(rows: list[dict]) -> str:
    head = (
        "| Goals | Distinct texts | Indicators | Wall (s) | CPU (s) | Load avg. | Peak RSS (MB) "
        "| RSS before (MB) | Horizontal pairs | Pass-through | Clusters |"
    )
    lines = [head, "|" + "---:|" * 11]
    for r in rows:
        lines.append(
            f"| {_num(r['goals'])} | {_num(r['distinct_texts'])} | {_num(r['indicators'])} "
            f"| {_num(r['find_overlap_s'] + r['overlap_share_s'])} | {_num(r['cpu_s'])} "
            f"| {_num(r.get('load_average', float('nan')))} | {_num(r['peak_rss_mb'])} "
            f"| {_num(r['rss_before_mb'])} | {_num(r['horizontal_pairs'])} "
            f"| {_num(r['pass_through_pairs'])} | {_num(r['clusters'])} |"
        )
    biggest = max(rows, key=lambda r: r["goals"])
    wall_s = biggest["find_overlap_s"] + biggest["overlap_share_s"]
    wall = "met" if wall_s < TARGET_S else "not met"
    cpu = "met" if biggest["cpu_s"] < TARGET_S else "not met"
    lines += [
        "",
        f"find_overlap + overlap_share at threshold {str(biggest['threshold']).replace('.', ',')}, "
        f"{os.cpu_count()} cores. Wall is elapsed time, CPU the process's own CPU seconds "
        "(all threads); 'Load avg.' is the machine's 1-minute load during the run: above "
        f"{os.cpu_count()} the process shared the cores with other work and wall time "
        f"grows accordingly. Target {TARGET_S:.0f} s for {_num(biggest['goals'])} goals: "
        f"{wall} in wall time, {cpu} in CPU time.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int)
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed)))
        return
    rows = []
    for size in args.sizes:
        print(f"[bench_overlap] {size} goals ...", file=sys.stderr)
        rows.append(run(size, args.seed, args.timeout))
    print(json.dumps(rows, indent=2) if args.json else render(rows))


if __name__ == "__main__":
    main()
