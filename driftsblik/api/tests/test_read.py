"""The read endpoints see what the pages show the same person: the same units (a unit outside the
view is a 404), the same figures, the same hidden small numbers."""

from __future__ import annotations

import pytest

from driftsblik.api.tests.helpers import get, token_for
from driftsblik.core.periods import Month, Period
from driftsblik.indicators import pages, selectors
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import visible_units
from driftsblik.web.tests.helpers import LATEST, build_municipality, people, set_observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    units = build_municipality()
    return {"units": units, **people()}


def test_units_are_exactly_the_persons_view(client, town):
    for who in ("kd", "director", "sector", "institution", "analyst", "nobody"):
        user = town[who]
        body = get(client, token_for(user, name=who), "/api/v1/units").json()
        assert {u["id"] for u in body} == set(visible_units(user)), who
        assert all(u["relation"] == visible_units(user)[u["id"]].relation for u in body)


def test_a_unit_outside_the_view_is_a_404_everywhere(client, town):
    token = token_for(town["institution"])  # leads S1I1: does not see A2 or S3
    assert "A2" not in visible_units(town["institution"])
    for url in (
        "/api/v1/units/A2",
        "/api/v1/figures/visits/A2",
        "/api/v1/figures/visits/A2/series",
        "/api/v1/figures/visits/A2/breakdown",
        "/api/v1/targets?year=2025&unit_id=A2",
        "/api/v1/table?unit=A2",
    ):
        response = get(client, token, url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
    # and a unit that does not exist answers the same
    assert get(client, token, "/api/v1/units/NOPE").status_code == 404


def test_a_unit_in_view_has_its_history(client, town):
    body = get(client, token_for(town["director"]), "/api/v1/units/S1").json()
    assert body["parent_id"] == "A1" and body["relation"] == "below"
    assert body["history"][0]["valid_from"] == "2020-01-01"


def test_the_catalogue(client, town):
    body = get(client, token_for(town["sector"]), "/api/v1/indicators").json()
    assert [i["code"] for i in body] == ["visits", "in_job", "clients"]
    assert get(client, token_for(town["sector"], name="2"), "/api/v1/indicators/nope").status_code == 404


def test_a_figure_is_the_rolled_up_figure_of_the_pages(client, town):
    user = town["director"]
    body = get(client, token_for(user), "/api/v1/figures/in_job/A1?period=2025Q1").json()
    viewer = Viewer.of(user)
    ind = pages.indicator_or_404("in_job")
    expected = selectors.figures(user, [ind], ["A1"], Period.parse("2025Q1"), trees=viewer.trees)[("in_job", "A1")]
    assert body["value"] == pytest.approx(float(expected.value))
    assert body["numerator"] == float(expected.numerator) and body["denominator"] == float(expected.denominator)
    assert body["target"] == 55 and body["status"] == expected.status
    assert body["period"] == "2025Q1"


@pytest.mark.parametrize("period", ["2025", "2025Q1", "2025-02"])
def test_a_figure_carries_the_same_like_with_like_target_as_observations_show(client, town, period):
    # visits is a flow counted against a yearly target: 2025 has three months with data, so its
    # target is those months' part of the year's, spread by 2024's months
    import io
    import json

    from django.core.management import call_command

    user = town["director"]
    body = get(client, token_for(user), f"/api/v1/figures/visits/A1?period={period}").json()
    out = io.StringIO()
    call_command(
        "observations",
        "show",
        "--indicator",
        "visits",
        "--unit",
        "A1",
        "--period",
        period,
        "--as",
        user.email,
        "--json",
        stdout=out,
    )
    cli = json.loads(out.getvalue())
    fields = ("value", "target", "year_target", "months", "target_method", "status")
    assert {k: body[k] for k in fields} == {k: cli[k] for k in fields}
    assert body["target_method"] == "seasonal" and body["year_target"] == 1000
    assert body["months"] == {"2025": 3, "2025Q1": 3, "2025-02": 1}[period]
    assert body["target"] < body["year_target"]


def test_small_numbers_are_hidden_from_leaders_not_from_analysts(client, town):
    team = "S1I1T1"
    set_observation("in_job", team, LATEST, 3, 40)
    leader_body = get(client, token_for(town["institution"]), f"/api/v1/figures/in_job/{team}").json()
    assert leader_body["suppressed"] == "small" and leader_body["shown_as"] == "<5"
    assert leader_body["value"] is None and leader_body["numerator"] is None and leader_body["status"] is None
    analyst_body = get(client, token_for(town["analyst"]), f"/api/v1/figures/in_job/{team}").json()
    assert analyst_body["suppressed"] is None and analyst_body["numerator"] == 3
    series = get(client, token_for(town["institution"], name="s"), f"/api/v1/figures/in_job/{team}/series").json()
    last = series["points"][-1]
    assert last == {"period": str(LATEST), "value": None, "suppressed": True}


def test_the_breakdown_is_the_indicator_pages_with_secondary_suppression(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 3, 40)  # one small child: a second one is hidden ('x')
    user = town["institution"]
    body = get(client, token_for(user), f"/api/v1/figures/in_job/S1I1/breakdown?period={LATEST}").json()
    bd = pages.breakdown(Viewer.of(user), pages.indicator_or_404("in_job"), "S1I1", Period.month(LATEST))
    assert [(c["unit_id"], c["suppressed"], c["value"]) for c in body["children"]] == [
        (f.unit_id, f.suppressed, None if f.value is None else float(f.value)) for _u, _n, f in bd.rows
    ]
    assert {c["shown_as"] for c in body["children"]} == {"<5", "x"}


def test_series_defaults_to_the_budget_year_and_has_a_forecast(client, town):
    body = get(client, token_for(town["kd"]), "/api/v1/figures/visits/K/series").json()
    assert [p["period"] for p in body["points"]] == [str(Month(2025, m)) for m in (1, 2, 3)]
    assert body["forecast"] is not None and body["forecast_method"]


def test_targets_of_the_units_in_view(client, town):
    body = get(client, token_for(town["institution"]), "/api/v1/targets?year=2025&indicator=visits").json()
    assert {t["unit_id"] for t in body} == set(visible_units(town["institution"]))
    assert all(t["target"] == 1000 for t in body)


def test_a_bad_period_is_a_400_problem(client, town):
    response = get(client, token_for(town["kd"]), "/api/v1/figures/visits/K?period=march")
    assert response.status_code == 400 and response.json()["status"] == 400


def test_figures_send_an_etag_and_answer_304_while_unchanged(client, town):
    token = token_for(town["kd"])
    first = get(client, token, "/api/v1/figures/visits/K")
    etag = first["ETag"]
    assert get(client, token, "/api/v1/figures/visits/K", HTTP_IF_NONE_MATCH=etag).status_code == 304
    set_observation("visits", "S1I1T1", LATEST, 5000)
    assert get(client, token, "/api/v1/figures/visits/K", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_unknown_endpoint_and_a_nul_in_the_address_are_problems_too(client, town):
    token = token_for(town["kd"])
    for url in ("/api/v1/nothing-here", "/api/v1/figures/visits/K?period=%00"):
        response = get(client, token, url)
        assert response["Content-Type"] == "application/problem+json", url
        assert response.status_code in (400, 404)
    assert "text/html" in client.get("/nothing-here/")["Content-Type"]  # the site's own page elsewhere


@pytest.mark.parametrize("year", ["-340508188847246737408", "99999999999999999999", "1900", "3000"])
def test_a_year_no_month_can_have_is_a_400_not_a_database_error(client, town, year):
    response = client.get(f"/api/v1/targets?year={year}", HTTP_AUTHORIZATION=f"Bearer {token_for(town['institution'])}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
