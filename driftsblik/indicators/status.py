"""Status against target (the traffic light), the target a period is held against, and the forecast.

Like with like: a figure is held against the target for the same months. For flow counts (which add
up over months) the yearly target is the year's total, so the months with data in a period are held
against their part of it: the yearly target spread over the months by last year's monthly profile at
the unit ("seasonal"), or evenly, months / 12, when last year is incomplete or empty ("even"). So a
year to date of 11 months is held against 11 months' target, and a year to date's target is the sum
of its months' targets. Stocks, shares, rates and means keep the yearly target as it is ("level").

Status of a result indicator: green when the target is met, yellow when the value is within
`tolerance_pct` percent of the target on the wrong side, red when it is worse. An activity indicator
(volume: hours delivered, cases) is held against its planned level with a two-sided tolerance: on
plan within `tolerance_pct` percent either way, else over plan or under plan; never "on target".

Forecast for the year ("forventet regnskab"): for stocks, the latest value; for flows, the
year to date plus the rest of the year as last year's seasonal profile scaled to this year's
level (year to date times last year's total over last year's same months), falling back to
the run rate (year to date times 12 over the months elapsed) when last year is incomplete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from driftsblik.core.periods import Month
from driftsblik.indicators.models import Direction, Indicator, Kind, Measure, Temporal
from driftsblik.indicators.rollup import Cell, combine_months, value_of

GREEN, YELLOW, RED = "green", "yellow", "red"
# an activity against its plan: within the tolerance either way, above it, below it
ON_PLAN, OVER_PLAN, UNDER_PLAN = "on_plan", "over_plan", "under_plan"


# How a period's target was made from the yearly target (shown beside it, as the forecast's method is).
LEVEL, SEASONAL, EVEN = "level", "seasonal", "even"


def spread_over_months(indicator: Indicator) -> bool:
    """Whether the yearly target is a year's total to be shared out over months (flow counts)."""
    return indicator.measure == Measure.COUNT and indicator.temporal == Temporal.FLOW


@dataclass(frozen=True)
class PeriodTarget:
    """The target a figure is held against: for `months` months of the budget year, and the whole year's."""

    value: Decimal | None
    year_value: Decimal | None
    months: int
    method: str  # LEVEL, SEASONAL or EVEN


def last_year_profile(
    indicator: Indicator, year: int, last_year: Mapping[Month, Cell]
) -> tuple[dict[int, Decimal], Decimal] | None:
    """Last year's figure per calendar month (1-12) at the unit and their total, when its 12 months are
    all there and add up to more than nothing; else None (the target is then spread evenly)."""
    months = [Month(year - 1, m) for m in range(1, 13)]
    if not spread_over_months(indicator) or not all(m in last_year for m in months):
        return None
    total = sum((last_year[m].numerator for m in months), Decimal(0))
    if total <= 0:
        return None
    return {m.month: last_year[m].numerator for m in months}, total


def months_target(
    indicator: Indicator,
    yearly_target: Decimal | None,
    months: Iterable[Month],
    last_year: Mapping[Month, Cell],
) -> PeriodTarget:
    """The target for `months` (months of one budget year, those with data in the period shown).

    Flow counts: the yearly target times last year's share of the year in the same calendar months
    (`last_year`: the unit's cells of the year before), or times len(months) / 12 when last year is
    incomplete. Everything else: the yearly target as it is.
    """
    chosen = sorted(set(months))
    if yearly_target is None or not spread_over_months(indicator) or not chosen:
        return PeriodTarget(yearly_target, yearly_target, len(chosen), LEVEL)
    profile = last_year_profile(indicator, chosen[-1].year, last_year)
    if profile is None:
        return PeriodTarget(yearly_target * len(chosen) / 12, yearly_target, len(chosen), EVEN)
    by_month, total = profile
    part = sum((by_month[m.month] for m in chosen), Decimal(0))
    return PeriodTarget(yearly_target * part / total, yearly_target, len(chosen), SEASONAL)


def period_target(indicator: Indicator, yearly_target: Decimal | None, months: int) -> Decimal | None:
    """The target of `months` months spread evenly (months / 12) for flow counts, the level otherwise.

    Only where no monthly figures are at hand; a figure's target is `months_target`'s."""
    if yearly_target is None:
        return None
    if spread_over_months(indicator):
        return yearly_target * months / 12
    return yearly_target


def status(indicator: Indicator, value: Decimal | None, target: Decimal | None) -> str | None:
    """A result against its target by its direction: green, yellow or red; an activity against its
    plan with a two-sided tolerance: on plan, over plan or under plan; None without value or target."""
    if value is None or target is None:
        return None
    tolerance = abs(target) * indicator.tolerance_pct / 100
    if indicator.kind == Kind.ACTIVITY:
        if abs(value - target) <= tolerance:
            return ON_PLAN
        return OVER_PLAN if value > target else UNDER_PLAN
    if indicator.direction == Direction.HIGHER:
        if value >= target:
            return GREEN
        return YELLOW if value >= target - tolerance else RED
    if value <= target:
        return GREEN
    return YELLOW if value <= target + tolerance else RED


@dataclass(frozen=True)
class Forecast:
    """The expected figure for the whole budget year and how it was made."""

    cell: Cell
    value: Decimal | None
    method: str  # "latest", "seasonal", "run_rate"


def forecast(
    indicator: Indicator,
    this_year: dict[Month, Cell],
    last_year: dict[Month, Cell],
    through: Month,
) -> Forecast | None:
    """The year-end forecast from this year's months up to `through` and last year's months."""
    months = [Month(through.year, m) for m in range(1, through.month + 1)]
    ytd = combine_months(indicator, this_year, months)
    if ytd is None:
        return None
    if indicator.temporal == Temporal.STOCK:
        return Forecast(ytd, value_of(indicator, ytd), "latest")
    elapsed = len([m for m in months if m in this_year])
    last_months = [m.shift(-12) for m in months if m in this_year]
    last_full = [Month(through.year - 1, m) for m in range(1, 13)]
    if all(m in last_year for m in last_full):
        ly_ytd = combine_months(indicator, last_year, last_months)
        ly_all = combine_months(indicator, last_year, last_full)
        if (
            ly_ytd is not None
            and ly_all is not None
            and ly_ytd.numerator > 0
            and (ly_ytd.denominator is None or ly_ytd.denominator > 0)
        ):
            numerator = ytd.numerator * ly_all.numerator / ly_ytd.numerator
            denominator = None
            if ytd.denominator is not None and ly_ytd.denominator and ly_all.denominator is not None:
                denominator = ytd.denominator * ly_all.denominator / ly_ytd.denominator
            cell = Cell(numerator, denominator)
            return Forecast(cell, value_of(indicator, cell), "seasonal")
    factor = Decimal(12) / elapsed
    den = ytd.denominator * factor if ytd.denominator is not None else None
    cell = Cell(ytd.numerator * factor, den)
    return Forecast(cell, value_of(indicator, cell), "run_rate")
