"""From the selectors' figures to the API's shapes: numbers as JSON numbers, hidden cells marked."""

from __future__ import annotations

from decimal import Decimal

from driftsblik.indicators import selectors, suppression
from driftsblik.indicators.models import Indicator


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def shown_as(figure: selectors.Figure) -> str | None:
    """How the pages print a hidden cell: '<5' for a small number, 'x' for one hidden to protect it."""
    if figure.suppressed == selectors.SMALL:
        return suppression.suppression_label()
    if figure.suppressed == selectors.SECONDARY:
        return "x"
    return None


def figure_out(figure: selectors.Figure, unit_name: str) -> dict[str, object]:
    return {
        "indicator": figure.indicator.code,
        "unit_id": figure.unit_id,
        "unit_name": unit_name,
        "period": str(figure.period),
        "value": number(figure.value),
        "numerator": number(figure.numerator),
        "denominator": number(figure.denominator),
        "target": number(figure.target),
        "year_target": number(figure.year_target),
        "months": len(figure.months),
        "target_method": figure.target_method,
        "status": figure.shown_status,
        "suppressed": figure.suppressed,
        "shown_as": shown_as(figure),
    }


def indicator_out(indicator: Indicator) -> dict[str, object]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "description": indicator.description,
        "kind": indicator.kind,
        "measure": indicator.measure,
        "temporal": indicator.temporal,
        "direction": indicator.direction,
        "unit_label": indicator.unit_label,
        "tolerance_pct": float(indicator.tolerance_pct),
        "person_based": indicator.person_based,
        "key": indicator.key,
        "task_area": indicator.task_area.code if indicator.task_area else None,
        "source": indicator.source,
        "owner": indicator.owner,
    }
