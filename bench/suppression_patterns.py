"""Time the cold suppression pattern (indicators/suppression.py) of person-based indicators.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wt_pathsup DRIFTSBLIK_VAR_DIR=$PWD/var \\
        .venv/bin/python bench/suppression_patterns.py [--year 2026] [--limit N] [CODE ...]

Each indicator's pattern for the year is computed cold (the pattern cache cleared and the
patterns kept in the database for that indicator and year deleted, the roll-up kept warm first
so that only the pattern is timed); prints seconds per indicator and the total.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")


def main() -> None:
    import django

    django.setup()
    from driftsblik.core.periods import Month, month_range
    from driftsblik.indicators import suppression
    from driftsblik.indicators.models import Indicator, SuppressionPattern
    from driftsblik.indicators.rollup import whole_tree_months
    from driftsblik.organisation.tree import TreeCache

    parser = argparse.ArgumentParser()
    parser.add_argument("codes", nargs="*")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    wanted = Indicator.objects.filter(person_based=True).order_by("code")
    if args.codes:
        wanted = wanted.filter(code__in=args.codes)
    indicators = list(wanted)[: args.limit or None]
    total = 0.0
    for indicator in indicators:
        trees = TreeCache()
        whole_tree_months([indicator], list(month_range(Month(args.year, 1), Month(args.year, 12))), trees)
        suppression.PATTERNS.clear()
        SuppressionPattern.objects.filter(indicator_code=indicator.code, year=args.year).delete()  # kept: cold
        start = time.perf_counter()
        found = suppression.patterns([indicator], [args.year], trees)
        took = time.perf_counter() - start
        total += took
        hidden = len(found.get((indicator.code, args.year), {}))
        print(f"{indicator.code:40s} {took:7.2f} s  {hidden:6d} hidden", flush=True)
    print(f"{'total':40s} {total:7.2f} s  ({len(indicators)} indicators)")


if __name__ == "__main__":
    main()
