"""Reading figures for people: rolled up, held against targets, narrowed by visibility, suppressed.

Every page, export and command that shows a figure to a person gets it from `figures` or
`monthly_series` here, so a person sees the same number everywhere and nothing outside their view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from driftsblik.core.periods import Month, Period, month_range
from driftsblik.indicators import suppression
from driftsblik.indicators.models import Indicator, Observation, Target
from driftsblik.indicators.rollup import Cell, monthly_cells, period_cells, value_of
from driftsblik.indicators.status import Forecast, forecast, period_target, status
from driftsblik.organisation.models import User
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.viewer import Person
from driftsblik.organisation.visibility import Access, sees_everything, visible_units
from driftsblik.ui.formats import date_long_da

SMALL, SECONDARY = suppression.SMALL, suppression.SECONDARY


@dataclass
class Figure:
    """An indicator at a unit for a period, as one person may see it."""

    indicator: Indicator
    unit_id: str
    period: Period
    cell: Cell | None
    target: Decimal | None
    status: str | None
    suppressed: str | None = None  # None, SMALL or SECONDARY

    @property
    def value(self) -> Decimal | None:
        return None if self.suppressed else value_of(self.indicator, self.cell)

    @property
    def numerator(self) -> Decimal | None:
        return None if self.suppressed or self.cell is None else self.cell.numerator

    @property
    def denominator(self) -> Decimal | None:
        return None if self.suppressed or self.cell is None else self.cell.denominator

    @property
    def shown_status(self) -> str | None:
        return None if self.suppressed else self.status


def targets_for(
    indicators: Iterable[Indicator], unit_ids: Iterable[str], years: Iterable[int]
) -> dict[tuple[str, str, int], Decimal]:
    """Targets by (indicator code, unit id, year), in one query."""
    rows = Target.objects.filter(
        indicator_id__in=[i.code for i in indicators], unit_id__in=list(unit_ids), year__in=list(years)
    ).values_list("indicator_id", "unit_id", "year", "value")
    return {(code, unit, year): value for code, unit, year, value in rows}


def unsuppressed(user: Person | None) -> bool:
    return user is None or (isinstance(user, User) and sees_everything(user))


def figures(
    user: Person | None,
    indicators: Iterable[Indicator],
    unit_ids: Iterable[str],
    period: Period,
    *,
    trees: TreeCache | None = None,
    visible: dict[str, Access] | None = None,
) -> dict[tuple[str, str], Figure]:
    """Figures by (indicator code, unit id) for the units the person sees (all when user is None).

    Person-based figures hidden by the suppression pattern (a small figure, or one hidden so that
    no small figure can be worked out) are marked suppressed for everyone but analysts.
    """
    found = figures_by_period(user, indicators, unit_ids, [period], trees=trees, visible=visible)
    return {(code, unit): figure for (code, unit, _), figure in found.items()}


def figures_by_period(
    user: Person | None,
    indicators: Iterable[Indicator],
    unit_ids: Iterable[str],
    periods: Iterable[Period],
    *,
    trees: TreeCache | None = None,
    visible: dict[str, Access] | None = None,
) -> dict[tuple[str, str, Period], Figure]:
    """`figures` for several periods at once, by (indicator code, unit id, period): one read of the
    observations and one of the targets whatever the number of periods."""
    indicators = list(indicators)
    unit_ids = list(unit_ids)
    periods = list(periods)
    trees = trees or TreeCache()
    if user is not None:
        visible = visible if visible is not None else visible_units(user) if isinstance(user, User) else {}
        unit_ids = [u for u in unit_ids if u in visible]
    cells = period_cells(indicators, unit_ids, periods, trees)
    targets = targets_for(indicators, unit_ids, {p.year for p in periods})
    # the year before too: pages show it beside (the previous period, last year), one roll-up for both
    years = {y for p in periods for y in (p.year - 1, p.year, *(m.year for m in p.months))}
    found = suppression.patterns(indicators, years, trees) if not unsuppressed(user) else {}
    result: dict[tuple[str, str, Period], Figure] = {}
    for period in periods:
        months = len(period.months)
        for indicator in indicators:
            for unit in unit_ids:
                cell = cells.get((indicator.code, unit, period))
                target = period_target(indicator, targets.get((indicator.code, unit, period.year)), months)
                value = value_of(indicator, cell)
                figure = Figure(indicator, unit, period, cell, target, status(indicator, value, target))
                figure.suppressed = suppression.mark_of(found, indicator, unit, period, cell)
                result[(indicator.code, unit, period)] = figure
    return result


@dataclass
class SeriesPoint:
    month: Month
    value: Decimal | None
    suppressed: bool
    mark: str | None = None  # SMALL or SECONDARY when suppressed


def monthly_series(
    user: Person | None,
    indicator: Indicator,
    unit_id: str,
    months: list[Month],
    *,
    trees: TreeCache | None = None,
) -> list[SeriesPoint]:
    """The unit's value month by month (None where there is no data), None where the pattern hides it."""
    trees = trees or TreeCache()
    cells = monthly_cells([indicator], [unit_id], months, trees)
    hide = not unsuppressed(user) and indicator.person_based
    found = suppression.patterns([indicator], {m.year for m in months}, trees) if hide else {}
    points = []
    for month in months:
        cell = cells.get((indicator.code, unit_id, month))
        mark = suppression.mark_of(found, indicator, unit_id, Period.month(month))
        points.append(SeriesPoint(month, None if mark else value_of(indicator, cell), bool(mark), mark))
    return points


