"""A committee report as slides: the report's figures in its order, one a slide, under the report's
access rule (a draft for its writers, whole or their own part; an issued report for its readers)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from driftsblik.core.periods import Period
from driftsblik.reports.services import report_issue

Q1 = Period.parse("2025Q1")
SLIDES = "/rapporter/AUU/2025Q1/status/praesentation/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def deck(client: Client, url: str) -> list[tuple[str, str]]:
    """(heading, place) of every slide, following the 'next' links from `url`."""
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        heading = re.search(r"<h1>([^<]+)</h1>", html).group(1)
        place = re.search(r'<p class="presentation-place">([^<]+)</p>', html).group(1)
        seen.append((heading, place.split(" · ")[0]))
        following = re.search(r'rel="next" href="([^"]+)"', html)
        url = following.group(1) if following else None
    return seen


@pytest.mark.django_db
def test_the_draft_s_slides_follow_the_report_s_order(town):
    client = client_for(town["kd"])
    assert deck(client, SLIDES + "1/") == [
        ("Besøg", "Sektor S1"),
        ("Andel i job", "Sektor S1"),
        ("Borgere i forløb", "Sektor S2"),
    ]
    html = client.get(SLIDES + "1/").content.decode()
    assert 'data-chart="slide-chart"' in html and 'class="status status-' in html
    assert re.search(r'<p class="presentation-value" data-figure>[^<]+</p>', html)
    assert 'href="/rapporter/AUU/2025Q1/status/"' in html  # the way back to the report
    assert "Slide 1 of 3" in html or "Dias 1 af 3" in html
    # the report page links to its slides
    assert (
        'href="/rapporter/AUU/2025Q1/status/praesentation/1/"'
        in client.get("/rapporter/AUU/2025Q1/status/").content.decode()
    )


@pytest.mark.django_db
def test_the_report_s_access_rule_holds_for_its_slides(town):
    # the leader of S2 writes only their own part: only its figures are slides
    assert deck(client_for(town["sector2"]), SLIDES + "1/") == [("Borgere i forløb", "Sektor S2")]
    for who in ("institution", "nobody", "politician", "analyst"):
        assert client_for(town[who]).get(SLIDES + "1/").status_code == 404, who
    kd = client_for(town["kd"])
    for url in (SLIDES + "0/", SLIDES + "4/", "/rapporter/XXX/2025Q1/status/praesentation/1/"):
        assert kd.get(url).status_code == 404, url


@pytest.mark.django_db
def test_an_issued_report_s_slides_are_its_frozen_figures_for_its_readers(town):
    issued = report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    url = reverse("reports:issued_slide", args=[issued.pk, 1])
    politician = client_for(town["politician"])
    assert [h for h, _ in deck(politician, url)] == ["Besøg", "Andel i job", "Borgere i forløb"]
    assert url in politician.get(reverse("reports:issued", args=[issued.pk])).content.decode()
    for who in ("institution", "nobody"):
        assert client_for(town[who]).get(url).status_code == 404, who


@pytest.mark.django_db
def test_a_report_without_figures_offers_no_presentation(town):
    from driftsblik.indicators.models import Indicator

    # the report shows the key and the result indicators, others only when neither has figures: none left
    Indicator.objects.update(key=False, kind="result")
    from driftsblik.indicators.models import Observation

    Observation.objects.all().delete()
    client = client_for(town["kd"])
    page = client.get("/rapporter/AUU/2025Q1/status/").content.decode()
    assert "/praesentation/" not in page
    assert client.get(SLIDES + "1/").status_code == 404
