"""Issued committee reports through the API: the reports app's rule of who reads which report,
the frozen HTML under its own policy, and the PDF."""

from __future__ import annotations

import pytest

from driftsblik.api.tests.helpers import get, token_for
from driftsblik.core.periods import Period
from driftsblik.reports.services import report_issue
from driftsblik.reports.tests.conftest import town  # noqa: F401  # the reports' town, with its committee
from driftsblik.web.tests.helpers import leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(town):  # noqa: F811
    return report_issue(
        committee=town["committee"], period=Period.parse("2025Q1"), kind="status", by=None, deliver=False
    )


def test_a_member_reads_the_report_its_html_and_pdf(client, town, issued):  # noqa: F811
    token = token_for(town["politician"])
    listed = get(client, token, "/api/v1/reports").json()
    assert [r["id"] for r in listed] == [issued.pk]
    assert listed[0]["committee"] == "AUU" and listed[0]["version"] == 1
    html = get(client, token, f"/api/v1/reports/{issued.pk}/html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert html.content.decode() == issued.html
    assert "default-src 'none'" in html["Content-Security-Policy"] or "style-src" in html["Content-Security-Policy"]
    pdf = get(client, token, f"/api/v1/reports/{issued.pk}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_report_the_person_may_not_read_is_a_404(client, town, issued):  # noqa: F811
    token = token_for(leader("a2@example.dk", "A2"))  # leads no unit in the committee's report
    assert get(client, token, "/api/v1/reports").json() == []
    for suffix in ("", "/html", "/pdf"):
        assert get(client, token, f"/api/v1/reports/{issued.pk}{suffix}").status_code == 404
