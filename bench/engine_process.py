"""The register engine's whole command against hand-written DuckDB SQL, each as a whole process.

    .venv/bin/python bench/engine_process.py --registers /tmp/eng/r1m --runs 5
    .venv/bin/python bench/engine_process.py --registers /tmp/eng/r59m --runs 3

Make the registers first with ``driftsblik registers generate --persons N --out DIR``. Each run
starts ``driftsblik indicators compute`` (interpreter start, Django, imports, register checks, the
four cash-benefit and youth indicators, the Parquet output) and ``bench/engine_sql_baseline.py``
(interpreter start, DuckDB, one SQL statement, the Parquet output) as separate processes,
alternating, so each pair sees the same load; the outputs are checked equal. Reported per command:
median wall time, median CPU time (user + system, all threads: on a shared machine it varies
less than the wall time) and peak resident memory, from ``os.wait4``; and the median of the
pairs' ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from engine_sql_baseline import INDICATORS  # noqa: E402


def measure(argv: list[str]) -> dict[str, float]:
    """Run ``argv`` to its end: wall seconds, CPU seconds and peak RSS (MB) of that process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{err}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def same_output(a: Path, b: Path) -> bool:
    def rows(p: Path) -> list[tuple[object, ...]]:
        return sorted(
            (r["indicator"], r["unit_id"], r["period"], r["numerator"], r["denominator"], round(r["value"], 6))
            for r in pq.read_table(p).to_pylist()
        )

    return rows(a) == rows(b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registers", type=Path, required=True)
    parser.add_argument("--from", dest="start", default="2025-01")
    parser.add_argument("--to", dest="end", default="2025-12")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="Folder for the two outputs (default: a temporary folder).")
    args = parser.parse_args()
    if args.out is None:
        args.out = Path(tempfile.mkdtemp(prefix="engine-process-"))
    args.out.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    engine_out, sql_out = args.out / "engine.parquet", args.out / "sql.parquet"
    commands = {
        "engine": [
            str(bin_dir / "driftsblik"),
            "indicators",
            "compute",
            "--registers",
            str(args.registers),
            "--from",
            args.start,
            "--to",
            args.end,
            "--indicator",
            *INDICATORS,
            "--out",
            str(engine_out),
        ],
        "sql": [
            sys.executable,
            str(ROOT / "bench" / "engine_sql_baseline.py"),
            str(args.registers),
            args.start,
            args.end,
            "--out",
            str(sql_out),
        ],
    }
    runs: dict[str, list[dict[str, float]]] = {"engine": [], "sql": []}
    for i in range(args.runs):
        order = ("engine", "sql") if i % 2 == 0 else ("sql", "engine")
        for name in order:
            runs[name].append(measure(commands[name]))
    if not same_output(engine_out, sql_out):
        raise SystemExit("the engine and the SQL baseline disagree")
    result: dict[str, object] = {"registers": str(args.registers), "runs": args.runs}
    for name, rs in runs.items():
        result[name] = {k: round(statistics.median(r[k] for r in rs), 2) for k in ("wall", "cpu", "rss_mb")}
    for k in ("wall", "cpu"):
        ratios = [e[k] / s[k] for e, s in zip(runs["engine"], runs["sql"], strict=True)]
        result[f"ratio_{k}"] = round(statistics.median(ratios), 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
