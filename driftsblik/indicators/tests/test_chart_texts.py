"""The charts of the indicator, unit and overview pages say exactly what their tables say.

A tooltip or a bar's label is the table's text ('50,0 %', never '50 %'), a bar opens the unit the
table's row links to, and the target line lies inside the value axis.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from typing import Any

import pytest

from driftsblik.web.tests.helpers import LATEST, build_municipality, people, set_observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    units = build_municipality()
    return {"units": units, **people()}


def page(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def spec_of(html: str, chart_id: str) -> dict[str, Any]:
    found = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, flags=re.S)
    assert found, chart_id
    spec: dict[str, Any] = json.loads(found.group(1))
    return spec


def cells(row: str) -> list[str]:
    """The texts of a table row's cells, tags stripped."""
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in found]


def table_rows(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert table, table_id
    body = table.group(0).split("<tbody>")[1]
    return re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.S)


def tooltip_fields(layer: dict[str, Any]) -> list[str]:
    return [t["field"] for t in layer["encoding"].get("tooltip", [])]


def test_breakdown_bars_carry_the_tables_texts_and_open_the_unit(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 20, 40)  # 50,0 %: the table keeps the decimal
    set_observation("in_job", "S1I1T2", LATEST, 21, 40)  # 52,5 %
    html = page(client, town["sector"], f"/indikator/in_job/S1I1/?periode={LATEST}")
    spec = spec_of(html, "breakdown-chart")
    rows: dict[str, dict[str, str]] = {}
    for tr in table_rows(html, "breakdown-table")[1:]:  # the first row is the unit itself
        unit = re.findall(r'data-unit="([^"]+)"', tr)[0]
        href = html_lib.unescape(re.findall(r'href="([^"]+)"', tr)[0])
        name, _num, _den, value, target, _status = cells(tr)
        rows[name] = {"href": href, "value": value, "target": target, "unit": unit}
    data = {d["name"]: d for d in spec["data"]["values"]}
    assert set(data) == set(rows) == {"Team S1I1T1", "Team S1I1T2"}
    assert rows["Team S1I1T1"]["value"] == "50,0 %"
    for name, row in rows.items():
        assert data[name]["text"] == row["value"]
        assert data[name]["target_text"] == row["target"] == "55,0 %"
        assert data[name]["href"] == row["href"] == f"/indikator/in_job/{row['unit']}/?periode={LATEST}"
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    assert tooltip_fields(bars) == ["name", "text", "target_text", "status"]
    assert bars["encoding"]["href"]["field"] == "href"
    # the bars' labels are the same texts, not a number the renderer formats again
    labels = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert labels and all(layer["encoding"]["text"]["field"] == "text" for layer in labels)
    low, high = bars["encoding"]["x"]["scale"]["domain"]
    assert low < 55 < high


def test_trend_points_carry_the_month_tables_texts_and_the_target_lies_inside(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 20, 40)
    set_observation("in_job", "S1I1T2", LATEST, 20, 40)  # March: 40 / 80 = 50,0 %
    html = page(client, town["sector"], f"/indikator/in_job/S1I1/?periode={LATEST}")
    spec = spec_of(html, "trend-chart")
    by_label: dict[str, dict[str, Any]] = {}
    for row in spec["data"]["values"]:
        by_label.setdefault(row["month"], row)
    table = [cells(row) for row in table_rows(html, "months-table")]
    assert len(table) == 12
    march = next(r for r in table if r[0] == "marts 2025")
    assert march[1] == "50,0 %"
    for month_text, this, last, target, forecast in table:
        month = next(m for m in by_label if month_text.endswith(m[:4]) and _month_name(m) in month_text)
        row = by_label[month]
        assert (row["this_text"], row["last_text"], row["target_text"]) == (this, last, target), month_text
        if "forecast_text" in row and forecast != "–":
            assert row["forecast_text"] == forecast
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert tooltip_fields(points)[:3] == ["label", "this_text", "last_text"]
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    target = rule["data"]["values"][0]["target"]
    low, high = rule["encoding"]["y"]["scale"]["domain"]
    assert low < target < high
    # the target is an entry of the lines' legend, beside this year, last year and the forecast
    lines = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert rule["encoding"]["color"]["datum"] in lines["encoding"]["color"]["scale"]["domain"]


def test_a_target_spread_by_last_years_months_is_drawn_month_by_month_as_the_table_gives_it(client, town):
    # visits is a flow with a yearly target of 1000 at every team; 2024's months differ, so 2025's
    # target is spread by them and differs month by month: a stepped line, not one rule
    html = page(client, town["sector"], f"/indikator/visits/S1I1T1/?periode={LATEST}")
    spec = spec_of(html, "trend-chart")
    assert "rule" not in [layer["mark"]["type"] for layer in spec["layer"]]
    steps = next(layer for layer in spec["layer"] if layer["mark"].get("interpolate") == "step")
    values = [row["target"] for row in steps["data"]["values"]]
    assert len(values) == 12 and len(set(values)) > 1 and sum(values) == pytest.approx(1000)
    targets = [cells(row)[3] for row in table_rows(html, "months-table")]
    tooltip = {row["label"]: row["target_text"] for row in spec["data"]["values"] if row["series"] == "2025"}
    assert list(tooltip.values()) == targets
    lines = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line" and "data" not in layer)
    assert steps["encoding"]["color"]["datum"] in lines["encoding"]["color"]["scale"]["domain"]


def _month_name(month: str) -> str:
    from driftsblik.core.periods import MONTH_NAMES_DA

    return MONTH_NAMES_DA[int(month[5:]) - 1]


def test_peer_bars_carry_the_peer_tables_texts_and_open_the_unit(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 20, 40)
    html = page(client, town["institution"], f"/?periode={LATEST}")  # "Ved siden af": S1I1 beside S1I2
    specs = {c: spec_of(html, c) for c in re.findall(r'data-chart="(peers-\d+)"', html)}
    assert specs, "no peer charts on the overview"
    header = re.search(r'<table[^>]*id="peers-table".*?<thead>(.*?)</thead>', html, flags=re.S).group(1)
    names = cells(header)[1:]
    for spec in specs.values():
        column = names.index(next(n for n in names if n in spec["description"]))
        data = {d["name"]: d for d in spec["data"]["values"]}
        for row in table_rows(html, "peers-table"):
            texts = cells(row)
            link = re.findall(r'href="(/indikator/[^"]+)"', row)[column]
            assert data[texts[0]]["text"] == texts[1 + column]
            assert data[texts[0]]["href"] == html_lib.unescape(link)
        bars = spec["layer"][0]
        assert tooltip_fields(bars) == ["name", "text"] and bars["encoding"]["href"]["field"] == "href"
        rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
        assert rules, "the own unit's target is a line"
        target = rules[0]["data"]["values"][0]
        assert target["target_label"] == "Mål" and re.fullmatch(r"\d[\d.]*(,\d)?( %)?", target["target_text"])
        low, high = rules[0]["encoding"]["x"]["scale"]["domain"]
        assert low < target["target"] < high
        # the dashed line has its name in the legend and written on the chart
        assert rules[0]["encoding"]["strokeDash"]["legend"] is not None
        assert any(
            layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == "target_label"
            for layer in spec["layer"]
        )
