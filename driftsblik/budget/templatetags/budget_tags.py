"""Template filters of the budget pages: amounts in 1,000 DKK and percentages, Danish formats."""

from __future__ import annotations

from decimal import Decimal

from django import template

from driftsblik.web import formatting

register = template.Library()


@register.filter
def thousands_da(value: Decimal | None) -> str:
    """An amount in DKK as whole 1,000 DKK: 1.234.567 -> '1.235'."""
    if value is None:
        return formatting.MISSING
    return formatting.number_da(value / 1000, 0)


@register.filter
def percent_da(value: Decimal | None) -> str:
    """'12,3 %' (a minus sign for negatives)."""
    if value is None:
        return formatting.MISSING
    return f"{formatting.number_da(value, 1)} %"


@register.filter
def cost_da(value: Decimal | None) -> str:
    """A unit cost in DKK: whole kroner."""
    if value is None:
        return formatting.MISSING
    return formatting.number_da(value, 0)
