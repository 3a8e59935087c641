"""Vega-Lite chart specifications for Driftsblik's pages and reports.

Each builder returns a plain dict: a complete Vega-Lite v6 spec with its data inline, so the same
spec is embedded in a page (rendered by vega-embed through ``web/charts.js``) and, for PDF reports,
rendered by vl-convert. Callers pass every visible text (axis titles, series names, the accessible
``description``) already translated; status words and colours come from the status table (ui.status).

Rules every spec follows:
- ``description`` is the chart's accessible name (charts.js copies it to ``aria-label``).
- Missing values (``None``: not loaded yet, suppressed, no target) stay ``null`` in the data and
  break lines or leave bars out; they are never drawn as zero.
- Month labels are Danish abbreviations made here, so no renderer locale is needed for them;
  number formats use d3 format strings that the Danish locale (``1.234,5``) turns Danish in the
  browser (charts.js) and in vl-convert (``format_locale="da-DK"``).
- Status is never shown by colour alone: the breakdown chart's legend names the status in words,
  and pages put the status icon and word beside every chart (``{% status %}`` of ``ui``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from driftsblik.ui.status import TARGET, Family

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
FONT = "DejaVu Sans"

MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

# Colours: the DKFDS palette, chosen so that lines, bars and rules reach 3:1 against white
# (WCAG 2.1 1.4.11) except the yellow status, whose bars get a dark outline instead.
INK = "#1a1a1a"
PRIMARY = "#004d99"  # DKFDS blue-800
LAST_YEAR = "#707070"  # DKFDS gray-500, 4.9:1 on white
PEER = "#8e8e8e"  # DKFDS gray-400

DEFAULT_SERIES_LABELS = {
    "this_year": "I år",
    "last_year": "Sidste år",
    "forecast": "Prognose",
    "forecast_band": "Prognoseinterval",
    "target": "Mål",
}

Number = float | Decimal  # figures arrive as Decimal, chart values leave as float (`_clean`)
DEFAULT_VALUE_FORMAT = ",.1~f"  # 1.234,5 / 12 in the Danish locale; trailing zeros trimmed

Spec = dict[str, Any]


def month_labels(months: Sequence[str]) -> list[str]:
    """Danish month abbreviations for 'YYYY-MM' strings; with the year when the months span years."""
    parsed = [_parse_month(m) for m in months]
    years = {year for year, _ in parsed}
    if len(years) <= 1:
        return [MONTH_ABBREVIATIONS[month - 1] for _, month in parsed]
    return [f"{MONTH_ABBREVIATIONS[month - 1]} {year}" for year, month in parsed]


def trend_spec(
    *,
    months: Sequence[str],
    this_year: Sequence[Number | None],
    last_year: Sequence[Number | None],
    target: float | None,
    forecast: Sequence[Number | None] | None = None,
    forecast_low: Sequence[Number | None] | None = None,
    forecast_high: Sequence[Number | None] | None = None,
    value_label: str,
    description: str,
    series_labels: Mapping[str, str] | None = None,
    value_format: str = DEFAULT_VALUE_FORMAT,
    width: int = 560,
    height: int = 260,
) -> Spec:
    """The budget year month by month: this year, last year, the target and the year-end forecast.

    All series are aligned with ``months`` ('YYYY-MM'). This year is a solid line with points, last
    year a grey line, the target a horizontal rule labelled with its name, and the forecast a dashed
    line with an optional band (``forecast_low``..``forecast_high``). When the forecast starts after
    the last actual month it is joined to that month's actual value, so the dashed line continues
    the solid one. ``None`` leaves a gap.
    """
    n = len(months)
    _check_length("this_year", this_year, n)
    _check_length("last_year", last_year, n)
    for name, series in (("forecast", forecast), ("forecast_low", forecast_low), ("forecast_high", forecast_high)):
        if series is not None:
            _check_length(name, series, n)
    labels = {**DEFAULT_SERIES_LABELS, **(series_labels or {})}
    x_labels = month_labels(months)
    rows = _trend_rows(months, x_labels, labels, this_year, last_year, forecast, forecast_low, forecast_high)
    x = {
        "field": "label",
        "type": "ordinal",
        "sort": x_labels,
        "title": None,
        "axis": {"labelAngle": 0, "labelOverlap": True},
    }
    layers: list[Spec] = []
    if forecast is not None and forecast_low is not None and forecast_high is not None:
        layers.append(_forecast_band_layer(x, labels, value_label))
    layers.append(_series_lines_layer(x, labels, value_label, with_forecast=forecast is not None))
    layers.append(_this_year_points_layer(x, labels, value_label, value_format))
    if target is not None and math.isfinite(target):
        layers.extend(_target_rule_layers(float(target), labels["target"], value_label, value_format))
    return _spec(
        description=description,
        data={"values": rows},
        width=width,
        height=height,
        layer=layers,
    )


def _trend_rows(
    months: Sequence[str],
    x_labels: Sequence[str],
    labels: Mapping[str, str],
    this_year: Sequence[Number | None],
    last_year: Sequence[Number | None],
    forecast: Sequence[Number | None] | None,
    forecast_low: Sequence[Number | None] | None,
    forecast_high: Sequence[Number | None] | None,
) -> list[dict[str, Any]]:
    """The trend's data: one row per series and month (the forecast rows carry its band), with the
    forecast joined to the last actual month before it."""
    n = len(months)
    nothing: list[float | None] = [None] * n
    forecast_values = _clean(forecast) if forecast is not None else list(nothing)
    low = _clean(forecast_low) if forecast_low is not None else list(nothing)
    high = _clean(forecast_high) if forecast_high is not None else list(nothing)
    actual = _clean(this_year)
    first_forecast = next((i for i, v in enumerate(forecast_values) if v is not None), None)
    if first_forecast and actual[first_forecast - 1] is not None and forecast_values[first_forecast - 1] is None:
        join = first_forecast - 1
        forecast_values[join] = actual[join]
        if low[first_forecast] is not None and high[first_forecast] is not None:
            low[join] = high[join] = actual[join]
    rows: list[dict[str, Any]] = []
    for key, values in (("this_year", actual), ("last_year", _clean(last_year)), ("forecast", forecast_values)):
        if key == "forecast" and forecast is None:
            continue
        for i in range(n):
            row: dict[str, Any] = {"month": months[i], "label": x_labels[i], "series": labels[key], "value": values[i]}
            if key == "forecast":
                row["low"], row["high"] = low[i], high[i]
            rows.append(row)
    return rows


def _forecast_band_layer(x: Spec, labels: Mapping[str, str], value_label: str) -> Spec:
    """The forecast's range as a light band under the lines."""
    return {
        "transform": [
            {"filter": {"field": "series", "equal": labels["forecast"]}},
            {"filter": "isValid(datum.low) && isValid(datum.high)"},
        ],
        "mark": {"type": "area", "color": PRIMARY, "opacity": 0.15},
        "encoding": {
            "x": x,
            "y": {"field": "low", "type": "quantitative", "title": value_label},
            "y2": {"field": "high"},
        },
    }


