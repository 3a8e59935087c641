"""Benchmark of the pathway page (/forloeb/) on the demo: cold and warm, for the municipality and
for every unit with persons in the cohort, as the kommunaldirektør (suppressed counts).

    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/driftsblik demo --no-serve
    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/pathway_pages.py --cohort youth_neet --runs 3
    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/pathway_pages.py --cohort youth_neet --months 12

Single process, the SQLite database of DRIFTSBLIK_VAR_DIR (or DATABASE_URL), Django's test client
(the whole request). "cold": the first request after the pathway cache is emptied
(``services.cache_clear``: the engine's computation of the cohort and the page's hidden counts);
the indicators' kept suppression patterns stay (they are kept in the database per data version).
"warm": the same request again (the page's pattern is kept with the pathways). "other pages":
every other unit's page of the cohort, each its first request (the engine's computation is shared,
each page's pattern is decided on its first request). Each cold measurement is repeated --runs
times (median), the warm ones take the median of --runs requests.
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

    setup_test_environment()


def timed(client: object, url: str) -> tuple[float, object]:
    start = time.perf_counter()
    response = client.get(url)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        sys.exit(f"{url}: HTTP {response.status_code}")
    return seconds, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cohort", default="youth_neet")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--months", type=int, help="a shorter page than the 24 months (maaneder=N)")
    args = parser.parse_args()
    setup()
    from django.test import Client

    from driftsblik.organisation.models import Leadership
    from driftsblik.organisation.tree import tree_on
    from driftsblik.organisation.visibility import today
    from driftsblik.pathways import services

    day = today()
    tree = tree_on(day)
    root = tree.roots[0]
    lead = Leadership.objects.valid_on(day).filter(unit_id=root).select_related("user").first()
    if lead is None:
        sys.exit("no leader of the root: build the demo first (driftsblik demo --no-serve)")
    client = Client()
    client.force_login(lead.user)
    base = f"/forloeb/?kohorte={args.cohort}" + (f"&maaneder={args.months}" if args.months else "")
    colds = []
    for _ in range(args.runs):
        services.cache_clear()
        seconds, response = timed(client, base + "&enhed=")
        colds.append(seconds)
    view = response.context["view"]  # type: ignore[attr-defined]
    warm = statistics.median(timed(client, base + "&enhed=")[0] for _ in range(args.runs))
    units = [u for u, _name in response.context["form"].fields["enhed"].choices if u]  # type: ignore[attr-defined]
    others, withheld, shown = [], 0, 0
    for unit in units:
        seconds, page = timed(client, f"{base}&enhed={unit}")
        others.append(seconds)
        page_view = page.context["view"]  # type: ignore[attr-defined]
        if page_view is not None and page_view.result.cohort_size:
            shown += not page_view.too_small
            withheld += page_view.withheld
    hidden = sum(c.hidden for m in view.months for c in m["cells"])
    print(
        f"cohort {args.cohort}: {view.result.cohort_size} persons, {len(view.months)} months,"
        f" {hidden} status counts hidden"
    )
    print(
        f"municipality page, cold (median of {args.runs}): {statistics.median(colds):.2f} s  (runs: "
        + ", ".join(f"{c:.2f}" for c in colds)
        + ")"
    )
    print(f"municipality page, warm (median of {args.runs}): {warm:.3f} s")
    if others:
        print(
            f"other pages ({len(others)} units), first request: median {statistics.median(others):.3f} s,"
            f" max {max(others):.3f} s; {shown} drawn, {withheld} withheld"
        )


if __name__ == "__main__":
    main()
