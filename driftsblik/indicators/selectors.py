"""Reading figures for people: rolled up, held against targets, narrowed by visibility, suppressed.

Every page, export and command that shows a figure to a person gets it from `figures` or
`monthly_series` here, so a person sees the same number everywhere and nothing outside their view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db.models import Max
from django.utils import timezone

from driftsblik.core.periods import Month, Period
from driftsblik.indicators import suppression
from driftsblik.indicators.models import Indicator, Observation, Target
from driftsblik.indicators.rollup import Cell, monthly_cells, period_cells, value_of
from driftsblik.indicators.status import Forecast, forecast, period_target, status
from driftsblik.organisation.models import User
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.viewer import Person
from driftsblik.organisation.visibility import Access, sees_everything, visible_units
from driftsblik.ui.formats import date_long_da

SMALL, SECONDARY = "small", "secondary"


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

    Small person-based figures are marked suppressed for everyone but analysts.
    """
    indicators = list(indicators)
    unit_ids = list(unit_ids)
    if user is not None:
        visible = visible if visible is not None else visible_units(user) if isinstance(user, User) else {}
        unit_ids = [u for u in unit_ids if u in visible]
    cells = period_cells(indicators, unit_ids, [period], trees)
    targets = targets_for(indicators, unit_ids, [period.year])
    months = len(period.months)
    hide_small = not unsuppressed(user)
    result: dict[tuple[str, str], Figure] = {}
    for indicator in indicators:
        for unit in unit_ids:
            cell = cells.get((indicator.code, unit, period))
            target = period_target(indicator, targets.get((indicator.code, unit, period.year)), months)
            figure = Figure(indicator, unit, period, cell, target, status(indicator, value_of(indicator, cell), target))
            if hide_small and indicator.person_based and suppression.is_small(cell):
                figure.suppressed = SMALL
            result[(indicator.code, unit)] = figure
    return result


def suppress_siblings(user: Person | None, figures_by_unit: dict[str, Figure]) -> None:
    """Secondary suppression over the children of one parent shown together with it."""
    if unsuppressed(user) or not figures_by_unit:
        return
    indicator = next(iter(figures_by_unit.values())).indicator
    if not indicator.person_based:
        return
    hidden = suppression.suppressed_children({u: f.cell for u, f in figures_by_unit.items()})
    for unit in hidden:
        figure = figures_by_unit[cast(str, unit)]
        if figure.suppressed is None:
            figure.suppressed = SECONDARY


@dataclass
class SeriesPoint:
    month: Month
    value: Decimal | None
    suppressed: bool


def monthly_series(
    user: Person | None,
    indicator: Indicator,
    unit_id: str,
    months: list[Month],
    *,
    trees: TreeCache | None = None,
) -> list[SeriesPoint]:
    """The unit's value month by month (None where there is no data), suppressed where small."""
    cells = monthly_cells([indicator], [unit_id], months, trees)
    hide_small = not unsuppressed(user) and indicator.person_based
    points = []
    for month in months:
        cell = cells.get((indicator.code, unit_id, month))
        small = hide_small and suppression.is_small(cell)
        points.append(SeriesPoint(month, None if small else value_of(indicator, cell), small))
    return points


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
