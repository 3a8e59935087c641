"""What a sector head does in a real browser: log in, open the overview, drill down, meet a 404.

Playwright drives the system Chromium against Django's live server. Run with `-m browser`; it
is skipped, saying why, where Chromium is not installed (`apt-get install chromium`).
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from driftsblik.web.tests.helpers import PASSWORD, build_municipality, people

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# beside it. The live server itself runs in its own thread, unaffected.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sector_head_logs_in_drills_down_and_cannot_leave_the_view(short_connections, live_server, browser_page):
    page, errors = browser_page
    build_municipality()
    people()

    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "s1@example.dk")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    assert "Sektor S1" in page.locator("#mine-heading").inner_text()
    heat = page.locator("#heat-S1")
    assert heat.locator("a[data-unit='S1I1']").count() == 1
    # the charts render (vega-embed draws an svg into each data-chart element)
    page.wait_for_selector("[data-chart='peers-0'] svg", timeout=15_000)

    # the period selector swaps the main part through htmx and pushes the URL
    page.select_option("#period-select", "2025-02")
    page.wait_for_url("**/?periode=2025-02")
    expect(page.locator("#mine-heading")).to_contain_text("februar 2025")

    heat.locator("a[data-unit='S1I1']").click()
    page.wait_for_url("**/enhed/S1I1/**")
    assert page.locator("h1").inner_text() == "Institution S1I1"
    assert page.locator("a[data-unit='S1I1T1']").count() == 1
    # up again through the breadcrumb
    page.locator("nav.breadcrumbs a", has_text="Sektor S1").click()
    page.wait_for_url("**/enhed/S1/**")

    response = page.goto(f"{live_server.url}/enhed/S3I1/")
    assert response is not None and response.status == 404
    assert "Institution S3I1" not in page.content()
    assert errors == []
