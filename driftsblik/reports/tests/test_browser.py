"""In Chromium: the report pages pass axe-core's WCAG 2.1 A and AA rules, and a secretary issues a report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from driftsblik.reports.models import IssuedReport
from driftsblik.web.tests.test_accessibility import audit, axe_source, log_in  # noqa: F401 - axe_source is a fixture

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("email", "path", "width"),
    [
        ("s1@example.dk", "/rapporter/", 1280),
        ("s1@example.dk", "/rapporter/AUU/2025Q1/status/", 1280),
        ("s1@example.dk", "/rapporter/AUU/2025Q1/status/", 390),
        ("s1@example.dk", "/rapporter/AUU/2025Q1/status/kommentar/BES/S1/", 1280),
        ("sekretaer@example.dk", "/rapporter/AUU/2025Q1/budget/", 1280),
    ],
)
def test_report_pages(short_connections, live_server, browser_page, axe_source, town, email, path, width):  # noqa: F811
    page, errors = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, email=email)
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    violations = audit(page, axe_source)
    assert violations == [], f"{path} at {width} px:\n" + "\n".join(violations)
    assert errors == []


def test_a_secretary_issues_the_report_and_finds_it_listed(
    short_connections,
    live_server,
    browser_page,
    axe_source,  # noqa: F811
    town,
    smtp_server,
):
    page, errors = browser_page
    log_in(page, live_server.url, email="sekretaer@example.dk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/rapporter/AUU/2025Q1/status/")
    page.get_by_role("button", name="Udsend rapporten").click()
    page.wait_for_selector("text=Uændret siden udsendelsen")
    issued = IssuedReport.objects.get()
    assert page.url == f"{live_server.url}/rapporter/udsendt/{issued.pk}/"
    assert audit(page, axe_source) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent PDF'en").click()
    assert Path(download.value.path()).read_bytes() == bytes(issued.pdf)
    page.goto(f"{live_server.url}/rapporter/")
    assert page.get_by_role("link", name=issued.title, exact=True).count() == 1
    assert len(smtp_server) == 1
    assert errors == []


def test_budget_follow_up_with_its_chart(short_connections, live_server, browser_page, axe_source, town, tmp_path):  # noqa: F811
    from driftsblik.reports.tests.test_budget_section import book

    rows = [(f"2024-{m:02d}", "S1I1T1", "forbrug", 1_000_000) for m in range(1, 13)]
    rows += [("2025-01", "S1I1T1", "oprindeligt budget", 12_000_000)]
    rows += [(f"2025-{m:02d}", "S1I1T1", "forbrug", 1_200_000) for m in range(1, 4)]
    book(tmp_path, rows)
    page, errors = browser_page
    log_in(page, live_server.url, email="sekretaer@example.dk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/rapporter/AUU/2025Q1/budget/")
    assert page.locator("[data-chart]").count() == 1
    assert audit(page, axe_source) == []
    assert page.get_by_text("Forventet regnskab 14,4 mio. kr.").count() >= 1
    assert errors == []


def test_a_report_with_a_budget_overrun_cannot_open_on_target(
    short_connections, live_server, browser_page, town, tmp_path
):
    """Every indicator on target and the area heading for 2,4 mio. kr. over its corrected budget: the
    first page gives the counts with the budget's overrun beside them, and no overall "på mål"."""
    from playwright.sync_api import expect

    from driftsblik.indicators.models import Target
    from driftsblik.reports.tests.test_budget_section import book
    from driftsblik.ui.status import BUDGET, TARGET

    for target in Target.objects.select_related("indicator"):
        target.value = 0 if target.indicator.direction == "higher" else 10**9  # every figure on target
        target.save()
    rows = [(f"2024-{m:02d}", "S1I1T1", "forbrug", 1_000_000) for m in range(1, 13)]
    rows += [("2025-01", "S1I1T1", "oprindeligt budget", 12_000_000)]
    rows += [(f"2025-{m:02d}", "S1I1T1", "forbrug", 1_200_000) for m in range(1, 4)]  # heading for 14,4 mio.
    book(tmp_path, rows)
    page, errors = browser_page
    log_in(page, live_server.url, email="sekretaer@example.dk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/rapporter/AUU/2025Q1/status/")
    summary = page.locator(".report-summary")
    counts = summary.locator(".report-counts")
    expect(counts).to_contain_text("ikke på mål")  # the counts, not one word
    expect(counts).to_contain_text(BUDGET.word("red"))  # the overrun beside them
    expect(summary).not_to_contain_text(TARGET.word("green"))
    expect(summary).not_to_contain_text("Samlet status")
    expect(summary.locator(".report-area-counts").first).to_contain_text("nøgletal på mål")
    assert errors == []
