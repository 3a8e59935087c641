"""Danish formats for pages, files and reports: `1.234,5`, `12,3 %`, `+1,2 pct.-point`, `marts 2025`.

Formatting never changes a number, only how it reads. Counts show no decimals when whole, otherwise
one; shares and per-1,000 rates show one decimal. A missing value reads as an en dash; a figure
hidden by small-number suppression reads as the suppression label (`<5`). A difference between two
shares is in percentage points, never in per cent. Dates have two styles, both in the active
language's Django formats and time stamps in DRIFTSBLIK_TIME_ZONE: `prose_date` ('7. december 2026')
in sentences and headings, `table_date` ('07.12.2026') in tables and files; `prose_datetime` and
`table_datetime` add the time ('kl. 13.05'). Excel files write the same numbers as numbers
with the matching number formats (`ui.excel`), not as these texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext

from driftsblik.core.periods import MONTH_NAMES_DA, Month, Period
from driftsblik.indicators.models import Measure
from driftsblik.indicators.suppression import label as hidden_label

MISSING = "–"
MINUS = "-"
POINTS = "pct.-point"


class Measured(Protocol):
    """Anything with an indicator's measure (`count`, `share`, `rate_per_1000`, `ratio`): an Indicator."""

    measure: str


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


def places_for(measure: str, value: Decimal | None = None) -> int:
    """Counts: whole numbers unless the value has a fraction; shares and rates: one decimal."""
    if measure == Measure.COUNT:
        return 0 if value is None or value == value.to_integral_value() else 1
    return 1


def value_da(
    indicator: Measured, value: Decimal | None, *, suppressed: bool | str | None = False, sign: bool = False
) -> str:
    """An indicator's value as shown: `1.234`, `12,3 %`, `4,5` (per 1,000), `<5` (small), `x` (hidden so
    that a small one cannot be worked out: `suppressed` is the mark) or `–`."""
    if suppressed:
        return hidden_label(suppressed if isinstance(suppressed, str) else None)
    if value is None:
        return MISSING
    text = number_da(value, places_for(indicator.measure, value), sign=sign)
    return f"{text} %" if indicator.measure == Measure.SHARE else text


def value_text(indicator: Measured) -> Callable[[Any], str]:
    """`value_da` of the indicator as a function of any number (Decimal, float, int, None): how a
    chart's tooltip and bar labels write a figure, exactly as the page's table does."""

    def text(value: Any) -> str:
        return value_da(indicator, None if value is None else Decimal(str(value)))

    return text


def change_da(indicator: Measured, change: Decimal | None) -> str:
    """A difference between two values, signed; between shares in percentage points."""
    if change is None:
        return MISSING
    if indicator.measure == Measure.SHARE:
        return points_da(change)
    return number_da(change, places_for(indicator.measure, change), sign=True)


def percent_da(value: Decimal | float | None, places: int = 1) -> str:
    """A percentage (12.3 is 12,3 %): '12,3 %'."""
    return MISSING if value is None else f"{number_da(value, places)} %"


def points_da(value: Decimal | float | None, places: int = 1) -> str:
    """A difference between two percentages, signed: '+1,2 pct.-point'."""
    return MISSING if value is None else f"{number_da(value, places, sign=True)} {POINTS}"


def amount_da(value: Decimal | None) -> str:
    """A numerator or denominator: whole numbers without decimals, fractions with one."""
    if value is None:
        return MISSING
    return number_da(value, 0 if value == value.to_integral_value() else 1)


def thousands_da(value: Decimal | None) -> str:
    """An amount in thousands, whole: 1.234.567 kr. -> '1.235'."""
    return MISSING if value is None else number_da(Decimal(value) / 1000, 0)


def millions_da(value: Decimal | float | None) -> str:
    """An amount in millions with one decimal: 1.076.400.000 kr. -> '1.076,4'."""
    return MISSING if value is None else number_da(Decimal(str(value)) / Decimal(1_000_000), 1)


def month_da(month: Month) -> str:
    """'marts 2025'."""
    return f"{MONTH_NAMES_DA[month.month - 1]} {month.year}"


def period_da(period: Period | Month | None) -> str:
    """'marts 2025', '1. kvartal 2025' or 'budgetår 2025'."""
    if period is None:
        return MISSING
    if isinstance(period, Month):
        return month_da(period)
    return period.label_da


DateLike = dt.date | dt.datetime | str | None


def _read(value: dt.date | dt.datetime | str) -> dt.date | dt.datetime:
    """ISO text (a snapshot's `built_at`, `meeting`) as a date or time; an aware time in
    DRIFTSBLIK_TIME_ZONE (settings.TIME_ZONE), the zone every time stamp is shown in."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value


def _day(value: dt.date | dt.datetime | str) -> dt.date:
    day = _read(value)
    return day.date() if isinstance(day, dt.datetime) else day


def _moment(value: dt.date | dt.datetime | str, style: str) -> str:
    moment = _read(value)
    day = date_format(moment, style)
    if not isinstance(moment, dt.datetime):
        return day
    clock = dateformat.time_format(moment, pgettext("time of day in a date", "H:i"))
    return pgettext("a date with its time of day", "%(date)s at %(time)s") % {"date": day, "time": clock}


def prose_date(value: DateLike) -> str:
    """The date in running text and headings: '7. december 2026' (Danish), 'Dec. 7, 2026' (English).
    A time stamp gives its day in DRIFTSBLIK_TIME_ZONE. One of the two date styles; the other is
    `table_date`."""
    return MISSING if value is None else date_format(_day(value), "DATE_FORMAT")


def prose_datetime(value: DateLike) -> str:
    """A time stamp in running text: '7. december 2026 kl. 13.05', in DRIFTSBLIK_TIME_ZONE."""
    return MISSING if value is None else _moment(value, "DATE_FORMAT")


def table_date(value: DateLike) -> str:
    """The date in tables, lists and files: '07.12.2026' (Danish), '12/07/2026' (English)."""
    return MISSING if value is None else date_format(_day(value), "SHORT_DATE_FORMAT")


def table_datetime(value: DateLike) -> str:
    """A time stamp in tables: '07.12.2026 kl. 13.05', in DRIFTSBLIK_TIME_ZONE."""
    return MISSING if value is None else _moment(value, "SHORT_DATE_FORMAT")


__all__ = [
    "MISSING",
    "POINTS",
    "Measured",
    "amount_da",
    "change_da",
    "millions_da",
    "month_da",
    "number_da",
    "percent_da",
    "period_da",
    "DateLike",
    "places_for",
    "points_da",
    "prose_date",
    "prose_datetime",
    "table_date",
    "table_datetime",
    "thousands_da",
    "value_da",
    "value_text",
]
