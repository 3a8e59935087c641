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
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
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
# a value as the page's table writes it ('5,0 %', '1.234', '–'): tooltips and bar labels show
# exactly that text, computed in Python (ui.formats), never re-formatted by the renderer
Formatter = Callable[[Any], str]
MISSING_TEXT = "–"
# how far the value axis reaches beyond the data and the target, as a share of their span, so a
# target line never sits on the edge of the plot
DOMAIN_PADDING = 0.1
# the encoding channels that make a chart interactive: left out of the PDF's variant
INTERACTIVE_CHANNELS = ("tooltip", "href")


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
    target: Number | Sequence[Number | None] | None,
    forecast: Sequence[Number | None] | None = None,
    forecast_low: Sequence[Number | None] | None = None,
    forecast_high: Sequence[Number | None] | None = None,
    value_label: str,
    description: str,
    series_labels: Mapping[str, str] | None = None,
    value_format: str = DEFAULT_VALUE_FORMAT,
    value_text: Formatter | None = None,
    width: int = 560,
    height: int = 260,
) -> Spec:
    """The budget year month by month: this year, last year, the target and the year-end forecast.

    All series are aligned with ``months`` ('YYYY-MM'). This year is a solid line with points, last
    year a grey line, the target a horizontal rule labelled with its name (a number, or the same for
    every month) or, when it differs month by month (a yearly target spread by last year's profile), a
    stepped line holding each month's target (``target`` one value per month), and the forecast a dashed
    line with an optional band (``forecast_low``..``forecast_high``). When the forecast starts after
    the last actual month it is joined to that month's actual value, so the dashed line continues
    the solid one. ``None`` leaves a gap. Every line, the target and the band are in the legend; the
    value axis reaches past the data and the target. Each month's points carry a tooltip with the
    month's figures as ``value_text`` writes them (the page's table: '5,0 %'); ``value_format`` is
    the d3 format of the axis.
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
    month_targets = _month_targets(target, n)
    level = month_targets[0] if month_targets and all(t == month_targets[0] for t in month_targets) else None
    has_target = any(t is not None for t in month_targets)
    texts = _month_texts(value_text or default_text, this_year, last_year, forecast, month_targets)
    for row in rows:
        row.update(texts[months.index(row["month"])])
    x = {
        "field": "label",
        "type": "ordinal",
        "sort": x_labels,
        "title": None,
        "axis": {"labelAngle": 0, "labelOverlap": True},
    }
    extent = [r["value"] for r in rows] + [r.get(k) for r in rows for k in ("low", "high")]
    y = _value_channel("value", value_label, value_format, padded_domain(extent, None, month_targets))
    lines = _line_legend(labels, with_forecast=forecast is not None, with_target=has_target)
    layers: list[Spec] = []
    if forecast is not None and forecast_low is not None and forecast_high is not None:
        layers.append(_forecast_band_layer(x, y, labels))
    layers.append(_series_lines_layer(x, y, lines))
    layers.append(_points_layer(x, y, lines, labels, value_label, with_forecast=forecast is not None))
    if level is not None:
        layers.extend(_target_rule_layers(x, y, level, labels["target"], lines))
    elif has_target:
        layers.append(_target_steps_layer(x, y, x_labels, month_targets, labels["target"]))
    return _spec(
        description=description,
        data={"values": rows},
        width=width,
        height=height,
        layer=layers,
    )


def _month_targets(target: Number | Sequence[Number | None] | None, n: int) -> list[float | None]:
    """The target of each month: one number for all, or one per month (None or not finite: none)."""
    if target is None or isinstance(target, (int, float, Decimal)):
        return _clean([target] * n)
    _check_length("target", target, n)
    return _clean(target)


def _month_texts(
    text: Formatter,
    this_year: Sequence[Number | None],
    last_year: Sequence[Number | None],
    forecast: Sequence[Number | None] | None,
    targets: Sequence[float | None],
) -> list[dict[str, str]]:
    """Per month the texts of the tooltip: each series and the month's target as the table writes them."""
    return [
        {
            "this_text": _text_of(text, this_year[i]),
            "last_text": _text_of(text, last_year[i]),
            "forecast_text": _text_of(text, forecast[i]) if forecast is not None else MISSING_TEXT,
            "target_text": _text_of(text, targets[i]),
        }
        for i in range(len(this_year))
    ]


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


