"""Reading figures for people: rolled up, held against targets, narrowed by visibility, suppressed.

Every page, export and command that shows a figure to a person gets it from `figures` or
`monthly_series` here, so a person sees the same number everywhere and nothing outside their view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import Max
from django.utils.translation import gettext, ngettext

from driftsblik.core.periods import Month, Period, month_range
from driftsblik.indicators import suppression
from driftsblik.indicators.models import Indicator, Observation, Target
from driftsblik.indicators.rollup import Cell, combine_months, monthly_cells, value_of
from driftsblik.indicators.status import (
    LEVEL,
    SEASONAL,
    Forecast,
    PeriodTarget,
    forecast,
    months_target,
    spread_over_months,
    status,
)
from driftsblik.organisation.models import User
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.viewer import Person
from driftsblik.organisation.visibility import Access, sees_everything, visible_units
from driftsblik.ui.formats import prose_date

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
    year_target: Decimal | None = None  # the budget year's target (`target` is the one for `months`)
    months: tuple[Month, ...] = ()  # the months of the period with data: what value and target cover
    target_method: str = LEVEL  # how `target` was made from the year's (status.LEVEL, SEASONAL, EVEN)

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

    @property
    def target_note(self) -> str:
        """What the target is for, when it is a part of the year's: 'mål for de 11 måneder med tal,
        fordelt efter sidste års måneder'; empty for a target held as it is (a level)."""
        if self.target is None or self.target_method == LEVEL:
            return ""
        count = len(self.months) or len(self.period.months)
        how = (
            gettext("spread by last year's months")
            if self.target_method == SEASONAL
            else gettext("spread evenly over the year")
        )
        return ngettext(
            "target for %(count)d month, %(how)s", "target for the %(count)d months with figures, %(how)s", count
        ) % {"count": count, "how": how}


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
    budget_years = {p.year for p in periods}
    profile_months = {Month(year - 1, m) for year in budget_years for m in range(1, 13)}
    cells = monthly_cells(indicators, unit_ids, {m for p in periods for m in p.months} | profile_months, trees)
    targets = targets_for(indicators, unit_ids, budget_years)
    # the year before too: pages show it beside (the previous period, last year), one roll-up for both
    years = {y for p in periods for y in (p.year - 1, p.year, *(m.year for m in p.months))}
    found = suppression.patterns(indicators, years, trees) if not unsuppressed(user) else {}
    profiles = {k: v for year in budget_years for k, v in profile_patterns(indicators, year, trees).items()}
    result: dict[tuple[str, str, Period], Figure] = {}
    for period in periods:
        for indicator in indicators:
            for unit in unit_ids:
                series = {m: c for m in period.months if (c := cells.get((indicator.code, unit, m))) is not None}
                last_year = usable_profile(profiles, indicator, unit, period.year, cells)
                cell = combine_months(indicator, series, period.months)
                yearly = targets.get((indicator.code, unit, period.year))
                held = months_target(indicator, yearly, sorted(series) or period.months, last_year)
                figure = _held_figure(indicator, unit, period, cell, held, tuple(sorted(series)))
                figure.suppressed = suppression.mark_of(found, indicator, unit, period, cell)
                result[(indicator.code, unit, period)] = figure
    return result


def profile_patterns(
    indicators: Iterable[Indicator], year: int, trees: TreeCache
) -> dict[tuple[str, int], dict[suppression.Key, str]]:
    """The suppression pattern of last year for the person-based flow counts (whose targets are
    spread by last year's profile), whoever looks: `usable_profile` decides by it for everyone."""
    spread = [i for i in indicators if i.person_based and spread_over_months(i)]
    return suppression.patterns(spread, {year - 1}, trees) if spread else {}


