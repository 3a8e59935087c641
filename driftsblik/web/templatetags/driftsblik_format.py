"""Template filters for Danish figures: `{% load driftsblik_format %}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from driftsblik.core.periods import Month, Period
from driftsblik.web import formatting

register = template.Library()


@register.filter
def number_da(value: Decimal | None, places: int = 1) -> str:
    """{{ value|number_da:1 }} -> '1.234,5'."""
    return formatting.number_da(value, int(places))


@register.filter
def figure_da(figure: object) -> str:
    """A selectors.Figure as shown: its value, '<5' when suppressed, '–' without data."""
    if figure is None:
        return formatting.MISSING
    return formatting.value_da(figure.indicator, figure.value, suppressed=bool(figure.suppressed))


@register.filter
def period_da(period: Period | Month | None) -> str:
    if period is None:
        return formatting.MISSING
    if isinstance(period, Month):
        return formatting.month_da(period)
    return formatting.period_da(period)


@register.filter
def value_da(value: Decimal | None, indicator: object) -> str:
    """{{ row.forecast_value|value_da:row.indicator }} -> '12,3 %'."""
    return formatting.value_da(indicator, value)


@register.filter
def change_da(value: Decimal | None, indicator: object) -> str:
    """{{ row.change_previous|change_da:row.indicator }} -> '+1,2 pct.-point'."""
    return formatting.change_da(indicator, value)


@register.filter
def change_class(value: Decimal | None) -> str:
    if value is None:
        return ""
    return "change-up" if value > 0 else "change-down" if value < 0 else "change-flat"


@register.filter
def datetime_da(value: object) -> str:
    """A load time as '02-04-2025 kl. 10:15' in the local time zone."""
    if value is None:
        return formatting.MISSING
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{local:%d-%m-%Y} kl. {local:%H:%M}"


@register.filter
def date_da(value: object) -> str:
    """A day as '3. december 2026' (a time is read in the local time zone)."""
    if value is None:
        return formatting.MISSING
    import datetime as dt

    from django.utils import timezone

    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    return f"{day.day}. {formatting.MONTH_NAMES_DA[day.month - 1]} {day.year}"


@register.filter
def amount_da(value: Decimal | None) -> str:
    """A numerator or denominator: whole numbers without decimals, fractions with one."""
    if value is None:
        return formatting.MISSING
    return formatting.number_da(value, 0 if value == value.to_integral_value() else 1)