def _line_legend(labels: Mapping[str, str], *, with_forecast: bool, with_target: bool) -> Spec:
    """The one legend of the trend's lines: name, colour and dash of this year, last year, the
    forecast and the target (the channels every line layer shares)."""
    order = [labels["this_year"], labels["last_year"]]
    colours = [PRIMARY, LAST_YEAR]
    dashes: list[list[int]] = [[1, 0], [1, 0]]
    if with_forecast:
        order.append(labels["forecast"])
        colours.append(PRIMARY)
        dashes.append([6, 4])
    if with_target:
        order.append(labels["target"])
        colours.append(INK)
        dashes.append([1, 0])
    return {
        "color": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "scale": {"domain": order, "range": colours},
            "legend": {"orient": "bottom", "symbolType": "stroke", "labelLimit": 300},
        },
        "strokeDash": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "scale": {"domain": order, "range": dashes},
        },
    }


def _forecast_band_layer(x: Spec, y: Spec, labels: Mapping[str, str]) -> Spec:
    """The forecast's range as a light band under the lines, named in a legend of its own."""
    return {
        "transform": [
            {"filter": {"field": "series", "equal": labels["forecast"]}},
            {"filter": "isValid(datum.low) && isValid(datum.high)"},
            {"calculate": json.dumps(labels["forecast_band"], ensure_ascii=False), "as": "band"},
        ],
        "mark": {"type": "area", "opacity": 0.15},
        "encoding": {
            "x": x,
            "y": {**y, "field": "low"},
            "y2": {"field": "high"},
            "fill": {
                "field": "band",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [labels["forecast_band"]], "range": [PRIMARY]},
                "legend": {"orient": "bottom", "symbolType": "square", "symbolOpacity": 0.3},
            },
        },
    }


def _series_lines_layer(x: Spec, y: Spec, lines: Spec) -> Spec:
    """This year (solid blue), last year (solid grey) and the forecast (dashed blue) as lines."""
    return {
        "mark": {"type": "line", "strokeWidth": 2},
        "encoding": {"x": x, "y": y, **lines},
    }


def _points_layer(
    x: Spec, y: Spec, lines: Spec, labels: Mapping[str, str], value_label: str, *, with_forecast: bool
) -> Spec:
    """Every month of every line as a point carrying the month's figures as the table shows them."""
    tooltip = [
        {"field": "label", "type": "nominal", "title": labels.get("month", "Måned")},
        {"field": "this_text", "type": "nominal", "title": labels["this_year"]},
        {"field": "last_text", "type": "nominal", "title": labels["last_year"]},
    ]
    if with_forecast:
        tooltip.append({"field": "forecast_text", "type": "nominal", "title": labels["forecast"]})
    tooltip.append({"field": "target_text", "type": "nominal", "title": labels["target"]})
    this_year = json.dumps(labels["this_year"], ensure_ascii=False)
    return {
        "transform": [
            {"filter": "isValid(datum.value)"},
            {"calculate": f"datum.series === {this_year} ? 1 : 0", "as": "on_top"},
        ],
        "mark": {"type": "point", "filled": True, "size": 40},
        "encoding": {
            "x": x,
            "y": y,
            "color": lines["color"],
            "order": {"field": "on_top", "type": "quantitative"},  # this year's points drawn over the others
            "tooltip": tooltip,
        },
    }


