"""The UI kit in templates: `{% load ui %}`.

Filters format figures the Danish way (`ui.formats`); `{% status code %}` draws a status as icon,
word and colour from the one status table (`ui.status`):

    {{ value|number_da:1 }}  {{ figure|figure_da }}  {{ row.change|change_da:row.indicator }}
    {% status row.status %}  {% status fig.status compact=True %}  {% status f.status family="budget" %}
    {% status block.status pdf=pdf %}   (a text glyph instead of the SVG icon, for PDF)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import translation

from driftsblik.core.periods import Month, Period
from driftsblik.ui import formats
from driftsblik.ui import status as status_table

register = template.Library()


# `{% status %}`'s markup by (code, family, compact, pdf, language): a heat table draws hundreds,
# and the markup depends on nothing else
_STATUS_MARKUP: dict[tuple[Any, ...], str] = {}


@register.simple_tag
def status(code: str | None, family: str = status_table.TARGET.name, compact: bool = False, pdf: bool = False) -> str:
    """A status as icon + word + colour (never colour alone), drawn by ui/_status.html. `compact` hides the
    word visually (it stays for screen readers and as a tooltip) for dense tables, where the icon's shape
    still tells statuses apart."""
    key = (code, family, bool(compact), bool(pdf), translation.get_language())
    markup = _STATUS_MARKUP.get(key)
    if markup is None:
        context = {"status": status_table.status(code, family), "compact": compact, "pdf": pdf}
        markup = _STATUS_MARKUP[key] = render_to_string("ui/_status.html", context)
    return markup


@register.filter
def status_word(code: str | None, family: str = status_table.TARGET.name) -> str:
    """{{ row.status|status_word }} -> 'På mål'; {{ row.status|status_word:"budget" }} -> 'Inden for budget'."""
    return status_table.word(code, family)


@register.filter
def number_da(value: Decimal | None, places: int = 1) -> str:
    """{{ value|number_da:1 }} -> '1.234,5'."""
    return formats.number_da(value, int(places))


@register.filter
def figure_da(figure: Any) -> str:
    """An indicators.selectors.Figure as shown: its value, '<5' when suppressed, '–' without data."""
    if figure is None:
        return formats.MISSING
    return formats.value_da(figure.indicator, figure.value, suppressed=figure.suppressed)


@register.filter
def hidden_da(mark: str | bool | None) -> str:
    """{{ row.forecast_suppressed|hidden_da }} -> '<5' for a small figure, 'x' for one hidden to protect another."""
    from driftsblik.indicators.suppression import label

    return label(mark if isinstance(mark, str) else None)


@register.filter
def period_da(period: Period | Month | None) -> str:
    return formats.period_da(period)


@register.filter
def value_da(value: Decimal | None, indicator: formats.Measured) -> str:
    """{{ row.forecast_value|value_da:row.indicator }} -> '12,3 %'."""
    return formats.value_da(indicator, value)


@register.filter
def change_da(value: Decimal | None, indicator: formats.Measured) -> str:
    """{{ row.change_previous|change_da:row.indicator }} -> '+1,2 pct.-point'."""
    return formats.change_da(indicator, value)


@register.filter
def change_class(value: Decimal | None) -> str:
    if value is None:
        return ""
    return "change-up" if value > 0 else "change-down" if value < 0 else "change-flat"


@register.filter
def amount_da(value: Decimal | None) -> str:
    """A numerator or denominator: whole numbers without decimals, fractions with one."""
    return formats.amount_da(value)


@register.filter
def percent_da(value: Decimal | None) -> str:
    """'12,3 %' (a minus sign for negatives)."""
    return formats.percent_da(value)


@register.filter
def thousands_da(value: Decimal | None) -> str:
    """An amount in DKK as whole 1,000 DKK: 1.234.567 -> '1.235'."""
    return formats.thousands_da(value)


# The two date styles (`ui.formats`): never `|date:"..."` with a format of its own in a template
# (driftsblik/ui/tests/test_date_styles.py fails on one); ISO for machines is `|date:"c"`.


@register.filter
def prose_date(value: formats.DateLike) -> str:
    """{{ day|prose_date }} -> '7. december 2026', in a sentence or heading."""
    return formats.prose_date(value)


@register.filter
def prose_datetime(value: formats.DateLike) -> str:
    """{{ moment|prose_datetime }} -> '7. december 2026 kl. 13.05', in DRIFTSBLIK_TIME_ZONE."""
    return formats.prose_datetime(value)


@register.filter
def table_date(value: formats.DateLike) -> str:
    """{{ day|table_date }} -> '07.12.2026', in a table or list."""
    return formats.table_date(value)


@register.filter
def table_datetime(value: formats.DateLike) -> str:
    """{{ moment|table_datetime }} -> '07.12.2026 kl. 13.05', in DRIFTSBLIK_TIME_ZONE."""
    return formats.table_datetime(value)