def hidden_months(
    user: Person | None, indicator: Indicator, unit_id: str, months: Iterable[Month], trees: TreeCache
) -> set[Month]:
    """The unit's months the person may not see (the suppression pattern's, for non-analysts)."""
    months = list(months)
    if unsuppressed(user) or not indicator.person_based or not months:
        return set()
    found = suppression.patterns([indicator], {m.year for m in months}, trees)
    return {m for m in months if suppression.mark_of(found, indicator, unit_id, Period.month(m))}


def forecast_mark(
    user: Person | None, indicator: Indicator, unit_id: str, through: Month, fc: Forecast | None, trees: TreeCache
) -> str | None:
    """How the year-end forecast is hidden from the person: SMALL when it is small, SECONDARY when a
    month it is computed from (this year's to `through`, last year's) is hidden, else None."""
    if fc is None or unsuppressed(user) or not indicator.person_based:
        return None
    if suppression.is_small(fc.cell):
        return SMALL
    months = month_range(Month(through.year - 1, 1), through)
    return SECONDARY if hidden_months(user, indicator, unit_id, months, trees) else None


def year_forecast(
    indicator: Indicator, unit_id: str, through: Month, trees: TreeCache | None = None
) -> Forecast | None:
    """The forecast for `through`'s budget year at the unit, from this and last year's months."""
    this = [Month(through.year, m) for m in range(1, through.month + 1)]
    last = [Month(through.year - 1, m) for m in range(1, 13)]
    cells = monthly_cells([indicator], [unit_id], this + last, trees)
    this_year = {m: cells[(indicator.code, unit_id, m)] for m in this if (indicator.code, unit_id, m) in cells}
    last_year = {m: cells[(indicator.code, unit_id, m)] for m in last if (indicator.code, unit_id, m) in cells}
    return forecast(indicator, this_year, last_year, through)


@dataclass(frozen=True)
class FigureSource:
    """A public source behind figures of an indicator: its reference and when it was retrieved."""

    source: str
    retrieved_at: dt.datetime

    @property
    def retrieved_day_da(self) -> str:
        """The day it was retrieved, in the local time zone: '3. december 2026'."""
        return date_long_da(timezone.localdate(self.retrieved_at))


def figure_sources(*, indicator: Indicator, period: Period) -> list[FigureSource]:
    """The public sources the indicator's figures in the period were fetched from, newest retrieval
    per source ("Danmarks Statistik, AUK01", hentet ...); empty for figures from files or the engine."""
    rows = (
        Observation.objects.filter(
            indicator=indicator, period__in=[m.first for m in period.months], retrieved_at__isnull=False
        )
        .values("source")
        .annotate(latest=Max("retrieved_at"))
        .order_by("source")
    )
    return [FigureSource(row["source"], row["latest"]) for row in rows]
