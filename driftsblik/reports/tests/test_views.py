"""The report pages: who sees what (404 outside the view), who writes, who issues, downloads and changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Observation
from driftsblik.reports.models import IssuedReport
from driftsblik.reports.services import report_issue

Q1 = Period.parse("2025Q1")
PREVIEW = "/rapporter/AUU/2025Q1/status/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_preview_for_those_who_write_the_report(town):
    for who in ("kd", "directorate", "director", "sector", "sector2", "secretary"):
        response = client_for(town[who]).get(PREVIEW)
        assert response.status_code == 200, who
        assert "Sammenfatning" in response.content.decode()
    # the institution leader, the analyst, the person without a unit and the politician write nothing
    for who in ("institution", "nobody", "politician", "analyst"):
        assert client_for(town[who]).get(PREVIEW).status_code == 404, who
        assert client_for(town[who]).get(PREVIEW + "pdf/").status_code == 404, who


@pytest.mark.django_db
def test_bad_period_kind_or_committee_is_a_404(town):
    client = client_for(town["kd"])
    for url in ("/rapporter/AUU/2025-03/status/", "/rapporter/AUU/2025Q1/other/", "/rapporter/XXX/2025Q1/status/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_commentary_form_only_for_the_responsible_leader(town):
    url = reverse("reports:commentary", args=["AUU", "2025Q1", "status", "BES", "S1"])
    assert client_for(town["institution"]).get(url).status_code == 404  # outside the view
    assert client_for(town["sector2"]).get(url).status_code == 403  # sees it, is not responsible
    assert client_for(town["secretary"]).post(url, {"text": "x"}).status_code == 403
    client = client_for(town["sector"])
    page = client.get(url)
    assert page.status_code == 200 and 'name="example"' not in page.content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 200 and "form-error-message" in empty.content.decode()
    response = client.post(url, {"text": "Flere besøg <script>alert(1)</script>"})
    assert response.status_code == 302
    preview = client.get(PREVIEW).content.decode()
    assert "Flere besøg &lt;script&gt;alert(1)&lt;/script&gt;" in preview
    director = client_for(town["director"])
    form = director.get(reverse("reports:commentary", args=["AUU", "2025Q1", "status", "BES", "A1"])).content.decode()
    assert 'name="example"' in form and "Flere besøg" in form  # writes on top of the unit's commentary


@pytest.mark.django_db(transaction=True)
def test_secretary_issues_and_the_politician_downloads(town, smtp_server):
    issue_url = PREVIEW + "udsend/"
    assert client_for(town["director"]).post(issue_url).status_code == 403
    assert client_for(town["institution"]).post(issue_url).status_code == 404
    assert not IssuedReport.objects.exists()
    response = client_for(town["secretary"]).post(issue_url)
    issued = IssuedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:issued", args=[issued.pk])
    assert len(smtp_server) == 1

    politician = client_for(town["politician"])
    listing = politician.get("/rapporter/").content.decode()
    assert issued.title in listing and "Næste" not in listing
    pdf = politician.get(reverse("reports:issued_pdf", args=[issued.pk]))
    assert pdf.status_code == 200 and pdf.getvalue() == bytes(issued.pdf) and pdf["Content-Type"] == "application/pdf"
    assert politician.get(reverse("reports:changes_since", args=[issued.pk])).status_code == 404
    for who in ("institution", "nobody"):
        assert client_for(town[who]).get(reverse("reports:issued_pdf", args=[issued.pk])).status_code == 404


@pytest.mark.django_db
def test_changes_pages(town):
    first = report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    Observation.objects.filter(indicator_id="visits", unit_id="S1I1T1", period=Month(2025, 2).first).update(
        numerator=9999
    )
    second = report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    client = client_for(town["kd"])
    between = client.get(reverse("reports:changes_between", args=[first.pk, second.pk])).content.decode()
    assert "Sektor S1" in between and "Institution S1I1" in between and "Sektor S2" not in between
    since = client.get(reverse("reports:changes_since", args=[second.pk])).content.decode()
    assert "No figure differs" in since or "Ingen tal er ændret" in since
    page = client.get(reverse("reports:issued", args=[first.pk])).content.decode()
    assert first.pdf_sha256 in page and reverse("reports:changes_between", args=[first.pk, second.pk]) in page


@pytest.mark.django_db
def test_list_and_overview_show_the_commentary_a_leader_owes(town):
    from django.utils import timezone

    from driftsblik.reports.commentary import owed_by

    # a meeting 14 weeks after each quarter: today's latest complete quarter has its round open
    town["schedule"].meeting_offset_weeks = 14
    town["schedule"].save()
    owed = owed_by(town["sector"], today=timezone.localdate())
    assert owed and all(slot.unit_id == "S1" and not done for _, slot, done in owed)
    client = client_for(town["sector"])
    page = client.get("/rapporter/").content.decode()
    due, slot, _ = owed[0]
    assert reverse("reports:commentary", args=["AUU", str(due.period), due.kind, "BES", "S1"]) in page
    overview = client.get("/").content.decode()
    assert f'href="/rapporter/">Kommentarer mangler: {len(owed)}<' in overview
    assert "Kommentarer mangler" not in client_for(town["institution"]).get("/").content.decode()


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_issued_reports(town):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(town["kd"])
    counts = []
    for _ in range(2):
        report_issue(committee=town["committee"], period=Q1, kind="status", by=None, deliver=False)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/rapporter/").status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
