"""Roll-up: an indicator's figure at any unit and period, from the monthly observations. Implemented once.

Across units, a unit's figure for a month is the sum of the numerators (and denominators) of
its own observations and those of every unit below it in the tree valid at that month's end.
Ratios are sum(numerator) / sum(denominator), never a mean of ratios.
Across months, flows add up (numerators and denominators alike) and stocks take the last month
with data in the period.
Every page, export, command and report asks this module; nothing else adds figures up.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Max

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import ImportBatch, Indicator, Measure, Observation, Temporal
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


class RolledUpMonths:
    """Rolled-up cells of whole (indicator, month) pairs, for every unit, kept between requests.

    Rolling up means reading every observation below a unit; the overview of a municipality's
    leader reads most of the figures of two years. So each (indicator, month) is rolled up once
    for the whole tree and kept, keyed by a data version: the newest import batch and
    observation, and the fingerprint of the unit spans. Any import changes the version and the
    kept cells are dropped. At most `max_pairs` pairs are kept (oldest dropped first).
    """

    def __init__(self, max_pairs: int = 4000) -> None:
        self.max_pairs = max_pairs
        self.version: tuple[object, ...] | None = None
        self.pairs: dict[tuple[str, Month], dict[str, Cell]] = {}
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.version = None
            self.pairs = {}

    def get(
        self, version: tuple[object, ...], wanted: list[tuple[str, Month]], ratio: dict[str, bool], trees: TreeCache
    ) -> dict[tuple[str, Month], dict[str, Cell]]:
        with self.lock:
            if version != self.version:
                self.version = version
                self.pairs = {}
            missing = [pair for pair in wanted if pair not in self.pairs]
        if missing:
            computed = _roll_up_pairs(missing, ratio, trees)
            with self.lock:
                if version == self.version:
                    self.pairs.update(computed)
                    while len(self.pairs) > self.max_pairs:
                        self.pairs.pop(next(iter(self.pairs)))
            found = {pair: self.pairs.get(pair) or computed.get(pair, {}) for pair in wanted}
        else:
            found = {pair: self.pairs.get(pair, {}) for pair in wanted}
        return found


ROLLED_UP = RolledUpMonths()


def data_version(trees: TreeCache) -> tuple[object, ...]:
    """What the figures depend on: the newest import batch and observation, and the unit spans."""
    if trees.data_version is None:
        batches = ImportBatch.objects.aggregate(newest=Max("id"), at=Max("created_at"))
        newest_observation = Observation.objects.aggregate(newest=Max("id"))["newest"]
        trees.data_version = (
            connection.settings_dict["NAME"],
            batches["newest"],
            batches["at"],
            newest_observation,
            trees.spans_key,
        )
    return trees.data_version


def _roll_up_pairs(
    pairs: list[tuple[str, Month]], ratio: dict[str, bool], trees: TreeCache
) -> dict[tuple[str, Month], dict[str, Cell]]:
    """Every unit's rolled-up cell for each (indicator, month) pair, in one query."""
    codes = sorted({code for code, _ in pairs})
    firsts = {month.first: month for _, month in pairs}
    wanted = set(pairs)
    rows = Observation.objects.filter(indicator_id__in=codes, period__in=list(firsts)).values_list(
        "indicator_id", "unit_id", "period", "numerator", "denominator"
    )
    sums: dict[tuple[str, Month], dict[str, list[Decimal]]] = {pair: {} for pair in pairs}
    chains: dict[tuple[Month, str], list[str]] = {}
    for code, unit_id, first, numerator, denominator in rows:
        month = firsts[first]
        if (code, month) not in wanted:
            continue
        key = (month, unit_id)
        chain = chains.get(key)
        if chain is None:
            tree = trees.on(month.end)
            chain = [unit_id, *tree.ancestors(unit_id)] if unit_id in tree else [unit_id]
            chains[key] = chain
        by_unit = sums[(code, month)]
        for unit in chain:
            acc = by_unit.get(unit)
            if acc is None:
                acc = by_unit[unit] = [ZERO, ZERO]
            acc[0] += numerator
            if ratio[code] and denominator is not None:
                acc[1] += denominator
    return {
        pair: {unit: Cell(acc[0], acc[1] if ratio[pair[0]] else None) for unit, acc in by_unit.items()}
        for pair, by_unit in sums.items()
    }


def whole_tree_months(
    indicators: Iterable[Indicator], months: Iterable[Month], trees: TreeCache | None = None
) -> dict[tuple[str, Month], dict[str, Cell]]:
    """Every unit's rolled-up cell per (indicator code, month), units without data left out."""
    trees = trees or TreeCache()
    indicator_by_code = {i.code: i for i in indicators}
    month_list = sorted(set(months))
    if not indicator_by_code or not month_list:
        return {}
    ratio = {code: ind.measure != Measure.COUNT for code, ind in indicator_by_code.items()}
    pairs = [(code, month) for code in indicator_by_code for month in month_list]
    if settings.ROLLUP_CACHE:
        return ROLLED_UP.get(data_version(trees), pairs, ratio, trees)
    return _roll_up_pairs(pairs, ratio, trees)


def monthly_cells(
    indicators: Iterable[Indicator],
    unit_ids: Iterable[str],
    months: Iterable[Month],
    trees: TreeCache | None = None,
) -> dict[tuple[str, str, Month], Cell]:
    """Rolled-up cells per (indicator code, unit id, month) for the asked units and months.

    Each unit's cell sums its own observations and those of every unit below it in the tree
    valid at the month's end. At most one query for the observations, whatever the number of
    units, and none when the (indicator, month) pairs were rolled up since the last import.
    """
    wanted_units = set(unit_ids)
    if not wanted_units:
        return {}
    rolled = whole_tree_months(indicators, months, trees)
    result: dict[tuple[str, str, Month], Cell] = {}
    for (code, month), by_unit in rolled.items():
        for unit in wanted_units & by_unit.keys():
            result[(code, unit, month)] = by_unit[unit]
    return result


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
                combined = combine_months(indicator, series, period.months)
                if combined is not None:
                    result[(indicator.code, unit, period)] = combined
    return result