def _target_rule_layers(x: Spec, y: Spec, target: float, target_label: str, lines: Spec) -> list[Spec]:
    """The target as a horizontal rule in the legend, and its name written on the rule."""
    target_data = {"values": [{"target": target, "text": target_label}]}
    rule = {
        "data": target_data,
        "mark": {"type": "rule", "strokeWidth": 2},
        "encoding": {
            "y": {**y, "field": "target"},
            "color": _datum_of(target_label),
            "strokeDash": _datum_of(target_label),
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
        "encoding": {"y": {**y, "field": "target"}, "text": {"field": "text"}},
    }
    return [rule, text]


def _target_steps_layer(
    x: Spec, y: Spec, x_labels: Sequence[str], targets: Sequence[float | None], target_label: str
) -> Spec:
    """A target that differs month by month as a stepped line (each month's target level across its
    month), in the legend as the target; a month without a target leaves a gap."""
    return {
        "data": {"values": [{"label": label, "target": t} for label, t in zip(x_labels, targets, strict=True)]},
        "mark": {"type": "line", "interpolate": "step", "strokeWidth": 2},
        "encoding": {
            "x": x,
            "y": {**y, "field": "target"},
            "color": _datum_of(target_label),
            "strokeDash": _datum_of(target_label),
        },
    }


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
    value_text: Formatter | None = None,
    width: int = 480,
) -> Spec:
    """Child units as horizontal bars sorted by value, coloured by status, with targets as ticks.

    ``rows`` are dicts with ``name``, ``value``, ``target`` and ``status`` (a code of the status
    ``family``: 'green', 'yellow', 'red' or None), and optionally ``value_text`` and ``target_text``
    (the table's texts, e.g. '<5' for a hidden value) and ``href`` (the unit's page: a click on its
    bar opens it). Texts not given are written by ``value_text`` (default: one decimal and
    ``value_suffix``). A unit without a value (``None``, e.g. suppressed) keeps its row with no
    bar. The legend names each status in words, in the family's colours (ui.status), and the
    target tick; the value axis reaches past the longest bar and the highest target.
    """
    text = value_text or _suffixed(value_suffix)
    ordered = _sorted_by_value(rows)
    data = [
        {
            "name": str(r["name"]),
            "value": _clean_one(r.get("value")),
            "target": _clean_one(r.get("target")),
            "status": family.get(r.get("status")).word,
            "text": str(r.get("value_text") or _text_of(text, r.get("value"))),
            "target_text": str(r.get("target_text") or _text_of(text, r.get("target"))),
            **({"href": str(r["href"])} if r.get("href") else {}),
        }
        for r in ordered
    ]
    names = [d["name"] for d in data]
    y = {"field": "name", "type": "nominal", "sort": names, "title": None}
    x = _value_channel(
        "value",
        value_label,
        value_format,
        padded_domain([d["value"] for d in data] + [0], None, [d["target"] for d in data]),
    )
    layers: list[Spec] = [
        _breakdown_bars_layer(x, y, family, target_label, with_href=any("href" in d for d in data)),
        {
            "transform": [
                {"filter": "isValid(datum.target)"},
                {"calculate": json.dumps(target_label, ensure_ascii=False), "as": "target_label"},
            ],
            "mark": {"type": "tick", "color": INK, "thickness": 3, "opacity": 1},
            "encoding": {"y": y, "x": {**x, "field": "target"}, "strokeDash": _target_legend(target_label, "tick")},
        },
        _bar_text_layer(x, y),
    ]
    return _spec(
        description=description,
        data={"values": data},
        width=width,
        height={"step": 26},
        layer=layers,
    )


def _breakdown_bars_layer(x: Spec, y: Spec, family: Family, target_label: str, *, with_href: bool) -> Spec:
    """One bar per unit in its status colour; the tooltip has the table's texts, a click opens the unit."""
    encoding: Spec = {
        "y": y,
        "x": x,
        "color": {
            "field": "status",
            "type": "nominal",
            "title": None,
            "scale": {"domain": [s.word for s in family.statuses], "range": [s.tone.chart for s in family.statuses]},
            "legend": {"orient": "bottom"},
        },
        "tooltip": [
            {"field": "name", "type": "nominal", "title": "Enhed"},
            {"field": "text", "type": "nominal", "title": x["title"]},
            {"field": "target_text", "type": "nominal", "title": target_label},
            {"field": "status", "type": "nominal", "title": "Status"},
        ],
    }
    if with_href:
        encoding["href"] = {"field": "href", "type": "nominal"}
    return {"mark": {"type": "bar", "stroke": INK, "strokeWidth": 0.5}, "encoding": encoding}


