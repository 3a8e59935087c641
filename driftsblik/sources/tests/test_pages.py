"""The comparison on the municipality's indicator page, and the directorate's comparison pages."""

from __future__ import annotations

import pytest

from driftsblik.core.periods import Month
from driftsblik.indicators.tests.helpers import indicator, observe, person, unit
from driftsblik.sources.models import PeerGroup
from driftsblik.sources.tests.test_selectors import MARCH, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(settings):
    settings.MUNICIPALITY_CODE = "860"
    unit("K", kind="root", name="Hjørring Kommune")
    unit("A", "K", kind="area")
    unit("S", "A", kind="sector")
    unit("I", "S", kind="institution")
    PeerGroup.objects.create(municipality="860", name="Nordjyske landkommuner", codes="810, 813, 849")
    rate = indicator("kth", measure="rate_per_1000", temporal="stock", direction="lower")
    observe(rate, "I", "2025-03", 30, 1000)
    store(rate, {"860": (30, 1000), "810": (10, 100), "813": (50, 10000), "849": None, "000": (6, 360)})
    return {"rate": rate, "analyst": person("a@example.dk", analyst=True), "far": person("i@example.dk", leads="I")}


def test_the_root_units_indicator_page_says_how_we_compare(client, town):
    client.force_login(town["analyst"])
    html = client.get(f"/indikator/kth/K/?periode={MARCH}").content.decode()
    assert "Sammenlignet med lignende kommuner" in html
    assert 'data-comparison="rank">2 af 3' in html
    assert "1 kommune er ikke med" in html  # Jammerbugt's figure was withheld
    assert "/sammenlign/kth/" in html
    below = client.get(f"/indikator/kth/I/?periode={MARCH}").content.decode()
    assert "Sammenlignet med lignende kommuner" not in below  # municipalities are compared, not units


def test_the_directorate_page_lists_every_comparable_indicator(client, town):
    client.force_login(town["analyst"])
    response = client.get("/sammenlign/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hvordan ligger vi?" in html and 'href="/sammenlign/kth/?periode=2025-03"' in html
    assert "2 af 3" in html


def test_one_indicator_ranks_every_member_and_marks_withheld_figures(client, town):
    client.force_login(town["analyst"])
    html = client.get("/sammenlign/kth/").content.decode()
    assert "diskretioneret af kilden" in html  # Jammerbugt
    assert "Frederikshavn" in html and "Brønderslev" in html and "Hele landet" in html
    assert 'id="comparison-chart"' in html
    assert html.index("Frederikshavn") < html.index("<strong>Hjørring</strong>") < html.index("Brønderslev")


def test_someone_who_does_not_see_the_municipality_gets_404(client, town):
    client.force_login(town["far"])
    assert client.get("/sammenlign/").status_code == 404
    assert client.get("/sammenlign/kth/").status_code == 404
    client.force_login(town["analyst"])
    assert client.get("/sammenlign/nope/").status_code == 404
    bad = client.get("/sammenlign/kth/?periode=2025-13")
    assert bad.status_code == 200 and "Perioden “2025-13” findes ikke" in bad.content.decode()
    overview = client.get("/sammenlign/?periode=abc")
    assert overview.status_code == 200 and "Perioden “abc” findes ikke: siden viser de seneste tal i stedet" in (
        overview.content.decode()
    )
    assert client.get(f"/sammenlign/kth/?periode={Month(2020, 1)}").status_code == 404
