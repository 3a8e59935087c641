"""Roll-up: an indicator's figure at any unit and period, from the monthly observations. Implemented once.

Across units, a unit's figure for a month is the sum of the numerators (and denominators) of
its own observations and those of every unit below it in the tree valid at that month's end.
Ratios are sum(numerator) / sum(denominator), never a mean of ratios.
Across months, flows add up (numerators and denominators alike) and stocks take the last month
with data in the period.
Every page, export, command and report asks this module; nothing else adds figures up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator, Measure, Observation, Temporal
from driftsblik.organisation.tree import TreeCache

ZERO = Decimal(0)


@dataclass(frozen=True)
class Cell:
    """A numerator and denominator pair; the denominator is None for counts."""

    numerator: Decimal
    denominator: Decimal | None

    def __add__(self, other: Cell) -> Cell:
        if self.denominator is None and other.denominator is None:
            den = None
        else:
            den = (self.denominator or ZERO) + (other.denominator or ZERO)
        return Cell(self.numerator + other.numerator, den)


def value_of(indicator: Indicator, cell: Cell | None) -> Decimal | None:
    """The shown value: the count, 100 * num / den for shares, 1000 * num / den for rates."""
    if cell is None:
        return None
    if indicator.measure == Measure.COUNT:
        return cell.numerator
    if not cell.denominator:
        return None
    return indicator.scale * cell.numerator / cell.denominator


def combine_months(indicator: Indicator, by_month: dict[Month, Cell], months: Iterable[Month]) -> Cell | None:
    """One cell for a run of months: flows add up, stocks take the last month with data."""
    present = [m for m in months if m in by_month]
    if not present:
        return None
    if indicator.temporal == Temporal.STOCK:
        return by_month[max(present)]
    total = by_month[present[0]]
    for month in present[1:]:
        total = total + by_month[month]
    return total


def monthly_cells(
    indicators: Iterable[Indicator],
    unit_ids: Iterable[str],
    months: Iterable[Month],
    trees: TreeCache | None = None,
) -> dict[tuple[str, str, Month], Cell]:
    """Rolled-up cells per (indicator code, unit id, month) for the asked units and months.

    One query for the observations whatever the number of units; one tree per month.
    """
    trees = trees or TreeCache()
    indicator_by_code = {i.code: i for i in indicators}
    wanted_units = set(unit_ids)
    month_list = sorted(set(months))
    if not indicator_by_code or not wanted_units or not month_list:
        return {}
    firsts = {m.first: m for m in month_list}
    rows = Observation.objects.filter(indicator_id__in=list(indicator_by_code), period__in=list(firsts)).values_list(
        "indicator_id", "unit_id", "period", "numerator", "denominator"
    )
    sums: dict[tuple[str, str, Month], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    ratio = {code: ind.measure != Measure.COUNT for code, ind in indicator_by_code.items()}
    # For each month, the chain of each observed unit in that month's tree: itself and its ancestors.
    chains: dict[tuple[Month, str], list[str]] = {}
    for code, unit_id, first, numerator, denominator in rows:
        month = firsts[first]
        key = (month, unit_id)
        chain = chains.get(key)
        if chain is None:
            tree = trees.on(month.end)
            chain = [unit_id, *tree.ancestors(unit_id)] if unit_id in tree else [unit_id]
            chain = [u for u in chain if u in wanted_units]
            chains[key] = chain
        for unit in chain:
            acc = sums[(code, unit, month)]
            acc[0] += numerator
            if ratio[code] and denominator is not None:
                acc[1] += denominator
    return {key: Cell(acc[0], acc[1] if ratio[key[0]] else None) for key, acc in sums.items()}


def period_cells(
    indicators: Iterable[Indicator],
    unit_ids: Iterable[str],
    periods: Iterable[Period],
    trees: TreeCache | None = None,
) -> dict[tuple[str, str, Period], Cell]:
    """Rolled-up cells per (indicator code, unit id, period) for months, quarters or years."""
    indicators = list(indicators)
    unit_ids = list(unit_ids)
    periods = list(periods)
    months = {m for p in periods for m in p.months}
    monthly = monthly_cells(indicators, unit_ids, months, trees)
    by_series: dict[tuple[str, str], dict[Month, Cell]] = defaultdict(dict)
    for (code, unit, month), cell in monthly.items():
        by_series[(code, unit)][month] = cell
    result: dict[tuple[str, str, Period], Cell] = {}
    for indicator in indicators:
        for unit in unit_ids:
            series = by_series.get((indicator.code, unit))
            if not series:
                continue
            for period in periods:
                cell = combine_months(indicator, series, period.months)
                if cell is not None:
                    result[(indicator.code, unit, period)] = cell
    return result