def _series_lines_layer(x: Spec, labels: Mapping[str, str], value_label: str, *, with_forecast: bool) -> Spec:
    """This year (solid blue), last year (solid grey) and the forecast (dashed blue) as lines."""
    series_order = [labels["this_year"], labels["last_year"]]
    series_colours = [PRIMARY, LAST_YEAR]
    series_dashes: list[list[int]] = [[1, 0], [1, 0]]
    if with_forecast:
        series_order.append(labels["forecast"])
        series_colours.append(PRIMARY)
        series_dashes.append([6, 4])
    return {
        "mark": {"type": "line", "strokeWidth": 2},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": value_label, "scale": {"zero": False}},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series_order, "range": series_colours},
                "legend": {"orient": "bottom", "symbolType": "stroke"},
            },
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series_order, "range": series_dashes},
            },
        },
    }


def _this_year_points_layer(x: Spec, labels: Mapping[str, str], value_label: str, value_format: str) -> Spec:
    """This year's months as points, carrying the tooltip."""
    tooltip = [
        {"field": "label", "type": "ordinal", "title": labels.get("month", "Måned")},
        {"field": "series", "type": "nominal", "title": labels.get("series", "Serie")},
        {"field": "value", "type": "quantitative", "title": value_label, "format": value_format},
    ]
    return {
        "transform": [{"filter": {"field": "series", "equal": labels["this_year"]}}],
        "mark": {"type": "point", "filled": True, "size": 40, "color": PRIMARY},
        "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "title": value_label}, "tooltip": tooltip},
    }


