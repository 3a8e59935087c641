"""Roll-up benchmark: the full roll-up, the first overview after an import, the warm overview and
what a worker keeps, on the demo data.

    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/driftsblik demo --no-serve --force [--scale 10]
    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/rollup.py --runs 20

Single process, the database of DRIFTSBLIK_VAR_DIR (or DATABASE_URL), Django's test client, the
kommunaldirektør's overview (every unit two levels down, the key indicators over 13 months):
- full roll-up: every indicator and month with data rolled up for the whole tree (and, where the
  roll-up is kept in the database, stored), median of --full runs;
- first overview after an import: one figure of the latest month changed through the import
  service (its whole transaction timed too), then the overview, median of --imports runs;
- warm overview: p50 and p95 of --runs requests;
- worker RSS: the process's resident memory after every indicator and month was rolled up and the
  overview and every key indicator's page were opened, less before (the roll-up a worker keeps).
Works on the code before the roll-up moved to the database too (it then times the in-process
cache), so one command measures both sides.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from decimal import Decimal


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def full_rollup() -> None:
    from driftsblik.core.periods import Month
    from driftsblik.indicators import rollup
    from driftsblik.indicators.models import Indicator, Observation

    if hasattr(rollup, "refresh"):
        from driftsblik.indicators.models import RollUpState

        RollUpState.objects.all().delete()
        rollup.refresh(None)
        return
    rollup.ROLLED_UP.clear()
    months = {Month.of(p) for p in Observation.objects.values_list("period", flat=True).distinct()}
    rollup.whole_tree_months(list(Indicator.objects.all()), months)


def change_one_figure(step: int, *, persons: bool = False) -> float:
    """Change one figure of the latest month through the import service; the import's milliseconds.
    `persons`: a figure of an indicator that counts persons (its suppression pattern changes)."""
    from driftsblik.indicators.models import Observation
    from driftsblik.indicators.services import observations_load

    figures = Observation.objects.order_by("-period", "id").select_related("indicator")
    latest = figures.filter(indicator__person_based=True).first() if persons else figures.first()
    assert latest is not None, "build the demo first"
    numerator = latest.numerator + Decimal(1 if step % 2 == 0 else -1)
    row = {
        "indicator": latest.indicator_id,
        "unit_id": latest.unit_id,
        "period": f"{latest.period:%Y-%m}",
        "numerator": numerator,
        "denominator": max(latest.denominator, numerator) if latest.denominator is not None else None,
    }
    return timed(lambda: observations_load(rows=[row], source="bench", retrieved_at=dt.datetime.now(dt.UTC)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--full", type=int, default=3)
    parser.add_argument("--imports", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from driftsblik.indicators.models import Indicator, Observation

    setup_test_environment()
    settings.ROLLUP_CACHE = True
    from pages import people, percentile  # bench/ is on the path when run as bench/rollup.py

    _role, user, unit = people()[0]
    client = Client()
    client.force_login(user)
    units = connection.cursor()
    units.execute("SELECT COUNT(*) FROM organisation_unit")
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; units {units.fetchone()[0]}, "
        f"observations {Observation.objects.count()}"
    )
    before = rss_mb()
    full = [timed(full_rollup) for _ in range(args.full)]
    print(f"full roll-up, median of {args.full}: {statistics.median(full):.0f} ms")
    imports, firsts = [], []
    for step in range(args.imports):
        imports.append(change_one_figure(step))
        firsts.append(timed(lambda: client.get("/")))
    print(f"one-figure import, median: {statistics.median(imports):.0f} ms")
    print(f"first overview after an import, median of {args.imports}: {statistics.median(firsts):.0f} ms")
    warm = [timed(lambda: client.get("/")) for _ in range(args.runs)]
    print(f"warm overview p50 / p95 of {args.runs}: {statistics.median(warm):.0f} / {percentile(warm, 95):.0f} ms")
    for indicator in Indicator.objects.filter(key=True):
        assert client.get(f"/indikator/{indicator.code}/{unit}/").status_code == 200
    full_rollup()
    print(f"worker RSS: {before:.0f} MB before, {rss_mb():.0f} MB after (+{rss_mb() - before:.0f} MB)")


if __name__ == "__main__":
    main()
