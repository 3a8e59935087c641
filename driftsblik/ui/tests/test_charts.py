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
