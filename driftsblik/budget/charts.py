"""The budget chart: spending so far this year against last year and the corrected budget, cumulated.

A Vega-Lite spec in the form of `ui/charts.py` (data inline, accessible description, Danish
month labels, nulls leave gaps), so a page embeds it through web/charts.js and a report renders
it with vl-convert. Amounts are in million DKK.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from driftsblik.ui.charts import FONT, INK, LAST_YEAR, PRIMARY, SCHEMA, month_labels

MILLION = Decimal(1_000_000)


def _millions(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value / MILLION), 2)


def cumulative_spend_spec(
    *, monthly: Sequence[dict], labels: dict[str, str], description: str, width: int = 560, height: int = 260
) -> dict[str, Any]:
    """Three lines over the budget year: spending cumulated (solid), last year's (grey), the budget (dashed).

    `monthly` is `selectors.monthly_profile`; `labels` names the series (this_year, last_year,
    budget) and the y axis (value), already translated.
    """
    if not description.strip():
        raise ValueError("a chart needs a description: it is the chart's accessible name")
    months = [str(row["month"]) for row in monthly]
    x_labels = month_labels(months)
    rows = []
    for i, row in enumerate(monthly):
        for key, field in (
            ("this_year", "spent_cumulative"),
            ("last_year", "last_year_cumulative"),
            ("budget", "corrected_budget_cumulative"),
        ):
            rows.append({"label": x_labels[i], "series": labels[key], "value": _millions(row[field])})
    order = [labels["this_year"], labels["last_year"], labels["budget"]]
    x = {"field": "label", "type": "ordinal", "sort": x_labels, "title": None, "axis": {"labelAngle": 0}}
    y = {"field": "value", "type": "quantitative", "title": labels["value"]}
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": width,
        "height": height,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "series",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": order, "range": [PRIMARY, LAST_YEAR, INK]},
                        "legend": {"orient": "bottom", "symbolType": "stroke", "labelLimit": 400, "columns": 1},
                    },
                    "strokeDash": {
                        "field": "series",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": order, "range": [[1, 0], [1, 0], [6, 4]]},
                    },
                },
            },
            {
                "transform": [{"filter": {"field": "series", "equal": labels["this_year"]}}],
                "mark": {"type": "point", "filled": True, "size": 40, "color": PRIMARY},
                "encoding": {
                    "x": x,
                    "y": y,
                    "tooltip": [
                        {"field": "label", "type": "ordinal", "title": labels.get("month", "Måned")},
                        {"field": "value", "type": "quantitative", "title": labels["value"], "format": ",.1f"},
                    ],
                },
            },
        ],
        "config": {
            "font": FONT,
            "background": "#ffffff",
            "mark": {"invalid": "break-paths-filter-domains"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK},
            "legend": {"labelFontSize": 12, "labelColor": INK},
        },
    }