def _bar_text_layer(x: Spec, y: Spec, *, bold: bool | None = None) -> Spec:
    """The table's text written at the end of each bar ('–' where there is none); with ``bold``
    True or False only the own unit's (bold) or only the others'."""
    transform: list[Spec] = [{"calculate": "isValid(datum.value) ? datum.value : 0", "as": "text_x"}]
    if bold is not None:
        transform.insert(0, {"filter": "datum.is_self" if bold else "!datum.is_self"})
    return {
        "transform": transform,
        "mark": {"type": "text", "align": "left", "dx": 4, "color": INK, "fontWeight": "bold" if bold else "normal"},
        "encoding": {"y": y, "x": {**x, "field": "text_x"}, "text": {"field": "text"}},
    }


def ranked_bars_spec(
    *,
    rows: Sequence[Mapping[str, Any]],
    value_label: str,
    description: str,
    target: float | None = None,
    target_label: str = DEFAULT_SERIES_LABELS["target"],
    value_format: str = DEFAULT_VALUE_FORMAT,
    value_suffix: str = "",
    value_text: Formatter | None = None,
    self_label: str = "Enheden",
    peers_label: str = "De andre",
    width: int = 480,
) -> Spec:
    """A unit beside its peers: bars ranked by value, the own unit (``is_self``) highlighted.

    ``rows`` are dicts with ``name``, ``value`` and ``is_self``, optionally ``value_text`` (the
    table's text) and ``href`` (a click on the bar opens it). The own unit's bar is blue and its
    label bold (so the highlight does not rest on colour alone); peers are grey; the legend names
    both (``self_label``, ``peers_label``). An optional ``target`` is a dashed vertical rule,
    labelled with ``target_label`` on the chart and in the legend, inside the value axis.
    ``None`` values keep the row without a bar.
    """
    text = value_text or _suffixed(value_suffix)
    ordered = _sorted_by_value(rows)
    data = [
        {
            "name": str(r["name"]),
            "value": _clean_one(r.get("value")),
            "is_self": bool(r.get("is_self")),
            "group": self_label if r.get("is_self") else peers_label,
            "text": str(r.get("value_text") or _text_of(text, r.get("value"))),
            **({"href": str(r["href"])} if r.get("href") else {}),
        }
        for r in ordered
    ]
    has_target = target is not None and math.isfinite(target)
    y = _ranked_name_axis([str(d["name"]) for d in data], [str(d["name"]) for d in data if d["is_self"]])
    x = _value_channel(
        "value",
        value_label,
        value_format,
        padded_domain([d["value"] for d in data] + [0], target if has_target else None),
    )
    groups = (self_label, peers_label)
    layers: list[Spec] = [_ranked_bars_layer(x, y, groups, with_href=any("href" in d for d in data))]
    for is_self in (False, True):
        layers.append(_bar_text_layer(x, y, bold=is_self))
    if has_target:
        layers.extend(_vertical_target_layers(x, float(target or 0), target_label, text(target)))
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


def _ranked_bars_layer(x: Spec, y: Spec, groups: tuple[str, str], *, with_href: bool) -> Spec:
    """One bar per unit, the own unit blue and the peers grey (both in the legend)."""
    encoding: Spec = {
        "y": y,
        "x": x,
        "color": {
            "field": "group",
            "type": "nominal",
            "title": None,
            "scale": {"domain": list(groups), "range": [PRIMARY, PEER]},
            "legend": {"orient": "bottom"},
        },
        "tooltip": [
            {"field": "name", "type": "nominal", "title": "Enhed"},
            {"field": "text", "type": "nominal", "title": x["title"]},
        ],
    }
    if with_href:
        encoding["href"] = {"field": "href", "type": "nominal"}
    return {"mark": {"type": "bar"}, "encoding": encoding}


