"""The presentation view of the indicator pages: a slide per indicator of the committee, at one unit
and period, with the figure, status, chart and sentence; previous/next links; 404 outside the view."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Committee, TaskArea
from driftsblik.organisation.tests.factories import make_committee
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    build_municipality()
    committee = Committee.objects.get(code="AU")
    # a task area that sorts before ARB, and another committee's indicator that is not in the deck
    first_area = TaskArea.objects.create(code="AAA", name="Administration", committee=committee)
    Indicator.objects.create(
        code="cases",
        name="Sager",
        kind="activity",
        measure="count",
        temporal="flow",
        direction="lower",
        task_area=first_area,
        sort_order=9,
    )
    make_committee("SU", "Socialudvalget", task_areas={"SOC": ("Social", ["S3"])})
    Indicator.objects.create(
        code="beds",
        name="Pladser",
        kind="activity",
        measure="count",
        temporal="stock",
        direction="higher",
        task_area=TaskArea.objects.get(code="SOC"),
    )
    return people()


def slide(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_slide_shows_the_figure_target_status_chart_and_sentence(town):
    status, html = slide(logged_in(town["sector"]), "/praesentation/visits/S1/?periode=2025-03")
    assert status == 200
    assert "<h1>Besøg</h1>" in html
    assert "Sektor S1 · marts 2025" in html
    value = re.search(r'<p class="presentation-value" data-figure>([^<]+)</p>', html)
    assert value and re.fullmatch(r"[\d.]+", value.group(1))  # a count in Danish format: 1.234
    assert 'class="status status-' in html and 'class="status-word"' in html  # icon and word
    assert 'data-chart="slide-chart"' in html and 'id="slide-chart"' in html
    assert "presentation-sentence" in html and "Besøg" in html.split('class="presentation-sentence"')[1][:200]
    assert 'src="/static/web/presentation.js"' in html or "web/presentation.js" in html
    assert "<script>" not in html  # no inline script (CSP)
    # the way back to the indicator page, at the same unit and period
    assert 'href="/indikator/visits/S1/?periode=2025-03"' in html


def test_the_slides_follow_the_committee_s_task_areas_and_indicators_in_order(town):
    client = logged_in(town["sector"])
    order = []
    url = "/praesentation/cases/S1/?periode=2025-03"
    while url:
        status, html = slide(client, url)
        assert status == 200
        order.append(re.search(r"<h1>([^<]+)</h1>", html).group(1))
        following = re.search(r'<a class="button button-primary" rel="next" href="([^"]+)"', html)
        url = following.group(1).replace("&amp;", "&") if following else None
    # the task areas by code (AAA before ARB), then the indicators' own order; not the other committee's
    assert order == ["Sager", "Besøg", "Andel i job", "Borgere i forløb"]
    _, last = slide(client, "/praesentation/clients/S1/?periode=2025-03")
    assert "Slide 4 of 4" in last or "Dias 4 af 4" in last
    assert 'rel="prev" href="/praesentation/in_job/S1/?periode=2025-03"' in last
    assert 'rel="next"' not in last
    _, first = slide(client, "/praesentation/cases/S1/?periode=2025-03")
    assert 'rel="prev"' not in first
    # every slide keeps the unit and the period
    assert 'href="/praesentation/visits/S1/?periode=2025-03"' in first


def test_a_slide_outside_the_view_is_a_404(town):
    client = logged_in(town["institution"])  # leads S1I1
    assert slide(client, "/praesentation/visits/S1I1/")[0] == 200
    for url in ("/praesentation/visits/S3/", "/praesentation/visits/S2I1/", "/praesentation/visits/NOPE/"):
        assert slide(client, url)[0] == 404
    assert slide(client, "/praesentation/no-such-indicator/S1I1/")[0] == 404
    assert logged_in(town["nobody"]).get("/praesentation/visits/S1/").status_code == 404
    assert Client().get("/praesentation/visits/S1/").status_code == 302  # to the login


def test_a_bad_period_is_a_notice_on_the_slide(town):
    status, html = slide(logged_in(town["sector"]), "/praesentation/visits/S1/?periode=2025-13")
    assert status == 200 and "driftsblik-period-notice" in html and "marts 2025" in html


def test_the_indicator_page_links_to_its_slide(town):
    _, html = slide(logged_in(town["sector"]), "/indikator/visits/S1/?periode=2025-03")
    assert 'href="/praesentation/visits/S1/?periode=2025-03"' in html
