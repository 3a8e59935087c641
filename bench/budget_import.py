"""Time `driftsblik budget import` on a year of ledger lines of demo size (about 2 million rows).

    python bench/budget_import.py [--rows 2000000] [--runs 2] [--plain]

Builds the demo organisation's units in a fresh SQLite database in a temporary folder (or in the
PostgreSQL database of DATABASE_URL, whose budget and organisation tables are emptied first),
writes one budget year of ledger lines (every operational unit x functions x arts x dranst x
month, Danish semicolon format with `1.234.567,89` amounts unless --plain), then times in the
same run:
- baseline: reading the file with Python's csv module and nothing else;
- the import (`ledger_import`, as `driftsblik budget import FILE` runs it): checking and storing;
- the same file again (every line replaces one stored line);
- a month's file into the stored year.
Each import runs in a fresh child process (`--child FILE`), so the peak resident memory it reports
(VmHWM, which counts pyarrow's and SQLite's allocations outside Python too) is that import's own; a child
that only starts Django gives the floor the imports' peaks are to be read against.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ACCOUNTS = [
    "3.22.01",
    "3.32.50",
    "5.25.14",
    "5.25.11",
    "5.28.20",
    "5.28.23",
    "5.30.26",
    "5.30.27",
    "5.30.28",
    "5.38.50",
    "5.38.52",
    "5.57.71",
    "5.57.73",
    "5.68.90",
    "5.68.98",
    "2.28.11",
    "2.28.14",
    "1.38.65",
    "0.52.87",
    "6.45.51",
]
ARTS = [
    "1.0",
    "1.1",
    "1.2",
    "1.5",
    "1.8",
    "2.2",
    "2.3",
    "2.7",
    "2.9",
    "4.0",
    "4.5",
    "4.6",
    "4.9",
    "5.2",
    "5.9",
    "7.1",
    "7.2",
    "7.6",
    "7.7",
    "7.8",
    "7.9",
    "8.6",
    "9.1",
    "9.4",
]


def generate(
    path: Path, units: list[str], rows: int, year: int, *, danish: bool, seed: int = 7, months: int = 12
) -> int:
    """Unique (month, unit, account, dranst, art) lines of spending, about `rows` of them over a year;
    only the first `months` months are written."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    per_unit_month = max(1, rows // (12 * len(units)))
    combos = np.array([(a, d, r) for a in range(len(ACCOUNTS)) for d in (1, 2) for r in range(len(ARTS))])
    picks = np.stack([rng.choice(len(combos), size=min(per_unit_month, len(combos)), replace=False) for _ in units])
    n_units, n_picks = picks.shape
    month = np.repeat(np.arange(1, 13), n_units * n_picks)
    unit = np.tile(np.repeat(np.arange(n_units), n_picks), 12)
    combo = combos[np.tile(picks.reshape(-1), 12)]
    cents = rng.lognormal(10.5, 1.6, size=len(month)).astype(np.int64)
    keep = month <= months
    month, unit, combo, cents = month[keep], unit[keep], combo[keep], cents[keep]
    if danish:
        amount = [f"{c // 100:,}".replace(",", ".") + f",{c % 100:02d}" for c in cents.tolist()]
    else:
        amount = [f"{c // 100}.{c % 100:02d}" for c in cents.tolist()]
    table = pa.table(
        {
            "period": pa.array(np.array([f"{year}-{m:02d}" for m in range(1, 13)], dtype=object)[month - 1]),
            "unit_id": pa.array(np.array(units, dtype=object)[unit]),
            "account": pa.array(np.array(ACCOUNTS, dtype=object)[combo[:, 0]]),
            "dranst": pa.array(np.array(["0", "1", "2"], dtype=object)[combo[:, 1]]),
            "art": pa.array(np.array(ARTS, dtype=object)[combo[:, 2]]),
            "kind": pa.array(["forbrug"] * len(month), type=pa.string()),
            "amount": pa.array(amount, type=pa.string()),
        }
    )
    options = pacsv.WriteOptions(delimiter=";" if danish else ",", quoting_style="none")
    pacsv.write_csv(table, path, write_options=options)
    return table.num_rows


