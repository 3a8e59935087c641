"""Benchmark of citizen pathways: a 24-month pathway of each cohort, from opening the registers to
the suppressed tables and chart the page shows.

    .venv/bin/python bench/pathways.py --sizes 64000 1000000 5900000 --runs 3

Registers are made by the generator (``driftsblik registers generate``, cached in --data) over
--from..--to (default 2024-01..2026-12, so a cohort in --start 2025-01 has its year of history
and 23 months to follow). Each measurement runs in a fresh subprocess, so its peak memory
(``resource.getrusage``) is its own; the time is opening the registers, the engine's
``cohort_pathway`` and the page's suppression and chart spec (``pathways.selectors.pathway_view``),
with the interpreter start and imports excluded. The engine runs on DuckDB (--backend).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COHORTS = {"youth_neet": "start", "cash_long_term": "start", "elderly_discharged": "quarter"}


def worker(registers: str, cohort: str, start: str, months: int, backend: str) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from driftsblik.engine import backends
    from driftsblik.engine.contract import open_registers
    from driftsblik.engine.pathways import cohort_pathway
    from driftsblik.pathways.selectors import pathway_view

    t0 = time.perf_counter()
    con = backends.connect(backend)
    regs, problems = open_registers(registers, con, backend)
    if regs is None:
        raise SystemExit(f"registers: {problems}")
    t1 = time.perf_counter()
    steps: dict[str, float] = {}
    result = cohort_pathway(regs, con, backend, cohort=cohort, start=start, months=months, timings=steps)
    t2 = time.perf_counter()
    view = pathway_view(result, analyst=False, unit_name="Kommunen")
    t3 = time.perf_counter()
    backends.close(con, backend)
    return {
        "seconds": t3 - t0,
        "open": t1 - t0,
        "pathway": t2 - t1,
        "view": t3 - t2,
        "steps": steps,
        "cohort_size": result.cohort_size,
        "months_followed": result.months_followed,
        "hidden": sum(c.hidden for m in view.months for c in m["cells"]),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def ensure_registers(data: Path, persons: int, first: str, last: str) -> Path:
    folder = data / f"r{persons}"
    if not (folder / "persons.parquet").exists():
        from driftsblik.engine.generate import generate

        print(f"generating {persons:,} residents, {first}..{last} -> {folder}", file=sys.stderr)
        generate(folder, persons=persons, start=first, end=last, seed=1)
    return folder


def run_once(folder: Path, cohort: str, start: str, months: int, backend: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", str(folder), cohort, start, str(months), backend]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[64_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "bench-pathways")
    parser.add_argument("--from", dest="first", default="2024-01")
    parser.add_argument("--to", dest="last", default="2026-12")
    parser.add_argument("--start", default="2025-01", help="The cohort month (its quarter for the elderly).")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", default="duckdb")
    parser.add_argument("--cohorts", nargs="+", default=list(COHORTS))
    parser.add_argument("--worker", nargs=5, metavar=("DIR", "COHORT", "START", "MONTHS", "BACKEND"))
    args = parser.parse_args()
    if args.worker:
        folder, cohort, start, months, backend = args.worker
        print(json.dumps(worker(folder, cohort, start, int(months), backend)))
        return
    args.data.mkdir(parents=True, exist_ok=True)
    print("| residents | cohort | persons | months | median s (min-max) | engine s | of which cohort s | peak MB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for persons in args.sizes:
        folder = ensure_registers(args.data, persons, args.first, args.last)
        for cohort in args.cohorts:
            runs = [run_once(folder, cohort, args.start, args.months, args.backend) for _ in range(args.runs)]
            secs = [r["seconds"] for r in runs]
            last = runs[-1]
            print(
                f"| {persons:,} | {cohort} | {last['cohort_size']:,} | {last['months_followed']} | "
                f"{statistics.median(secs):.2f} ({min(secs):.2f}-{max(secs):.2f}) | "
                f"{statistics.median(r['pathway'] for r in runs):.2f} | "
                f"{statistics.median(r['steps']['cohort'] for r in runs):.2f} | "
                f"{max(r['peak_mb'] for r in runs):,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
