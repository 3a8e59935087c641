"""Time `driftsblik observations import` on a file of a million monthly figures, with peak memory.

    python bench/observations_import.py [--rows 1000000] [--runs 2] [--cores 2]

Sets up the demo's indicators and the units of the demo at --scale 10 (about 3,100 operational
units) in a fresh SQLite database in a temporary folder, or in the PostgreSQL database of
DATABASE_URL (its observations are emptied first), writes --rows figures of the count
indicators (every operational unit x month from 2024-01, indicator after indicator), then runs
`driftsblik observations import FILE` as its own process --runs times (the first creates every
figure, the next find them all unchanged) and prints each run's wall time, CPU time and the process's peak
resident memory (GNU time's report of the command: start-up, reading, checking, storing), with the
machine's load average before and after (the import shares the cores with whatever else runs).
With --cores N the import is pinned to N cores with `taskset`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def setup_database(var_dir: str) -> None:
    os.environ.setdefault("DRIFTSBLIK_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_units_and_indicators() -> tuple[list[str], list[str]]:
    """The operational units of the demo at scale 10 and the codes of its count indicators."""
    from django.db import connection

    from driftsblik.demo.indicators import DATA_DIR
    from driftsblik.demo.organisation import HISTORY_START, build_organisation
    from driftsblik.indicators.models import ImportBatch, Indicator, Observation, ObservationRevision
    from driftsblik.indicators.services import indicators_define
    from driftsblik.organisation.models import Unit, UnitSpan

    if connection.vendor == "postgresql":  # no dead rows and index entries left from an earlier run
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE indicators_observation, indicators_observationrevision, indicators_importbatch CASCADE"
            )
    else:
        for model in (ObservationRevision, Observation, ImportBatch):
            model.objects.all().delete()
    org = build_organisation(np.random.default_rng(2026), 10)
    Unit.objects.bulk_create([Unit(id=u) for u in org.units], ignore_conflicts=True)
    if not UnitSpan.objects.filter(unit_id__in=list(org.units)).exists():
        UnitSpan.objects.bulk_create(
            UnitSpan(unit_id=u.id, parent_id=u.parent, name=u.name, kind=u.kind, valid_from=HISTORY_START)
            for u in org.units.values()
        )
    import yaml

    definitions = yaml.safe_load((DATA_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    for definition in definitions if isinstance(definitions, list) else definitions["indicators"]:
        definition.pop("task_area", None)  # the committees' task areas are not set up here
    plain = Path(os.environ["DRIFTSBLIK_VAR_DIR"]) / "indicators.yaml"
    plain.write_text(yaml.safe_dump(definitions, allow_unicode=True), encoding="utf-8")
    indicators_define(path=plain)
    counts = list(Indicator.objects.filter(measure="count").order_by("code").values_list("code", flat=True))
    return [u.id for u in org.leaves()], counts


def generate(path: Path, units: list[str], codes: list[str], rows: int, seed: int = 7) -> int:
    """`rows` figures: indicator after indicator, every unit, months from 2024-01 (as many as it takes)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    months = -(-rows // (len(units) * len(codes)))
    periods = np.array([f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(months)], dtype=object)
    index = np.arange(rows)
    month, rest = index % months, index // months
    unit, code = rest % len(units), rest // len(units)
    numerators = np.random.default_rng(seed).poisson(40, size=rows)
    table = pa.table(
        {
            "indicator": pa.array(np.array(codes, dtype=object)[code]),
            "unit_id": pa.array(np.array(units, dtype=object)[unit]),
            "period": pa.array(periods[month]),
            "numerator": pa.array(numerators),
            "denominator": pa.array([None] * rows, type=pa.int64()),
        }
    )
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="none"))
    return table.num_rows


def run_command(arguments: list[str], cores: int) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB and the last line of output of one
    `driftsblik` command as its own process.

    The command is started by GNU time, which reports the command's own peak: a process forked
    from this one (which holds the generated file's figures) and then exec'ed keeps the pre-exec
    high-water mark of its resident memory in its rusage on Linux."""
    driftsblik = shutil.which("driftsblik", path=str(Path(sys.executable).parent)) or "driftsblik"
    command = [driftsblik, *arguments]
    if cores and shutil.which("taskset"):
        command = ["taskset", "-c", ",".join(str(c) for c in range(cores)), *command]
    gnu_time = shutil.which("time", path="/usr/bin")
    if gnu_time is None:
        sys.exit("GNU time (/usr/bin/time, Debian package `time`) is needed to measure the command's own peak memory")
    with tempfile.TemporaryFile("w+") as sink, tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        process = subprocess.Popen(
            [gnu_time, "-o", report.name, "-f", "%M %U %S", *command], stdout=sink, stderr=subprocess.STDOUT
        )
        status = process.wait()
        elapsed = time.perf_counter() - started
        sink.seek(0)
        output = sink.read()
        measured = report.read().split()
    if status:
        sys.exit(f"the command failed:\n{output}")
    peak_kb, user, system = int(measured[-3]), float(measured[-2]), float(measured[-1])
    return elapsed, user + system, peak_kb / 1024, (output.strip().splitlines() or [""])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="figures in the file (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=2, help="imports of the same file (default 2)")
    parser.add_argument("--cores", type=int, default=2, help="pin the import to this many cores (0: no pinning)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="driftsblik-observations-bench-") as var_dir:
        setup_database(var_dir)
        from django.db import connection

        units, codes = load_units_and_indicators()
        path = Path(var_dir) / "observations.csv"
        rows = generate(path, units, codes, args.rows)
        print(f"database: {connection.vendor}; file: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB")
        print(f"load average at the start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        connection.close()
        elapsed, cpu, peak, _last = run_command(["check"], args.cores)
        print(f"baseline, `driftsblik check` (start-up only): {elapsed:.1f} s, {cpu:.1f} s CPU, peak RSS {peak:.0f} MB")
        for run in range(1, args.runs + 1):
            elapsed, cpu, peak, last = run_command(["observations", "import", str(path)], args.cores)
            print(f"import run {run}: {elapsed:.1f} s, {cpu:.1f} s CPU, peak RSS {peak:.0f} MB: {last}")
            sys.stdout.flush()
        print(f"load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