def setup_database(var_dir: str) -> None:
    os.environ.setdefault("DRIFTSBLIK_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_units() -> list[str]:
    from django.db import connection

    from driftsblik.budget.models import LedgerImport, LedgerLine, LedgerMonth
    from driftsblik.demo.organisation import HISTORY_START, build_organisation
    from driftsblik.organisation.models import Unit, UnitSpan

    if connection.vendor == "postgresql":  # no dead rows and index entries left from an earlier run
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE budget_ledgerline, budget_ledgermonth, budget_ledgerimport")
    else:
        LedgerLine.objects.all().delete()
        LedgerMonth.objects.all().delete()
        LedgerImport.objects.all().delete()
    org = build_organisation(np.random.default_rng(2026))
    Unit.objects.bulk_create([Unit(id=u) for u in org.units], ignore_conflicts=True)
    if not UnitSpan.objects.filter(unit_id__in=list(org.units)).exists():
        UnitSpan.objects.bulk_create(
            UnitSpan(unit_id=u.id, parent_id=u.parent, name=u.name, kind=u.kind, valid_from=HISTORY_START)
            for u in org.units.values()
        )
    return [u.id for u in org.leaves()]


def peak_rss() -> float:
    """This process's peak resident memory in MB: VmHWM, the high-water mark of its own address space
    (`ru_maxrss` would do, but Linux carries the parent's peak into it across fork and exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child(path: str | None) -> None:
    """In a fresh process: import `path` (or only start Django), print wall, CPU and peak RSS as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from driftsblik.budget.services import ledger_import

    started, cpu = time.perf_counter(), time.process_time()
    summary = str(ledger_import(path=path)) if path else "Django only"
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_rss()
    print(json.dumps({"wall": elapsed, "cpu": cpu, "rss": peak, "summary": summary}))


def measured(path: Path | None, var_dir: str) -> dict[str, object]:
    env = {**os.environ, "DRIFTSBLIK_VAR_DIR": os.environ.get("DRIFTSBLIK_VAR_DIR", var_dir)}
    command = [sys.executable, __file__, "--child", str(path) if path else ""]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000, help="about this many ledger lines (default 2 million)")
    parser.add_argument(
        "--runs", type=int, default=2, help="imports of the same file (the first stores, later ones replace)"
    )
    parser.add_argument("--plain", action="store_true", help="write 1234567.89 amounts, comma separated")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child or None)
        return
    with tempfile.TemporaryDirectory(prefix="driftsblik-budget-bench-") as var_dir:
        setup_database(var_dir)
        from django.db import connection

        units = load_units()
        path = Path(var_dir) / "ledger.csv"
        started = time.perf_counter()
        rows = generate(path, units, args.rows, 2025, danish=not args.plain)
        size = path.stat().st_size / 1e6
        written = time.perf_counter() - started
        print(f"database: {connection.vendor}; file: {rows} lines, {size:.0f} MB ({written:.1f} s to write)")
        started = time.perf_counter()
        with path.open(newline="", encoding="utf-8") as handle:  # the baseline: reading the file, nothing else
            counted = sum(1 for _ in csv.reader(handle, delimiter=";" if not args.plain else ","))
        baseline = time.perf_counter() - started
        print(f"baseline, csv.reader over the file: {baseline:.1f} s ({counted - 1} rows)")
        month_path = Path(var_dir) / "january.csv"
        generate(month_path, units, args.rows, 2025, danish=not args.plain, seed=8, months=1)
        connection.close()  # the children use the database
        floor = measured(None, var_dir)
        print(f"a child process that only starts Django: peak RSS {floor['rss']:.0f} MB")
        runs = [(f"import run {run}", path) for run in range(1, args.runs + 1)]
        for label, file in [*runs, ("one month's file into the stored year", month_path)]:
            result = measured(file, var_dir)
            wall, cpu, rss = float(result["wall"]), float(result["cpu"]), float(result["rss"])  # type: ignore[arg-type]
            print(
                f"{label}: {wall:.1f} s ({wall / baseline:.1f} x the baseline; {cpu:.1f} s CPU in the "
                f"Python process; peak RSS {rss:.0f} MB): {result['summary']}"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
