"""A committee member who is nothing else signs in to their committee's issued reports and nothing else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from driftsblik.core.periods import Period
from driftsblik.organisation.tests.factories import make_committee
from driftsblik.reports.middleware import member_only
from driftsblik.reports.models import ReportSchedule
from driftsblik.reports.services import report_issue
from driftsblik.web.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025Q1")


@pytest.fixture
def reports(town):
    other = make_committee("OEU", "Økonomiudvalget", task_areas={"PERS": ("Personale", ["K"])})
    ReportSchedule.objects.create(committee=other)
    return (
        report_issue(committee=town["committee"], period=Q1, kind="status", by=None, deliver=False),
        report_issue(committee=other, period=Q1, kind="status", by=None, deliver=False),
    )


def test_a_member_reads_their_committees_issued_reports_and_nothing_else(town, reports):
    mine, other = reports
    client = Client()
    signed_in = client.post("/login/", {"username": "politiker@example.dk", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert member_only(town["politician"]) and not member_only(town["sector"])
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("reports:list")
    listing = client.get("/rapporter/")
    page = listing.content.decode()
    assert listing.status_code == 200 and mine.title in page and other.title not in page
    # the menu holds only what they may open
    assert 'href="/rapporter/"' in page and 'href="/indsatser/"' not in page and 'href="/dialog/"' not in page
    for name in ("reports:issued", "reports:issued_pdf", "reports:issued_html"):
        assert client.get(reverse(name, args=[mine.pk])).status_code == 200, name
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name
    for url in (
        "/enhed/K/",
        "/indikator/visits/K/",
        "/eksport/scorecard/K/",
        "/indsatser/",
        "/dialog/",
        "/budget/",
        "/forloeb/",
        "/sammenlign/",
        "/beskeder/",
        "/rapporter/AUU/2025Q1/status/",
        reverse("reports:changes_since", args=[mine.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/logout/").status_code == 302


def test_a_member_who_also_leads_a_unit_keeps_the_rest(town, reports):
    town["committee"].members.add(town["sector"])
    client = Client()
    client.force_login(town["sector"])
    assert client.get("/").status_code == 200
    assert client.get("/enhed/S1/").status_code == 200
