"""The demo's ledger: three budget years of budget and spending for every operational unit.

Amounts are a Danish municipality of about 65,000 residents (about 4.4 billion DKK of operating
spending a year), by the function of the chart of accounts each kind of unit books on, grown 3 %
a year. Spending has the seasons of a municipal ledger: holiday pay in May, fewer salaries in
July, the year-end catch-up in December, winter service in the winter months. The original
budget is booked in January; a supplementary appropriation or two come during the year. In the
last budget year, Sundhed, Ældre og Handicap spends above its budget on home care, nursing
homes and housing (the area heading for an overrun). One file per budget year, Danish format,
loaded through `ledger_import` as `driftsblik budget import` would.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

import numpy as np

from driftsblik.core.periods import Month

# domain of an operational unit -> (function, million DKK a year for a unit of load 1)
SPENDING: dict[str, tuple[tuple[str, float], ...]] = {
    "jobcenter": (("6.45.53", 6), ("5.68.90", 9)),
    "benefits": (("5.57.73", 95), ("5.57.71", 70)),
    "business": (("5.68.98", 25), ("5.57.81", 60)),
    "youth": (("3.22.30", 4), ("5.57.73", 12)),
    "youth_school": (("3.38.76", 6),),
    "tenth_grade": (("3.22.01", 20),),
    "language": (("5.46.60", 8),),
    "integration": (("5.46.60", 6), ("5.46.61", 10)),
    "school": (("3.22.01", 9), ("3.22.05", 1.5)),
    "special_school": (("3.22.08", 45),),
    "daycare": (("5.25.14", 11),),
    "childminding": (("5.25.11", 25),),
    "family_authority": (("5.28.20", 40), ("5.28.21", 20), ("6.45.58", 5)),
    "ppr": (("3.22.01", 6),),
    "health_visitor": (("4.62.89", 12),),
    "family_house": (("5.28.21", 10),),
    "residential_children": (("5.28.23", 30),),
    "library": (("3.32.50", 14),),
    "music_school": (("3.35.63", 8),),
    "sports": (("0.32.31", 15),),
    "culture_house": (("3.35.64", 10),),
    "youth_club": (("5.25.16", 7),),
    "homecare": (("5.30.26", 40),),
    "night_care": (("5.30.26", 25),),
    "nursing": (("5.30.28", 22),),
    "nursing_home": (("5.30.27", 13),),
    "training": (("4.62.82", 12),),
    "rehab": (("5.30.26", 8),),
    "health_centre": (("4.62.88", 8),),
    "dementia": (("5.30.29", 6),),
    "dental": (("4.62.85", 14),),
    "housing_disabled": (("5.38.50", 14),),
    "social_psychiatry": (("5.38.42", 18),),
    "workshop": (("5.38.59", 15),),
    "visitation": (("5.30.32", 35),),
    "disability_authority": (("5.38.52", 60), ("5.38.53", 10)),
    "roads": (("2.28.11", 20), ("2.28.14", 6)),
    "traffic": (("2.32.31", 25),),
    "environment": (("0.52.87", 6),),
    "nature": (("0.55.90", 6),),
    "waste": (("1.38.61", 35), ("1.38.65", 20)),
    "building": (("6.45.51", 7),),
    "planning": (("6.45.51", 9),),
    "property": (("0.25.13", 25),),
}
OTHER = (("6.45.51", 5),)
TRANSFERS = {"5.57.71", "5.57.73", "5.57.81", "5.46.61", "5.28.20", "5.38.52"}  # payments, not salaries
OVERRUN_AREA = "SAEH"
OVERRUN_FUNCTIONS = {"5.30.26", "5.30.27", "5.38.50", "5.38.52"}
OVERRUN = 0.06  # the area's units on these functions spend 6 % above budget in the last year
GROWTH = 0.03

SERVICE_SEASON = np.array([1.0, 0.97, 1.0, 0.98, 1.3, 1.0, 0.8, 0.95, 1.0, 1.0, 1.0, 1.4])
TRANSFER_SEASON = np.array([1.0, 0.98, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.98, 1.0, 1.0, 1.04])
WINTER_SEASON = np.array([2.4, 2.2, 1.4, 0.4, 0.1, 0.05, 0.05, 0.05, 0.1, 0.6, 1.6, 3.05])
COLUMNS = ("period", "unit_id", "account", "dranst", "art", "kind", "amount")


def _season(function: str) -> np.ndarray:
    if function == "2.28.14":
        profile = WINTER_SEASON
    elif function in TRANSFERS:
        profile = TRANSFER_SEASON
    else:
        profile = SERVICE_SEASON
    return profile / profile.sum()


def _kroner(value: float) -> str:
    """Whole kroner in the Danish format (1.234.567,00)."""
    return f"{round(value):,}".replace(",", ".") + ",00"


def ledger_rows(org: Any, year: int, last_month: Month, first_year: int, rng: np.random.Generator) -> list[list[str]]:
    """One budget year's lines: original budget in January, spending per month, appropriations."""
    rows: list[list[str]] = []
    through = 12 if year < last_month.year else last_month.month
    last_year = year == last_month.year
    supplementary: list[tuple[int, str, str, float]] = []
    for unit in org.leaves():
        chain = [unit.id, *org.ancestors(unit.id)]
        area = chain[-2] if len(chain) >= 2 else ""  # the unit just below the root
        for function, millions in SPENDING.get(unit.domain, OTHER):
            budget = millions * 1e6 * unit.load * (1 + GROWTH) ** (year - first_year)
            art = "5.2" if function in TRANSFERS else "1.0"
            rows.append([f"{year}-01", unit.id, function, "1", art, "oprindeligt budget", _kroner(budget)])
            level = 1 + rng.normal(-0.012, 0.01)
            if last_year and area == OVERRUN_AREA and function in OVERRUN_FUNCTIONS:
                level = 1 + OVERRUN + rng.normal(0, 0.01)
            spend = budget * level * _season(function) * (1 + rng.normal(0, 0.02, 12))
            for month in range(1, through + 1):
                period = f"{year}-{month:02d}"
                if art == "1.0":  # salaries and the rest of running costs
                    rows.append([period, unit.id, function, "1", "1.0", "forbrug", _kroner(spend[month - 1] * 0.72)])
                    rows.append([period, unit.id, function, "1", "2.2", "forbrug", _kroner(spend[month - 1] * 0.28)])
                else:
                    rows.append([period, unit.id, function, "1", art, "forbrug", _kroner(spend[month - 1])])
            if function == "2.28.14":  # a hard winter: more for winter service in March
                supplementary.append((3, unit.id, function, budget * 0.15))
            if last_year and area == OVERRUN_AREA and function == "5.30.26":  # part of the overrun covered
                supplementary.append((9, unit.id, function, budget * 0.015))
    for month, unit_id, function, amount in supplementary:
        if month <= through:
            rows.append([f"{year}-{month:02d}", unit_id, function, "1", "1.0", "tillægsbevilling", _kroner(amount)])
    return rows


def load_demo(files: Any, *, say: Callable[[str], None]) -> str:
    """Write the ledger files (one per budget year) into files.directory and load them."""
    from driftsblik.budget.services import ledger_import

    rng = np.random.default_rng([files.seed, 4711])
    first_year, last = files.first_month.year, files.last_month
    total = 0
    for year in range(first_year, last.year + 1):
        path = files.path(f"ledger_{year}.csv")
        rows = ledger_rows(files.organisation, year, last, first_year, rng)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        ledger_import(path=path, year=year)
        total += len(rows)
    return f"{total:,} ledger lines for {first_year}-{last.year} (ledger_YYYY.csv)"