def _vertical_target_layers(x: Spec, target: float, target_label: str, target_text: str) -> list[Spec]:
    """The target as a dashed vertical rule across the bars, in the legend and named at its top."""
    data = {"values": [{"target": target, "target_label": target_label, "target_text": target_text}]}
    rule = {
        "data": data,
        "mark": {"type": "rule", "color": INK, "strokeWidth": 2},
        "encoding": {
            "x": {**x, "field": "target"},
            "strokeDash": _target_legend(target_label, "rule"),
            "tooltip": [{"field": "target_text", "type": "nominal", "title": target_label}],
        },
    }
    text = {
        "data": data,
        "mark": {"type": "text", "align": "center", "baseline": "bottom", "y": 0, "dy": -2, "color": INK},
        "encoding": {"x": {**x, "field": "target"}, "text": {"field": "target_label"}},
    }
    return [rule, text]


def _target_legend(target_label: str, mark: str) -> Spec:
    """A legend entry of its own for a target drawn as a rule (dashed) or a tick (solid, thick)."""
    if mark == "rule":
        dash, symbol = [4, 2], {"symbolType": "stroke", "symbolStrokeColor": INK, "symbolStrokeWidth": 2}
    else:  # a filled upright bar like the tick itself
        dash, symbol = [1, 0], {"symbolType": "M-0.15,-1H0.15V1H-0.15Z", "symbolFillColor": INK, "symbolOpacity": 1}
    return {
        "field": "target_label",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [target_label], "range": [dash]},
        "legend": {"orient": "bottom", "labelLimit": 300, **symbol},
    }


def static_spec(spec: Spec) -> Spec:
    """The same chart without its interaction, for a PDF or any other picture: no tooltip and no
    link (``href``) in any layer, so vl-convert draws neither a title nor an <a> into the SVG."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: strip(value)
                for key, value in node.items()
                if not (key in INTERACTIVE_CHANNELS or (key == "cursor" and isinstance(value, str)))
            }
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    result: Spec = strip(spec)
    return result


# -- helpers -----------------------------------------------------------------------------------


def default_text(value: Any) -> str:
    """A value written as the pages write a number without a unit: '1.234,5', '12' ('–' for none)."""
    return _suffixed("")(value)


def _suffixed(suffix: str) -> Formatter:
    """Danish number texts with one decimal (none when whole) and ``suffix`` after them."""

    def text(value: Any) -> str:
        number = _clean_one(value)
        if number is None:
            return MISSING_TEXT
        places = 0 if float(number).is_integer() else 1
        exact = Decimal(str(number)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # as ui.formats
        rounded = f"{abs(exact):,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return ("-" if exact < 0 else "") + rounded + suffix

    return text


def _text_of(text: Formatter, value: Any) -> str:
    return MISSING_TEXT if _clean_one(value) is None else text(value)


def padded_domain(values: Sequence[Any], target: float | None, more: Sequence[Any] = ()) -> list[float] | None:
    """The value axis's reach: every value, the target and ``more`` (e.g. the bars' targets) with
    room beyond them (``DOMAIN_PADDING`` of the span at each end, never below zero when nothing is
    negative), so no target line or tick sits on the plot's edge. None when there is nothing to draw."""
    numbers = [float(v) for v in [*values, target, *more] if v is not None and math.isfinite(float(v))]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    span = (high - low) or abs(high) or 1.0
    start, stop = low - span * DOMAIN_PADDING, high + span * DOMAIN_PADDING
    if low >= 0 > start:
        start = 0.0
    return [round(start, 6), round(stop, 6)]


def _value_channel(field: str, title: str, value_format: str, domain: list[float] | None) -> Spec:
    """The quantitative value channel: Danish d3 format on the axis, the padded domain, made nice."""
    channel: Spec = {"field": field, "type": "quantitative", "title": title, "axis": {"format": value_format}}
    channel["scale"] = {"zero": False, "nice": True, **({"domain": domain} if domain else {})}
    return channel


def _datum_of(datum: str) -> Spec:
    """A layer that is one entry of a legend another layer defines: the value of that layer's
    shared scale (a datum takes neither scale nor legend of its own)."""
    return {"datum": datum, "type": "nominal"}


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
