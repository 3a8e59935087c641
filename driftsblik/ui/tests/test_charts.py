"""Chart specs are valid Vega-Lite v6 and keep missing values as gaps.

Pure Python: no database and no Django settings are needed. The Vega-Lite schema is the one
shipped in the vendored vega-lite package (copied to web/tests/data, beside the shell's vendored
assets, by tools/vendor-assets), so the specs are checked against exactly the version the browser runs.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from driftsblik.ui import charts
from driftsblik.ui.status import TARGET

WEB = Path(__file__).resolve().parents[2] / "web"  # the shell vendors Vega-Lite
SCHEMA_PATH = WEB / "tests" / "data" / "vega-lite-schema.json"
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


@cache
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def assert_valid(spec: dict[str, Any]) -> None:
    # a round trip through JSON proves the spec is plain data (no NaN, no tuples, no objects)
    as_json = json.dumps(spec, allow_nan=False)
    errors = sorted(validator().iter_errors(json.loads(as_json)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:5])
    assert spec["config"]["font"] == "DejaVu Sans"
    assert spec["description"]
    assert spec["$schema"].endswith("/vega-lite/v6.json")


def trend(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "months": MONTHS,
        "this_year": [10, 12, None, 14, 15, 16, 17, None, None, None, None, None],
        "last_year": [9, 10, 11, 12, 13, 12, 11, 12, 13, 14, 15, 16],
        "target": 15.5,
        "forecast": [None] * 7 + [17.5, 18, 18.5, 19, 19.5],
        "forecast_low": [None] * 7 + [16, 16, 16.5, 17, 17],
        "forecast_high": [None] * 7 + [19, 20, 21, 21, 22],
        "value_label": "Andel i job eller uddannelse (%)",
        "description": "Andel unge i job eller uddannelse, 2025, måned for måned",
    }
    arguments.update(overrides)
    return charts.trend_spec(**arguments)


def rows_of(spec: dict[str, Any], series: str | None = None) -> list[dict[str, Any]]:
    rows = spec["data"]["values"]
    return [r for r in rows if series is None or r.get("series") == series]


# -- schema validity ---------------------------------------------------------------------------


def test_the_schema_is_vega_lite_6() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert "TopLevelSpec" in schema["definitions"]
    # the vendored vega-lite build and the schema must be the same release
    build = (WEB / "static" / "vendor" / "vega-lite" / "vega-lite.min.js").read_text(encoding="utf-8")
    version = re.search(r'var \w+="(6\.\d+\.\d+)"', build)
    assert version, "no Vega-Lite 6 version string in the vendored build"


def test_the_schema_rejects_an_invalid_spec() -> None:
    """Guards the guard: validation must be able to fail."""
    spec = trend()
    spec["layer"][0]["mark"] = {"type": "not-a-mark"}
    assert list(validator().iter_errors(spec))


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(trend, id="trend"),
        pytest.param(lambda: trend(target=None, forecast=None, forecast_low=None, forecast_high=None), id="trend-bare"),
        pytest.param(lambda: trend(forecast_low=None, forecast_high=None), id="trend-no-band"),
        pytest.param(lambda: trend(this_year=[None] * 12, last_year=[None] * 12, forecast=None), id="trend-empty"),
        pytest.param(
            lambda: charts.sparkline_spec(
                values=[1, 2, None, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], description="Seneste 13 måneder"
            ),
            id="sparkline",
        ),
        pytest.param(lambda: charts.sparkline_spec(values=[None] * 13, description="Ingen data"), id="sparkline-empty"),
        pytest.param(
            lambda: charts.breakdown_spec(
                rows=[
                    {"name": "Jobcenter Nord", "value": 1234.5, "target": 1000, "status": "green"},
                    {"name": "Jobcenter Syd", "value": 800, "target": 1000, "status": "red"},
                    {"name": "Ungeenheden", "value": None, "target": None, "status": None},
                    {"name": "Team Øst", "value": 950, "target": 1000, "status": "yellow"},
                ],
                value_label="Antal borgere",
                description="Antal borgere pr. enhed",
                value_suffix=" %",
            ),
            id="breakdown",
        ),
        pytest.param(
            lambda: charts.breakdown_spec(rows=[], value_label="Antal", description="Ingen enheder"),
            id="breakdown-empty",
        ),
        pytest.param(
            lambda: charts.ranked_bars_spec(
                rows=[
                    {"name": "Skole A", "value": 12.3, "is_self": False},
                    {"name": 'Skole "B"', "value": 15.1, "is_self": True},
                    {"name": "Skole C", "value": None, "is_self": False},
                ],
                value_label="Fravær (%)",
                description="Fravær sammenlignet med naboskoler",
                target=10,
            ),
            id="ranked",
        ),
    ],
)
def test_every_spec_is_valid_vega_lite(build: Any) -> None:
    assert_valid(build())


# -- missing values are gaps, never zeros ------------------------------------------------------


def test_trend_keeps_missing_months_as_null() -> None:
    spec = trend()
    this_year = rows_of(spec, "I år")
    assert [r["value"] for r in this_year][:4] == [10, 12, None, 14]
    assert all(r["value"] is None for r in this_year[7:])
    # lines break at nulls instead of dropping to zero or joining across the gap
    assert spec["config"]["mark"]["invalid"] in {"break-paths-filter-domains", "break-paths-show-domains"}
    assert "null" in json.dumps(spec)


def test_trend_nan_becomes_a_gap() -> None:
    spec = trend(this_year=[float("nan")] + [1.0] * 11)
    assert rows_of(spec, "I år")[0]["value"] is None


def test_trend_forecast_joins_the_last_actual_month() -> None:
    spec = trend()
    forecast = rows_of(spec, "Prognose")
    assert [r["value"] for r in forecast][:6] == [None] * 6
    assert forecast[6]["value"] == 17  # July's actual, where the dashed line starts
    assert forecast[6]["low"] == forecast[6]["high"] == 17
    assert forecast[7]["value"] == 17.5


def test_trend_month_labels_are_danish_and_locale_free() -> None:
    spec = trend()
    labels = [r["label"] for r in rows_of(spec, "I år")]
    assert labels == ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    assert charts.month_labels(["2024-12", "2025-01"]) == ["dec 2024", "jan 2025"]


def test_trend_without_target_or_forecast_draws_neither() -> None:
    spec = trend(target=None, forecast=None, forecast_low=None, forecast_high=None)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert "rule" not in marks and "area" not in marks
    assert not rows_of(spec, "Prognose")


SEASONAL_TARGETS = [30, 28, 31, 29, 30, 25, 12, 20, 30, 31, 30, 24]  # a yearly 320 spread by last year


def test_a_target_that_varies_by_month_is_a_stepped_line_in_the_legend() -> None:
    spec = trend(target=SEASONAL_TARGETS)
    assert_valid(spec)
    steps = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line" and "data" in layer]
    assert len(steps) == 1 and steps[0]["mark"]["interpolate"] == "step"
    assert [row["target"] for row in steps[0]["data"]["values"]] == SEASONAL_TARGETS
    assert [row["label"] for row in steps[0]["data"]["values"]][:2] == ["jan", "feb"]
    assert steps[0]["encoding"]["y"]["field"] == "target"
    assert steps[0]["encoding"]["color"] == {"datum": "Mål", "type": "nominal"}
    legend = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line" and "data" not in layer)
    assert "Mål" in legend["encoding"]["color"]["scale"]["domain"]
    assert "rule" not in [layer["mark"]["type"] for layer in spec["layer"]]  # no one level drawn
    # each month's tooltip gives that month's target, and the axis reaches past the highest and lowest
    texts = {r["label"]: r["target_text"] for r in rows_of(spec, "I år")}
    assert texts["jul"] == "12" and texts["okt"] == "31"
    low, high = legend["encoding"]["y"]["scale"]["domain"]
    assert low < 10 and high > 31


def test_the_same_target_every_month_stays_one_rule() -> None:
    for target in (15.5, [15.5] * 12):
        spec = trend(target=target)
        marks = [layer["mark"]["type"] for layer in spec["layer"]]
        assert marks.count("rule") == 1 and not any(layer["mark"].get("interpolate") for layer in spec["layer"])
    spec = trend(target=[None] * 12)
    assert "rule" not in [layer["mark"]["type"] for layer in spec["layer"]]
    assert not any(layer["mark"].get("interpolate") for layer in spec["layer"])
    with pytest.raises(ValueError, match="target"):
        trend(target=[1, 2])


def test_the_stepped_target_draws_in_the_pdf() -> None:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(charts.static_spec(trend(target=SEASONAL_TARGETS)))
    assert svg.count("Mål") >= 1 and "<path" in svg


def test_trend_rejects_misaligned_series() -> None:
    with pytest.raises(ValueError, match="last_year"):
        trend(last_year=[1, 2, 3])
    with pytest.raises(ValueError, match="YYYY-MM"):
        trend(months=["2025-13"] + MONTHS[1:])


def test_sparkline_keeps_gaps_and_marks_the_latest_value() -> None:
    spec = charts.sparkline_spec(values=[1, None, 3, None], description="Udvikling")
    assert [r["value"] for r in spec["data"]["values"]] == [1, None, 3, None]
    assert spec["width"] == 100 and spec["height"] == 24
    assert all(layer["encoding"]["x"]["axis"] is None for layer in spec["layer"])
    assert spec["layer"][1]["transform"] == [{"filter": "datum.i === 2"}]


def test_breakdown_sorts_by_value_with_missing_last_and_names_status_in_words() -> None:
    spec = charts.breakdown_spec(
        rows=[
            {"name": "Lav", "value": 1, "target": 5, "status": "red"},
            {"name": "Skjult", "value": None, "target": 5, "status": None},
            {"name": "Høj", "value": 10, "target": 5, "status": "green"},
        ],
        value_label="Antal",
        description="Fordeling",
    )
    data = spec["data"]["values"]
    assert [d["name"] for d in data] == ["Høj", "Lav", "Skjult"]
    assert data[2]["value"] is None  # a suppressed unit has no bar, not a zero bar
    assert [d["status"] for d in data] == [TARGET.word("green"), TARGET.word("red"), TARGET.word(None)]
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Høj", "Lav", "Skjult"]
    ticks = [layer for layer in spec["layer"] if layer["mark"]["type"] == "tick"]
    assert ticks and ticks[0]["encoding"]["x"]["field"] == "target"


def test_breakdown_rejects_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="status"):
        charts.breakdown_spec(
            rows=[{"name": "X", "value": 1, "target": 1, "status": "blue"}],
            value_label="Antal",
            description="Fordeling",
        )


def test_ranked_bars_highlight_the_own_unit_by_more_than_colour() -> None:
    spec = charts.ranked_bars_spec(
        rows=[{"name": "Nabo", "value": 3, "is_self": False}, {"name": "Os", "value": 2, "is_self": True}],
        value_label="Antal",
        description="Sammenligning",
    )
    assert [d["name"] for d in spec["data"]["values"]] == ["Nabo", "Os"]
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert '["Os"]' in axis["labelFontWeight"]["condition"]["test"]


def test_a_chart_needs_an_accessible_name() -> None:
    with pytest.raises(ValueError, match="description"):
        charts.sparkline_spec(values=[1, 2], description=" ")


# -- charts you can ask: the table's texts, links, targets inside, every mark in a legend --------


def layers_of(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_trend_tooltips_are_the_formatters_texts_for_the_whole_month() -> None:
    spec = trend(value_text=lambda v: f"{v:.1f}".replace(".", ",") + " %", target=5)
    march, april = (r for r in rows_of(spec, "I år")[2:4])
    assert april["this_text"] == "14,0 %" and april["last_text"] == "12,0 %" and april["target_text"] == "5,0 %"
    assert march["this_text"] == "–"  # a month without a figure reads as the table's dash
    august = rows_of(spec, "Prognose")[7]
    assert august["forecast_text"] == "17,5 %" and august["this_text"] == "–"
    # the forecast's joined July point is not written as a forecast: the table has none for July
    assert rows_of(spec, "Prognose")[6]["forecast_text"] == "–"
    points = layers_of(spec, "point")[0]
    titles = [t["title"] for t in points["encoding"]["tooltip"]]
    assert titles == ["Måned", "I år", "Sidste år", "Prognose", "Mål"]
    assert all(t["type"] == "nominal" for t in points["encoding"]["tooltip"])  # no re-formatting


def test_the_default_texts_round_half_up_as_the_tables_do() -> None:
    spec = charts.breakdown_spec(
        rows=[{"name": "A", "value": 5.0, "target": 12.25, "status": "red"}],
        value_label="Andel",
        description="Fordeling",
        value_suffix=" %",
    )
    row = spec["data"]["values"][0]
    assert (row["text"], row["target_text"]) == ("5 %", "12,3 %")  # whole: no decimals, as counts
    assert charts.default_text(1234.5) == "1.234,5" and charts.default_text(None) == "–"


@pytest.mark.parametrize("target", [25.0, 2.0, 15.0])
def test_the_target_lies_inside_the_value_axis(target: float) -> None:
    spec = trend(target=target)
    rule = layers_of(spec, "rule")[0]
    low, high = rule["encoding"]["y"]["scale"]["domain"]
    span = high - low
    assert low + 0.05 * span < target < high - 0.05 * span
    # every layer on the value axis shares the same reach
    domains = {json.dumps(layer["encoding"]["y"]["scale"]) for layer in spec["layer"] if "y" in layer["encoding"]}
    assert len(domains) == 1


def test_padded_domain_reaches_past_values_and_target_and_stays_above_zero() -> None:
    assert charts.padded_domain([10, 20], 30) == [8.0, 32.0]
    assert charts.padded_domain([0, 20], None) == [0.0, 22.0]  # nothing negative: never below zero
    assert charts.padded_domain([-5, 5], None) == [-6.0, 6.0]
    assert charts.padded_domain([None], None) is None
    assert charts.padded_domain([7], 7) == [6.3, 7.7]


def test_bars_have_the_target_inside_and_named_in_the_legend() -> None:
    spec = charts.ranked_bars_spec(
        rows=[{"name": "Os", "value": 2, "is_self": True, "href": "/enhed/os/"}, {"name": "Nabo", "value": 3}],
        value_label="Antal",
        description="Sammenligning",
        target=10,
        target_label="Gruppen",
        self_label="Os",
        peers_label="Naboerne",
    )
    bars = layers_of(spec, "bar")[0]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Os", "Naboerne"]  # both groups in the legend
    rule = layers_of(spec, "rule")[0]
    low, high = rule["encoding"]["x"]["scale"]["domain"]
    assert low < 10 < high
    dash = rule["encoding"]["strokeDash"]
    assert dash["scale"] == {"domain": ["Gruppen"], "range": [[4, 2]]} and dash["legend"]
    assert [d.get("href") for d in spec["data"]["values"]] == [None, "/enhed/os/"]
    label = [layer for layer in layers_of(spec, "text") if layer["encoding"]["text"]["field"] == "target_label"]
    assert label and label[0]["data"]["values"][0]["target_label"] == "Gruppen"


def test_breakdown_target_tick_has_a_legend_entry_and_no_link_without_hrefs() -> None:
    spec = charts.breakdown_spec(
        rows=[{"name": "A", "value": 5, "target": 30, "status": "red"}], value_label="Antal", description="Fordeling"
    )
    tick = layers_of(spec, "tick")[0]
    assert tick["encoding"]["strokeDash"]["scale"]["domain"] == ["Mål"]
    low, high = tick["encoding"]["x"]["scale"]["domain"]
    assert low <= 5 and high > 30
    assert "href" not in layers_of(spec, "bar")[0]["encoding"]


def interactive_keys(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [k for k in node if k in ("tooltip", "href")]
        return own + [k for v in node.values() for k in interactive_keys(v)]
    if isinstance(node, list):
        return [k for v in node for k in interactive_keys(v)]
    return []


def test_the_static_variant_has_neither_tooltip_nor_link_and_draws_the_same_chart() -> None:
    spec = charts.breakdown_spec(
        rows=[{"name": "A", "value": 5, "target": 30, "status": "red", "href": "/indikator/x/A/"}],
        value_label="Antal",
        description="Fordeling",
    )
    assert set(interactive_keys(spec)) == {"tooltip", "href"}
    static = charts.static_spec(spec)
    assert interactive_keys(static) == []
    same = [{k: v for k, v in row.items() if k != "href"} for row in spec["data"]["values"]]
    assert static["data"]["values"] == same and len(static["layer"]) == len(spec["layer"])
    assert_valid(static)
    assert interactive_keys(spec), "the page's spec is left as it was"

    import vl_convert

    assert "<a " in vl_convert.vegalite_to_svg(spec)  # what the PDF would get without the variant
    assert "<a " not in vl_convert.vegalite_to_svg(static)
