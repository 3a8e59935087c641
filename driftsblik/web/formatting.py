"""Danish number formats for pages and exports: `1.234,5`, `12,3 %`, `<5` for suppressed figures.

Values are Decimals from the roll-up; formatting never changes a number, only how it reads.
Counts show no decimals when whole, otherwise one; shares and per-1,000 rates show one decimal.
A missing value reads as an en dash. A suppressed figure reads as `<5` (the suppression limit).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from driftsblik.core.periods import MONTH_NAMES_DA, Month, Period
from driftsblik.indicators.models import Indicator, Measure
from driftsblik.indicators.suppression import suppression_label

MISSING = "–"
MINUS = "-"


def number_da(value: Decimal | float | int | None, places: int = 1, *, sign: bool = False) -> str:
    """`value` with `places` decimals, '.' between thousands and ',' before the decimals."""
    if value is None:
        return MISSING
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    text = f"{abs(rounded):,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if rounded < 0:
        return MINUS + text
    return ("+" + text) if sign and rounded > 0 else text


def places_for(indicator: Indicator, value: Decimal | None = None) -> int:
    """Counts: whole numbers unless the value has a fraction; shares and rates: one decimal."""
    if indicator.measure == Measure.COUNT:
        return 0 if value is None or value == value.to_integral_value() else 1
    return 1


def value_da(indicator: Indicator, value: Decimal | None, *, suppressed: bool = False, sign: bool = False) -> str:
    """An indicator's value as shown: `1.234`, `12,3 %`, `4,5` (per 1,000), `<5` or `–`."""
    if suppressed:
        return suppression_label()
    if value is None:
        return MISSING
    text = number_da(value, places_for(indicator, value), sign=sign)
    if indicator.measure == Measure.SHARE:
        return f"{text} %"
    return text


def change_da(indicator: Indicator, change: Decimal | None) -> str:
    """A difference between two values, signed; for shares in percentage points."""
    if change is None:
        return MISSING
    text = number_da(change, places_for(indicator, change), sign=True)
    if indicator.measure == Measure.SHARE:
        return f"{text} pct.-point"
    return text


def month_da(month: Month) -> str:
    """'marts 2025'."""
    return f"{MONTH_NAMES_DA[month.month - 1]} {month.year}"


def period_da(period: Period) -> str:
    """'marts 2025', '1. kvartal 2025' or 'budgetår 2025'."""
    return period.label_da
