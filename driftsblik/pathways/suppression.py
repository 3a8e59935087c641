"""Small-number suppression of a pathway's counts: the same rule as every other figure
(``indicators.suppression``, DESIGN.md "Small numbers"), over the pathway's own linked table.

The table a reader of /forloeb/ (and its download) gets: the cohort's size; persons per month and
status; the transitions between two months; and "across silos", persons and of them those in job or
education at the end, by the number of units and of domains involved. The equations a reader can
write down between them:

- a month's status counts add up to the cohort's size;
- the transitions out of a status add up to its count in the month before, those into a status to
  its count in the month after (only transitions of at least one person are listed, so a listed one
  is at least 1: the audit's box for a hidden transition says no less);
- the silo buckets of one dimension add up to the cohort's size, and their outcomes to the persons
  in job or education in the last month (a sum no page shows, kept as an unpublished figure);
- a bucket's outcome is at most its persons (an unpublished slack makes it an equation).

``indicators.suppression.protect`` hides every small count ("<5", primary), closes every equation
left with one hidden count and audits each group of hidden counts with linear programs ("x",
secondary: never presented as small). The cohort's size is the figure of the indicator it was
picked with (``COHORT_INDICATORS``) for the unit and the cohort's month or quarter; when that
figure is hidden by the indicator's pattern, the size starts hidden here too, so the pathway
cannot give it away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from driftsblik.core.periods import Month, Period
from driftsblik.engine.pathways import COHORTS, OUTCOME_STATUSES, PathwayResult
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.rollup import Cell
from driftsblik.indicators.suppression import (
    SECONDARY,
    SMALL,
    UNPUBLISHED,
    Equation,
    limit,
    mark_of,
    patterns,
    protection,
)
from driftsblik.organisation.tree import TreeCache

__all__ = ["COHORT", "COHORT_INDICATORS", "SECONDARY", "SMALL", "indicator_mark", "limit", "pathway_marks"]

COHORT: tuple[str] = ("n",)
"""The key of the cohort's size in the pathway's table."""
COHORT_INDICATORS = {
    "youth_neet": "youth_neet_3m",
    "cash_long_term": "cash_benefit_long_term",
    "elderly_discharged": "elderly_readmission_30d",
}
"""The indicator each cohort is picked with (its figure for the unit and month is the cohort)."""
_RANK = {"t": 0, "o": 1, "u": 2, "s": 3, "n": 4}  # the extra count: a transition first, the size last


def _count(n: int) -> Cell:
    return Cell(Decimal(n), None)


def pathway_table(result: PathwayResult) -> tuple[dict[Hashable, Cell], list[Equation], set[Hashable]]:
    """The pathway's counts by key, the equations between them, and the unpublished helpers."""
    zero = _count(0)
    cells: dict[Hashable, Cell] = {COHORT: _count(result.cohort_size)}
    equations: list[Equation] = []
    months: dict[int, list[Hashable]] = defaultdict(list)
    for r in result.statuses.to_pylist():
        key = ("s", r["offset"], r["status"])
        cells[key] = _count(r["persons"])
        months[r["offset"]].append(key)
    equations += [Equation(COHORT, tuple(keys), zero) for keys in months.values()]
    outs: dict[Hashable, list[Hashable]] = defaultdict(list)
    ins: dict[Hashable, list[Hashable]] = defaultdict(list)
    for r in result.transitions.to_pylist():
        key = ("t", r["offset"], r["from_status"], r["to_status"])
        cells[key] = _count(r["persons"])
        outs[("s", r["offset"] - 1, r["from_status"])].append(key)
        ins[("s", r["offset"], r["to_status"])].append(key)
    for groups in (outs, ins):
        equations += [Equation(total, tuple(parts), zero) for total, parts in groups.items() if total in cells]
    unpublished: set[Hashable] = set()
    last = max(months) if months else 0
    good: Hashable = ("g",)  # persons in job or education in the last month: shown only as its parts
    cells[good] = _count(sum(int(cells.get(("s", last, s), zero).numerator) for s in OUTCOME_STATUSES))
    unpublished.add(good)
    equations.append(Equation(good, tuple(("s", last, s) for s in OUTCOME_STATUSES if ("s", last, s) in cells), zero))
    by_dim: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in result.silos.to_pylist():
        by_dim[r["dimension"]].append(r)
    for dim, rows in by_dim.items():
        for r in rows:
            persons, outcome, rest = ("u", dim, r["bucket"]), ("o", dim, r["bucket"]), ("r", dim, r["bucket"])
            cells[persons], cells[outcome] = _count(r["persons"]), _count(r["outcome"])
            cells[rest] = _count(r["persons"] - r["outcome"])
            unpublished.add(rest)
            equations.append(Equation(persons, (outcome, rest), zero))
        equations.append(Equation(COHORT, tuple(("u", dim, r["bucket"]) for r in rows), zero))
        equations.append(Equation(good, tuple(("o", dim, r["bucket"]) for r in rows), zero))
    return cells, equations, unpublished


def pathway_marks(
    result: PathwayResult, *, cohort_mark: str | None = None, small_limit: int | None = None
) -> dict[Hashable, str] | None:
    """The pathway's hidden counts, each SMALL ("<5") or SECONDARY ("x"); ``cohort_mark`` is the
    mark of the indicator's figure the cohort was picked with (the size starts hidden with it).
    None when no pattern protects the table: a hidden count that is not small could still be
    worked out from the marks alone (a table of almost only small counts), so it is not shown."""
    cells, equations, unpublished = pathway_table(result)
    given: dict[Hashable, str] = dict.fromkeys(unpublished, UNPUBLISHED)
    if cohort_mark is not None:
        given[COHORT] = SMALL if 0 < result.cohort_size < (small_limit or limit()) else SECONDARY

    def rank(key: Hashable) -> int:
        return _RANK.get(str(key[0]), 5) if isinstance(key, tuple) else 5

    marks, narrowed = protection(cells, equations, small_limit, rank=rank, given=given)
    if any(marks[key] != SMALL for key in narrowed):
        return None
    return marks


def cohort_period(result: PathwayResult) -> Period:
    """The period of the indicator's figure the cohort is: its month, or its quarter."""
    month = Month.parse(result.cohort_month)
    if COHORTS[result.cohort].period == "quarter":
        return Period.parse(f"{month.year}Q{(month.month - 1) // 3 + 1}")
    return Period.month(month)


def indicator_mark(result: PathwayResult, node: str | None, trees: TreeCache | None = None) -> str | None:
    """The mark (SMALL, SECONDARY or None) of the figure the cohort was picked with, for the unit
    ``node`` (the municipality's root when None) in the cohort's month or quarter."""
    code = COHORT_INDICATORS.get(result.cohort)
    indicator = Indicator.objects.filter(code=code).first() if code else None
    if indicator is None or not indicator.person_based:
        return None
    trees = trees or TreeCache()
    period = cohort_period(result)
    if node is None:
        roots = trees.on(period.stop.end).roots
        if not roots:
            return None
        node = roots[0]
    found = patterns([indicator], [period.year], trees)
    return mark_of(found, indicator, node, period)
