"""The flat table: the heat table's and scorecard's figures for the person, month by month, paged
with cursors, in JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from driftsblik.api.schemas import TablePage
from driftsblik.api.tests.helpers import get, token_for
from driftsblik.core.periods import Month, Period
from driftsblik.indicators import pages
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import visible_units
from driftsblik.web.tests.helpers import LATEST, build_municipality, people, set_observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    units = build_municipality()
    return {"units": units, **people()}


def _key(row):
    return (row["indicator"], row["unit_id"], row["period"])


def test_the_table_holds_what_the_heat_table_shows(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 3, 40)
    user = town["sector"]
    body = get(client, token_for(user), f"/api/v1/table?start={LATEST}&end={LATEST}").json()
    TablePage.model_validate(body)  # written without ninja's output validation: held to the schema here
    rows = {(r["indicator"], r["unit_id"]): r for r in body["rows"]}
    viewer = Viewer.of(user)
    heat = pages.heat_table(viewer, "S1", Period.month(LATEST), pages.key_indicators(), levels=2)
    for heat_row in heat.rows:
        for figure in heat_row.figures:
            row = rows[(figure.indicator.code, heat_row.unit_id)]
            assert row["suppressed"] == figure.suppressed
            assert row["value"] == (None if figure.value is None else pytest.approx(float(figure.value)))
            assert row["status"] == figure.shown_status
    assert rows[("in_job", "S1I1T1")]["shown_as"] == "<5"
    assert "x" in {r["shown_as"] for r in body["rows"]}
    # only units in the view, the asked one at level 0
    assert {r["unit_id"] for r in body["rows"]} <= set(visible_units(user))
    assert rows[("visits", "S1")]["level"] == 0


def test_an_analyst_sees_the_table_unsuppressed(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 3, 40)
    body = get(client, token_for(town["analyst"]), f"/api/v1/table?unit=S1&start={LATEST}&end={LATEST}").json()
    assert all(r["suppressed"] is None for r in body["rows"])


def test_a_budget_year_for_a_directors_area(client, town):
    body = get(client, token_for(town["director"]), "/api/v1/table?year=2024&indicator=visits").json()
    months = {r["period"] for r in body["rows"]}
    assert months == {str(Month(2024, m)) for m in range(1, 13)}
    units = {r["unit_id"] for r in body["rows"]}
    assert "A1" in units and "A2" not in units and "S1I1" in units and "S1I1T1" not in units  # two levels down
    assert body["next_cursor"] is None


def test_pages_follow_each_other_by_cursor_without_gaps_or_repeats(client, town):
    token = token_for(town["director"])
    whole = get(client, token, "/api/v1/table?year=2024").json()["rows"]
    got, url = [], "/api/v1/table?year=2024&limit=100"
    while url:
        body = get(client, token, url).json()
        got.extend(body["rows"])
        url = body["next"]
    assert [_key(r) for r in got] == [_key(r) for r in whole]
    assert len(got) > 100


def test_csv_for_excel_and_power_bi(client, town):
    token = token_for(town["director"])
    response = get(client, token, "/api/v1/table?year=2024&format=csv&limit=10")
    assert response["Content-Type"].startswith("text/csv")
    assert 'rel="next"' in response["Link"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 10
    assert rows[0].keys() >= {"indicator", "unit_id", "period", "value", "target", "status", "shown_as"}


def test_a_bad_cursor_or_format_is_a_400(client, town):
    token = token_for(town["director"])
    assert get(client, token, "/api/v1/table?cursor=nonsense").status_code == 400
    assert get(client, token, "/api/v1/table?format=xml").status_code == 400


def _queries(client, token, url):
    with CaptureQueriesContext(connection) as captured:
        response = get(client, token, url)
    assert response.status_code == 200
    assert response.json()["rows"]
    return len(captured.captured_queries)


def test_a_page_asks_the_database_as_often_for_two_years_as_for_one_month(client, town):
    token = token_for(town["director"])
    get(client, token, "/api/v1/table?start=2024-01&end=2024-01")  # the token's first use writes once more
    one_month = _queries(client, token, "/api/v1/table?start=2024-03&end=2024-03")
    two_years = _queries(client, token, "/api/v1/table?start=2024-01&end=2025-12")
    # observations, targets and the suppression pattern read once for every month and unit asked
    assert two_years == one_month


def test_months_read_together_are_the_months_read_one_by_one(client, town):
    set_observation("in_job", "S1I1T1", Month(2025, 1), 3, 40)
    token = token_for(town["sector"])
    together = get(client, token, "/api/v1/table?start=2024-11&end=2025-02").json()["rows"]
    apart = [
        row
        for month in ("2024-11", "2024-12", "2025-01", "2025-02")
        for row in get(client, token, f"/api/v1/table?start={month}&end={month}").json()["rows"]
    ]
    assert together == sorted(apart, key=_key)
    targets = {(r["indicator"], r["period"][:4]): r["target"] for r in together if r["unit_id"] == "S1"}
    assert targets[("visits", "2024")] and targets[("visits", "2025")]  # each month has its own year's target
    assert {r["shown_as"] for r in together} >= {"<5", "x"}