def usable_profile(
    profiles: dict[tuple[str, int], dict[suppression.Key, str]],
    indicator: Indicator,
    unit: str,
    year: int,
    cells: dict[tuple[str, str, Month], Cell],
) -> dict[Month, Cell]:
    """The unit's cells of the year before `year`, to spread the yearly target by; none (so the target
    is spread evenly) when a person-based figure of one of those months is hidden: a month's target
    over the year's would otherwise tell the hidden month's share of last year."""
    months = [Month(year - 1, m) for m in range(1, 13)]
    if indicator.person_based and any(suppression.mark_of(profiles, indicator, unit, Period.month(m)) for m in months):
        return {}
    return {m: c for m in months if (c := cells.get((indicator.code, unit, m))) is not None}


def month_targets(
    indicator: Indicator,
    unit_id: str,
    year: int,
    trees: TreeCache | None = None,
    yearly: Decimal | None | Literal["read"] = "read",
) -> list[PeriodTarget]:
    """The target of each month of the budget year at the unit, as `figures` holds a month against
    (`yearly`: the year's target when the caller has read it already)."""
    trees = trees or TreeCache()
    months = [Month(year, m) for m in range(1, 13)]
    if yearly == "read":
        yearly = targets_for([indicator], [unit_id], [year]).get((indicator.code, unit_id, year))
    cells = monthly_cells([indicator], [unit_id], [m.shift(-12) for m in months], trees) if yearly else {}
    profile = usable_profile(profile_patterns([indicator], year, trees), indicator, unit_id, year, cells)
    return [months_target(indicator, yearly, [m], profile) for m in months]


def _held_figure(
    indicator: Indicator, unit: str, period: Period, cell: Cell | None, held: PeriodTarget, months: tuple[Month, ...]
) -> Figure:
    """A figure held against the target for the months it covers."""
    value = value_of(indicator, cell)
    return Figure(
        indicator,
        unit,
        period,
        cell,
        held.value,
        status(indicator, value, held.value),
        year_target=held.year_value,
        months=months,
        target_method=held.method,
    )


def same_months_before(period: Period, months: tuple[Month, ...]) -> tuple[list[Month], Period]:
    """The months a year before `months` (the period's months when none has data), and the run of
    months that spans them (the period a year before when they are all of it), for its suppression."""
    if not months or list(months) == period.months:
        before = period.year_before()
        return before.months, before
    shifted = [m.shift(-12) for m in months]
    first, last = shifted[0], shifted[-1]
    return shifted, Period(first, last, "month" if first == last else period.kind)


def last_year_figures(
    user: Person | None,
    now: dict[tuple[str, str], Figure],
    *,
    trees: TreeCache | None = None,
) -> dict[tuple[str, str], Figure]:
    """The same months a year before each figure of `now` (change from last year compares like with
    like: a year to date of 11 months with last year's same 11 months), suppressed as `figures` does.

    A run of months that is no month, quarter or year is hidden when any month it spans is (added up
    from months shown it tells nothing they do not), else shown unless small (`suppression.mark_of`)."""
    trees = trees or TreeCache()
    if not now:
        return {}
    indicators = {f.indicator.code: f.indicator for f in now.values()}
    wanted = {key: same_months_before(f.period, f.months) for key, f in now.items()}
    all_months = {m for months, _span in wanted.values() for m in months}
    cells = monthly_cells(indicators.values(), {u for _c, u in now}, all_months, trees)
    years = {span.year for _m, span in wanted.values()}
    found = suppression.patterns(indicators.values(), years, trees) if not unsuppressed(user) else {}
    result: dict[tuple[str, str], Figure] = {}
    for (code, unit), (months, span) in wanted.items():
        indicator = indicators[code]
        series = {m: c for m in months if (c := cells.get((code, unit, m))) is not None}
        cell = combine_months(indicator, series, months)
        figure = Figure(indicator, unit, span, cell, None, None, months=tuple(sorted(series)))
        figure.suppressed = suppression.mark_of(found, indicator, unit, span, cell)
        result[(code, unit)] = figure
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
        return prose_date(self.retrieved_at)


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
