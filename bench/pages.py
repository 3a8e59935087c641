"""Page benchmark: p50/p95 response times and queries per page on the demo data.

    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/driftsblik demo --no-serve --force
    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/pages.py --runs 50

Single process, the SQLite database of DRIFTSBLIK_VAR_DIR (or DATABASE_URL), Django's test
client (the whole request: middleware, session, view, template; no network). For the
kommunaldirektør, a director and a sector head it times the overview and the indicator page
(the first key indicator at the person's unit) and the budget follow-up (`/budget/`, the person's
own unit), and counts each page's queries.
Requirement (issue 2): under 150 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's host in; e-mail to memory


def people() -> list[tuple[str, object, str]]:
    """(role, user, unit id) for the kommunaldirektør, the first director and the first sector head."""
    from driftsblik.organisation.models import Leadership
    from driftsblik.organisation.tree import tree_on
    from driftsblik.organisation.visibility import today

    day = today()
    tree = tree_on(day)
    leads = Leadership.objects.valid_on(day).select_related("user")
    by_kind: dict[str, list[tuple[str, object, str]]] = {}
    for lead in leads:
        kind = tree.kind.get(lead.unit_id)
        if kind:
            by_kind.setdefault(kind, []).append((tree.name[lead.unit_id], lead.user, lead.unit_id))
    chosen = []
    for role, kind in (("kommunaldirektør", "root"), ("director", "area"), ("sector head", "sector")):
        if not by_kind.get(kind):
            sys.exit(f"no leader of a unit of kind {kind}: build the demo first (driftsblik demo --no-serve)")
        _name, user, unit = sorted(by_kind[kind], key=lambda e: e[0])[0]
        chosen.append((role, user, unit))
    return chosen


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def cold(client, url: str, runs: int, *, persons: bool) -> tuple[float, float]:
    """Medians of the import and of the first request after it: one figure of the latest month
    changed through the import service (which rolls that month up again in its transaction, and
    computes the suppression pattern of an indicator counting persons) before each request.
    `persons`: the figure is of an indicator that counts persons, else the latest figure of any."""
    from rollup import change_one_figure  # bench/rollup.py

    imports, timings = [], []
    for step in range(runs):
        imports.append(change_one_figure(step, persons=persons))
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(imports), statistics.median(timings)


def measure(client, url: str, runs: int, warmup: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), percentile(timings, 95), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--pages", default="overview,indicator,budget", help="which pages, comma separated (default all three)"
    )
    parser.add_argument(
        "--no-cold",
        dest="cold",
        action="store_false",
        help="skip the first request after an import (it changes a figure and computes what follows cold)",
    )
    parser.add_argument(
        "--cold-runs", type=int, default=0, help="imports timed per page and figure kind (default: runs/10, 3 or more)"
    )
    args = parser.parse_args()
    wanted = set(args.pages.split(","))
    setup()
    from django.db import connection
    from django.test import Client

    from driftsblik.indicators.pages import key_indicators

    code = key_indicators()[0].code
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; runs per page: {args.runs}")
    print(
        "| person | page | p50 ms | p95 ms | first after an import: of any figure / of a count of persons,"
        " median ms (the import's ms) | queries |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    cold_runs = args.cold_runs or max(3, args.runs // 10)
    for role, user, unit in people():
        client = Client()
        client.force_login(user)
        for page, url in (("overview", "/"), ("indicator", f"/indikator/{code}/{unit}/"), ("budget", "/budget/")):
            if page not in wanted:
                continue
            first = "-"
            if args.cold:
                (any_import, any_first), (persons_import, persons_first) = (
                    cold(client, url, cold_runs, persons=persons) for persons in (False, True)
                )
                first = f"{any_first:.0f} ({any_import:.0f}) / {persons_first:.0f} ({persons_import:.0f})"
            p50, p95, queries = measure(client, url, args.runs, args.warmup)
            print(f"| {role} ({unit}) | {page} `{url}` | {p50:.0f} | {p95:.0f} | {first} | {queries} |", flush=True)


if __name__ == "__main__":
    main()