def _target_rule_layers(target: float, target_label: str, value_label: str, value_format: str) -> list[Spec]:
    """The target as a horizontal rule, and its name written on the rule."""
    target_data = {"values": [{"target": target, "text": target_label}]}
    rule = {
        "data": target_data,
        "mark": {"type": "rule", "color": INK, "strokeWidth": 2},
        "encoding": {
            "y": {"field": "target", "type": "quantitative", "title": value_label},
            "tooltip": [{"field": "target", "type": "quantitative", "title": target_label, "format": value_format}],
        },
    }
    text = {
        "data": target_data,
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "bottom",
            "dx": 3,
            "dy": -3,
            "color": INK,
            "x": 0,
            "fontWeight": "bold",
        },
        "encoding": {
            "y": {"field": "target", "type": "quantitative", "title": value_label},
            "text": {"field": "text"},
        },
    }
    return [rule, text]


def sparkline_spec(
    *,
    values: Sequence[Number | None],
    description: str,
    width: int = 100,
    height: int = 24,
    colour: str = PRIMARY,
) -> Spec:
    """A tiny line of the last months (usually 13) without axes; the latest value gets a dot."""
    cleaned = _clean(values)
    rows = [{"i": i, "value": v} for i, v in enumerate(cleaned)]
    last = max((i for i, v in enumerate(cleaned) if v is not None), default=None)
    x = {
        "field": "i",
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [0, max(len(cleaned) - 1, 1)], "nice": False},
    }
    y = {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    layers: list[Spec] = [{"mark": {"type": "line", "color": colour, "strokeWidth": 1.5}, "encoding": {"x": x, "y": y}}]
    if last is not None:
        layers.append(
            {
                "transform": [{"filter": f"datum.i === {last}"}],
                "mark": {"type": "point", "filled": True, "size": 16, "color": colour},
                "encoding": {"x": x, "y": y},
            }
        )
    spec = _spec(description=description, data={"values": rows}, width=width, height=height, layer=layers)
    spec["padding"] = 2
    spec["autosize"] = {"type": "fit", "contains": "padding"}  # the whole chart is width x height
    spec["config"]["view"] = {"stroke": None}
    spec["config"]["background"] = "transparent"  # sits in table cells of any colour
    return spec


def breakdown_spec(
    *,
    rows: Sequence[Mapping[str, Any]],
    value_label: str,
    description: str,
    target_label: str = DEFAULT_SERIES_LABELS["target"],
    family: Family = TARGET,
    value_format: str = DEFAULT_VALUE_FORMAT,
    value_suffix: str = "",
    width: int = 480,
) -> Spec:
    """Child units as horizontal bars sorted by value, coloured by status, with targets as ticks.

    ``rows`` are dicts with ``name``, ``value``, ``target`` and ``status`` (a code of the status
    ``family``: 'green', 'yellow', 'red' or None). A unit without a value (``None``, e.g. suppressed)
    keeps its row with no bar; its label text reads '–'. The legend names each status in words, in
    the family's colours (ui.status).
    """
    ordered = _sorted_by_value(rows)
    data = [
        {
            "name": str(r["name"]),
            "value": _clean_one(r.get("value")),
            "target": _clean_one(r.get("target")),
            "status": family.get(r.get("status")).word,
        }
        for r in ordered
    ]
    names = [d["name"] for d in data]
    domain = [s.word for s in family.statuses]
    colours = [s.tone.chart for s in family.statuses]
    y = {"field": "name", "type": "nominal", "sort": names, "title": None}
    value_text = _format_expr("datum.value", value_format, value_suffix)
    layers: list[Spec] = [
        {
            "mark": {"type": "bar", "stroke": INK, "strokeWidth": 0.5},
            "encoding": {
                "y": y,
                "x": {"field": "value", "type": "quantitative", "title": value_label},
                "color": {
                    "field": "status",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": domain, "range": colours},
                    "legend": {"orient": "bottom"},
                },
                "tooltip": [
                    {"field": "name", "type": "nominal", "title": None},
                    {"field": "value", "type": "quantitative", "title": value_label, "format": value_format},
                    {"field": "target", "type": "quantitative", "title": target_label, "format": value_format},
                    {"field": "status", "type": "nominal", "title": "Status"},
                ],
            },
        },
        {
            "transform": [{"filter": "isValid(datum.target)"}],
            "mark": {"type": "tick", "color": INK, "thickness": 3},
            "encoding": {"y": y, "x": {"field": "target", "type": "quantitative", "title": value_label}},
        },
        {
            "transform": [
                {"calculate": value_text, "as": "value_text"},
                {"calculate": "isValid(datum.value) ? datum.value : 0", "as": "text_x"},
            ],
            "mark": {"type": "text", "align": "left", "dx": 4, "color": INK},
            "encoding": {
                "y": y,
                "x": {"field": "text_x", "type": "quantitative", "title": value_label},
                "text": {"field": "value_text"},
            },
        },
    ]
    return _spec(
        description=description,
        data={"values": data},
        width=width,
        height={"step": 26},
        layer=layers,
    )


def ranked_bars_spec(
    *,
    rows: Sequence[Mapping[str, Any]],
    value_label: str,
    description: str,
    target: float | None = None,
    target_label: str = DEFAULT_SERIES_LABELS["target"],
    value_format: str = DEFAULT_VALUE_FORMAT,
    value_suffix: str = "",
    width: int = 480,
) -> Spec:
    """A unit beside its peers: bars ranked by value, the own unit (``is_self``) highlighted.

    ``rows`` are dicts with ``name``, ``value`` and ``is_self``. The own unit's bar is blue and its
    label bold (so the highlight does not rest on colour alone); peers are grey. An optional
    ``target`` is drawn as a vertical rule. ``None`` values keep the row without a bar.
    """
    ordered = _sorted_by_value(rows)
    data = [
        {"name": str(r["name"]), "value": _clean_one(r.get("value")), "is_self": bool(r.get("is_self"))}
        for r in ordered
    ]
    y = _ranked_name_axis([str(d["name"]) for d in data], [str(d["name"]) for d in data if d["is_self"]])
    value_text = _format_expr("datum.value", value_format, value_suffix)
    layers: list[Spec] = [_ranked_bars_layer(y, value_label, value_format)]
    for is_self in (False, True):
        layers.append(_ranked_value_text_layer(y, value_label, value_text, is_self=is_self))
    if target is not None and math.isfinite(target):
        layers.append(_vertical_target_layer(float(target), target_label, value_label, value_format))
    return _spec(
        description=description,
        data={"values": data},
        width=width,
        height={"step": 26},
        layer=layers,
    )


def _ranked_name_axis(names: list[str], self_names: list[str]) -> Spec:
    """The units down the side in rank order, the own unit's name bold and dark."""
    is_self_label = f"indexof({json.dumps(self_names, ensure_ascii=False)}, datum.value) >= 0"
    return {
        "field": "name",
        "type": "nominal",
        "sort": names,
        "title": None,
        "axis": {
            "labelFontWeight": {"condition": {"test": is_self_label, "value": "bold"}, "value": "normal"},
            "labelColor": {"condition": {"test": is_self_label, "value": INK}, "value": "#454545"},
        },
    }


def _ranked_bars_layer(y: Spec, value_label: str, value_format: str) -> Spec:
    """One bar per unit, the own unit blue and the peers grey."""
    return {
        "mark": {"type": "bar"},
        "encoding": {
            "y": y,
            "x": {"field": "value", "type": "quantitative", "title": value_label},
            "color": {"condition": {"test": "datum.is_self", "value": PRIMARY}, "value": PEER},
            "tooltip": [
                {"field": "name", "type": "nominal", "title": None},
                {"field": "value", "type": "quantitative", "title": value_label, "format": value_format},
            ],
        },
    }


def _ranked_value_text_layer(y: Spec, value_label: str, value_text: str, *, is_self: bool) -> Spec:
    """The values written at the end of the bars (the own unit's in bold; '–' where there is none)."""
    return {
        "transform": [
            {"filter": "datum.is_self" if is_self else "!datum.is_self"},
            {"calculate": value_text, "as": "value_text"},
            {"calculate": "isValid(datum.value) ? datum.value : 0", "as": "text_x"},
        ],
        "mark": {
            "type": "text",
            "align": "left",
            "dx": 4,
            "color": INK,
            "fontWeight": "bold" if is_self else "normal",
        },
        "encoding": {
            "y": y,
            "x": {"field": "text_x", "type": "quantitative", "title": value_label},
            "text": {"field": "value_text"},
        },
    }


def _vertical_target_layer(target: float, target_label: str, value_label: str, value_format: str) -> Spec:
    """The target as a dashed vertical rule across the bars."""
    return {
        "data": {"values": [{"target": target, "text": target_label}]},
        "mark": {"type": "rule", "color": INK, "strokeWidth": 2, "strokeDash": [4, 2]},
        "encoding": {
            "x": {"field": "target", "type": "quantitative", "title": value_label},
            "tooltip": [{"field": "target", "type": "quantitative", "title": target_label, "format": value_format}],
        },
    }


# -- helpers -----------------------------------------------------------------------------------


def _spec(*, description: str, data: Spec, width: int, height: int | Spec, layer: list[Spec]) -> Spec:
    if not description.strip():
        raise ValueError("a chart needs a description: it is the chart's accessible name")
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": width,
        "height": height,
        "data": data,
        "layer": layer,
        "config": {
            "font": FONT,
            "background": "#ffffff",
            # null breaks lines (a gap) and drops bars; it never becomes zero
            "mark": {"invalid": "break-paths-filter-domains"},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": INK,
                "titleColor": INK,
                "domainColor": "#707070",
                "tickColor": "#707070",
                "gridColor": "#dcdcdc",
            },
            "legend": {"labelFontSize": 12, "labelColor": INK, "titleColor": INK},
            "text": {"fontSize": 12},
        },
    }


def _format_expr(field: str, value_format: str, suffix: str) -> str:
    suffix_js = json.dumps(suffix, ensure_ascii=False)
    return f"isValid({field}) ? format({field}, {json.dumps(value_format)}) + {suffix_js} : '–'"


def _sorted_by_value(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Highest value first; rows without a value last, in their given order."""
    with_value = [r for r in rows if _clean_one(r.get("value")) is not None]
    without = [r for r in rows if _clean_one(r.get("value")) is None]
    return sorted(with_value, key=lambda r: -float(r["value"])) + without


def _clean_one(value: Any) -> float | None:
    """A JSON-safe number, or None for missing, NaN and infinite values (never 0)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _clean(values: Sequence[Any]) -> list[float | None]:
    return [_clean_one(v) for v in values]


def _check_length(name: str, values: Sequence[Any], n: int) -> None:
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} values for {n} months")


def _parse_month(month: str) -> tuple[int, int]:
    try:
        year_text, month_text = month.split("-")
        year, number = int(year_text), int(month_text)
    except ValueError:
        raise ValueError(f"month {month!r} is not 'YYYY-MM'") from None
    if not 1 <= number <= 12:
        raise ValueError(f"month {month!r} is not 'YYYY-MM'")
    return year, number
