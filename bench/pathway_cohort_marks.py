"""Time the pattern over every pathway page of a cohort (`pathways.suppression.cohort_pathway_marks`).

    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/driftsblik demo --no-serve
    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/pathway_cohort_marks.py youth_neet cash_long_term

Single process, the demo's registers; for each cohort the engine's computation of every register
unit's pathway (from the page's default start month, 24 months) is done first and not timed, then
the linked pattern is timed: seconds, the root unit's family's share, and how many pages are drawn
and withheld. `--dump FILE` writes the marks (pickle) to compare two versions' patterns.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cohorts", nargs="*", default=["youth_neet"])
    parser.add_argument("--dump", help="write {cohort: marks} here (pickle)")
    args = parser.parse_args()
    import django

    django.setup()
    from driftsblik.organisation.tree import tree_on
    from driftsblik.organisation.visibility import today
    from driftsblik.pathways import services, suppression
    from driftsblik.pathways.views import _default_start

    start = _default_start(services.register_facts())
    tree = tree_on(today())
    family_seconds: list[float] = []
    protect_family = suppression._protect_family

    def timed_family(*family_args: object) -> None:
        begun = time.perf_counter()
        protect_family(*family_args)  # type: ignore[arg-type]
        family_seconds.append(time.perf_counter() - begun)

    suppression._protect_family = timed_family  # type: ignore[assignment]
    dumped = {}
    for cohort in args.cohorts:
        found = services.cohort_pathways(cohort=cohort, start=start, months=24)
        family_seconds.clear()
        begun = time.perf_counter()
        marks = suppression.cohort_pathway_marks(found.per_unit, found.per_unit.keys(), tree)
        seconds = time.perf_counter() - begun
        withheld = sum(m is None for m in marks.values())
        print(
            f"{cohort} from {start}: {seconds:.1f} s (families {sum(family_seconds):.1f} s, the largest"
            f" {max(family_seconds, default=0):.1f} s); {len(marks)} pages, {len(marks) - withheld} drawn,"
            f" {withheld} withheld",
            flush=True,
        )
        dumped[cohort] = marks
    if args.dump:
        with open(args.dump, "wb") as out:
            pickle.dump(dumped, out)


if __name__ == "__main__":
    main()
