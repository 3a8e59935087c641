"""The morning's import in small: change one figure of the latest month through the import service
and print how long the import took (its whole transaction: the figure, the roll-up of that month
and, for an indicator that counts persons, its suppression pattern).

    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/change_figure.py [--persons]

Run it just before the load benchmark (bench/load.py) to measure the minutes after an import, when
every leader opens the overview: whatever the import left for the pages to compute, the first
requests pay.
"""

from __future__ import annotations

import argparse
import os


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", action="store_true", help="a figure of an indicator that counts persons")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from rollup import change_one_figure  # bench/ is on the path when run as bench/change_figure.py

    print(f"import: {change_one_figure(0, persons=args.persons) / 1000:.1f} s")


if __name__ == "__main__":
    main()
