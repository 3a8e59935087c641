"""Keep the place: a leader lands on their own unit, and the unit and period chosen follow them from
page to page (query string first, then the session)."""

from __future__ import annotations

import pytest
from django.test import Client

from driftsblik.core.periods import Month
from driftsblik.organisation.models import DIRECTORATE_GROUP
from driftsblik.web.tests.helpers import build_municipality, leader, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    build_municipality()
    who = people()
    # a director in the directorate: sees as the municipality's leader, but leads area A1
    who["area_director"] = leader("dir@example.dk", "A1", "Dina Direktør", groups=(DIRECTORATE_GROUP,))
    return who


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_director_in_the_directorate_lands_on_their_own_area(town):
    client = client_of(town["area_director"])
    overview = client.get("/")
    assert overview.context["unit_id"] == "A1"
    assert [u for u, _name in overview.context["homes"]] == ["K", "A1"]  # the municipality stays a choice
    assert client.get("/budget/").context["unit_id"] == "A1"
    # the kommunaldirektør leads the root, a sector head their sector
    assert client_of(town["kd"]).get("/").context["unit_id"] == "K"
    assert client_of(town["sector"]).get("/budget/").context["unit_id"] == "S1"


def test_the_session_carries_unit_and_period_to_the_next_page(town):
    client = client_of(town["area_director"])
    first = client.get("/", {"enhed": "K", "periode": "2024Q4"})
    assert first.context["unit_id"] == "K" and str(first.context["period"]) == "2024Q4"
    # the next pages, without a query string, open at the same place
    again = client.get("/")
    assert again.context["unit_id"] == "K" and str(again.context["period"]) == "2024Q4"
    budget = client.get("/budget/")
    assert budget.context["unit_id"] == "K"
    assert budget.context["through"] == Month(2024, 12)  # the quarter's last month
    assert str(client.get("/enhed/S1/").context["period"]) == "2024Q4"
    assert str(client.get("/indikator/visits/S1/").context["period"]) == "2024Q4"
    assert str(client.get("/indsatser/").context["period"]) == "2024Q4"
    # another person's session is their own
    assert str(client_of(town["kd"]).get("/").context["period"]) == "2025-03"


def test_the_query_string_wins_over_the_session(town):
    client = client_of(town["area_director"])
    client.get("/", {"enhed": "K", "periode": "2024Q4"})
    page = client.get("/", {"enhed": "A1", "periode": "2025-01"})
    assert page.context["unit_id"] == "A1" and str(page.context["period"]) == "2025-01"
    # and becomes the kept place
    later = client.get("/budget/")
    assert later.context["unit_id"] == "A1" and later.context["through"] == Month(2025, 1)


def test_a_period_that_does_not_exist_is_not_kept(town):
    client = client_of(town["sector"])
    client.get("/", {"periode": "2024-06"})
    bad = client.get("/", {"periode": "2025-13"})
    assert bad.status_code == 200 and bad.context["period_notice"]
    assert str(client.get("/").context["period"]) == "2024-06"


def test_a_kept_unit_the_page_cannot_show_falls_back_to_the_persons_own(town):
    client = client_of(town["sector"])
    assert client.get("/enhed/S1I1/").status_code == 200  # kept: a unit below the sector
    overview = client.get("/")  # the overview shows only the person's own units
    assert overview.status_code == 200 and overview.context["unit_id"] == "S1"
    # the unit page itself is a 404 outside the view, and keeps nothing
    assert client.get("/enhed/S3/").status_code == 404
    assert client.get("/budget/").context["unit_id"] == "S1"


@pytest.mark.parametrize(
    "url",
    [
        "/eksport/scorecard/S1/?periode=2025-13",
        "/eksport/months/S1/?periode=abc&indikator=visits",
        "/budget/eksport/S1/?periode=2025-13",
    ],
)
def test_a_download_for_a_period_that_does_not_exist_is_a_danish_400_in_the_layout(town, url):
    response = client_of(town["sector"]).get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ugyldig forespørgsel" in html and "periode" in html  # says what is wrong, in Danish
    assert 'class="driftsblik-nav' in html  # with the menu, so there is a way on


def test_a_page_opened_at_the_kept_place_names_it_for_its_address(town):
    client = client_of(town["area_director"])
    chosen = client.get("/", {"enhed": "K", "periode": "2024Q4"}).content.decode()
    assert "driftsblik-place-url" not in chosen  # its address already says where it is
    unit = client.get("/enhed/S1/").content.decode()
    assert '<meta name="driftsblik-place-url" content="/enhed/S1/?periode=2024Q4">' in unit
    overview = client.get("/").content.decode()
    assert '<meta name="driftsblik-place-url" content="/?periode=2024Q4&amp;enhed=K">' in overview
    # the address written in reproduces the page, for anyone who may see it
    again = client_of(town["kd"]).get("/", {"periode": "2024Q4", "enhed": "K"})
    assert again.context["unit_id"] == "K" and str(again.context["period"]) == "2024Q4"
    assert 'src="/static/web/place.js"' in unit or "web/place.js" in unit
