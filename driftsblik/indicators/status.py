"""Status against target (the traffic light) and the forecast for the budget year.

Status: green when the target is met, yellow when the value is within `tolerance_pct` percent
of the target on the wrong side, red when it is worse. For flow counts the yearly target is a
year's total, so a shorter period is compared with its share of it (months / 12).

Forecast for the year ("forventet regnskab"): for stocks, the latest value; for flows, the
year to date plus the rest of the year as last year's seasonal profile scaled to this year's
level (year to date times last year's total over last year's same months), falling back to
the run rate (year to date times 12 over the months elapsed) when last year is incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from driftsblik.core.periods import Month
from driftsblik.indicators.models import Direction, Indicator, Measure, Temporal
from driftsblik.indicators.rollup import Cell, combine_months, value_of

GREEN, YELLOW, RED = "green", "yellow", "red"


def period_target(indicator: Indicator, yearly_target: Decimal | None, months: int) -> Decimal | None:
    """The target a period of `months` months is held against."""
    if yearly_target is None:
        return None
    if indicator.measure == Measure.COUNT and indicator.temporal == Temporal.FLOW:
        return yearly_target * months / 12
    return yearly_target


def status(indicator: Indicator, value: Decimal | None, target: Decimal | None) -> str | None:
    """green, yellow, red, or None when there is no value or no target."""
    if value is None or target is None:
        return None
    tolerance = abs(target) * indicator.tolerance_pct / 100
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
