"""Benchmark of the register engine: medians of several runs, peak memory, ratios to the floor
(reading every column of every register once) and to a straightforward pandas implementation.

    .venv/bin/python bench/engine.py --sizes 64000:2025-01:2025-12 64000:2021-01:2025-12 \
        1000000:2025-01:2025-12 --backends duckdb polars --runs 5 --pandas-max 1000000

Registers are made by the generator (``driftsblik registers generate``; cached in --data). Each
measurement runs in a fresh subprocess (so peak memory is that run's alone, taken with
``resource.getrusage``); the time is the wall time of ``compute()`` plus writing the output, the
subprocess's interpreter start and imports (Ibis, the engine, the backend's Ibis module) excluded. The CPU
time (user + system, all threads) of the same span is reported beside it: on a machine shared
with other work it varies much less than the wall time. ``--compare DIR`` also measures the engine
of another version (for example ``mkdir /tmp/before && git archive <commit> driftsblik | tar -x -C
/tmp/before``) in the same run, runs alternating, so that before and after see the same load.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    """This process's peak resident memory in MB: ``VmHWM`` where Linux gives it (the maximum of
    ``getrusage`` also counts the parent's memory at the fork, when the parent had just generated
    the registers), else ``getrusage``."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(kind: str, registers: str, start: str, end: str, backend: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    c0 = cpu_seconds()
    if kind == "floor":
        import pyarrow.parquet as pq

        t0, c0 = time.perf_counter(), cpu_seconds()
        rows = 0
        for f in sorted(Path(registers).glob("*.parquet")):
            rows += pq.read_table(f).num_rows
        info: dict[str, Any] = {"rows": rows}
    elif kind == "engine":
        import ibis

        from driftsblik.engine import compute, write_output

        getattr(ibis, backend)  # the backend's Ibis module is an import too (Ibis loads it on first use)
        t0, c0 = time.perf_counter(), cpu_seconds()
        timings: dict[str, float] = {}
        out = compute(registers, start, end, backend=backend, timings=timings)
        write_output(out, Path(registers).parent / f"out-{backend}.parquet")
        info = {"rows": out.num_rows, "steps": {k: round(v, 3) for k, v in timings.items()}}
    elif kind == "pandas":
        sys.path.insert(0, str(ROOT / "bench"))
        import engine_pandas_baseline as baseline

        out = baseline.compute(Path(registers), start, end)
        info = {"rows": len(out)}
        out.to_parquet(Path(registers).parent / "out-pandas.parquet")
    else:
        raise SystemExit(f"unknown worker {kind}")
    info["seconds"] = time.perf_counter() - t0
    info["cpu_seconds"] = cpu_seconds() - c0
    info["peak_mb"] = peak_mb()
    return info


def run_once(kind: str, registers: Path, start: str, end: str, backend: str, root: Path = ROOT) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", kind, str(registers), start, end, backend]
    r = subprocess.run(
        cmd, capture_output=True, text=True, check=False, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(root)}
    )
    if r.returncode:
        raise SystemExit(f"{kind} {backend} failed: {r.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(r.stdout.strip().splitlines()[-1])
    return result


def summary(kind: str, backend: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    secs = [x["seconds"] for x in results]
    return {
        "kind": kind,
        "backend": backend,
        "runs": len(results),
        "median_s": statistics.median(secs),
        "min_s": min(secs),
        "max_s": max(secs),
        "cpu_s": statistics.median(x["cpu_seconds"] for x in results),
        "peak_mb": max(x["peak_mb"] for x in results),
        "rows": results[0]["rows"],
        "steps": results[len(results) // 2].get("steps"),
    }


def measure(kind: str, registers: Path, start: str, end: str, backend: str, runs: int) -> dict[str, Any]:
    return summary(kind, backend, [run_once(kind, registers, start, end, backend) for _ in range(runs)])


def measure_pair(registers: Path, start: str, end: str, backend: str, runs: int, other: Path) -> list[dict[str, Any]]:
    """The engine of this checkout and of ``other``, runs alternating; checks equal output."""
    import pyarrow.parquet as pq

    mine: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    out = registers.parent / f"out-{backend}.parquet"
    for _ in range(runs):
        theirs.append(run_once("engine", registers, start, end, backend, other))
        before = out.read_bytes()
        mine.append(run_once("engine", registers, start, end, backend))
        if not pq.read_table(io.BytesIO(before)).equals(pq.read_table(out)):
            raise SystemExit(f"the engine in {other} and this one disagree on {registers}")
    return [summary("engine", backend, mine), summary("engine", f"{backend}, {other}", theirs)]


def ensure_registers(data: Path, persons: int, start: str, end: str) -> Path:
    folder = data / f"r{persons}-{start}-{end}"
    if not (folder / "admissions.parquet").exists():
        from driftsblik.engine.generate import generate

        t0 = time.perf_counter()
        generate(folder, persons=persons, start=start, end=end, seed=1)
        print(f"generated {persons} persons {start}..{end} in {time.perf_counter() - t0:.1f} s", flush=True)
    return folder


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(*sys.argv[2:7])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["64000:2025-01:2025-12"], help="PERSONS:FROM:TO")
    parser.add_argument("--backends", nargs="+", default=["duckdb", "polars"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pandas-max", type=int, default=1_000_000, help="largest size to run pandas on")
    parser.add_argument("--pandas-runs", type=int, default=1)
    parser.add_argument("--spark-at", type=int, default=0, help="also run pyspark (one run) at this size")
    parser.add_argument("--data", default="var/bench-registers", help="where generated registers are kept")
    parser.add_argument("--json", help="write all results to this file")
    parser.add_argument("--compare", type=Path, help="also measure the engine of this checkout (runs alternating)")
    args = parser.parse_args()
    data = Path(args.data)
    report = []
    for spec in args.sizes:
        persons_s, start, end = spec.split(":")
        persons = int(persons_s)
        folder = ensure_registers(data, persons, start, end)
        rows = {"size": persons, "months": f"{start}..{end}"}
        floor = measure("floor", folder, start, end, "-", args.runs)
        results = [floor]
        for backend in args.backends:
            if args.compare:
                results += measure_pair(folder, start, end, backend, args.runs, args.compare.resolve())
            else:
                results.append(measure("engine", folder, start, end, backend, args.runs))
        if args.spark_at == persons:
            results.append(measure("engine", folder, start, end, "pyspark", 1))
        if persons <= args.pandas_max:
            results.append(measure("pandas", folder, start, end, "-", args.pandas_runs))
        for r in results:
            r.update(rows)
            r["x_floor"] = r["median_s"] / floor["median_s"]
            print(json.dumps(r), flush=True)
        pandas = [r for r in results if r["kind"] == "pandas"]
        if pandas:
            for r in results:
                if r["kind"] == "engine":
                    r["pandas_over_engine"] = pandas[0]["median_s"] / r["median_s"]
        report += results
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    print("\n| size | months | what | runs | median s | min-max s | CPU s | peak MB | x floor | pandas / this |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in report:
        what = r["kind"] if r["kind"] != "engine" else f"engine ({r['backend']})"
        ratio = f"{r['pandas_over_engine']:.0f}x" if "pandas_over_engine" in r else ""
        print(
            f"| {r['size']:,} | {r['months']} | {what} | {r['runs']} | {r['median_s']:.2f} | "
            f"{r['min_s']:.2f}-{r['max_s']:.2f} | {r['cpu_s']:.2f} | {r['peak_mb']:.0f} | "
            f"{r['x_floor']:.1f} | {ratio} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
