"""A chart can be asked: hovering a unit's bar shows the table's figure, a click opens the unit.

Playwright drives the system Chromium against the live server (`-m browser`; skipped where
Chromium is not installed).
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from driftsblik.web.tests.helpers import LATEST, build_municipality, people, set_observation
from driftsblik.web.tests.test_accessibility import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's event loop runs in this thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bar_tells_its_figure_as_the_table_does_and_opens_its_unit(short_connections, live_server, browser_page):
    page, errors = browser_page
    build_municipality()
    people()
    for team in ("S1I1T1", "S1I1T2"):
        set_observation("in_job", team, LATEST, 20, 40)  # Institution S1I1: 40 / 80 = 50,0 %
    log_in(page, live_server.url, email="s1@example.dk")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/indikator/in_job/S1/?periode={LATEST}")
    row = page.locator("#breakdown-table tr", has=page.locator("a[data-unit='S1I1']"))
    expect(row.locator("td[data-figure='in_job']")).to_have_text("50,0 %")
    # the bar of Institution S1I1 (Vega names each bar's data in its aria-label)
    bars = page.locator("[data-chart='breakdown-chart'] path[aria-roledescription='bar']")
    bar = bars.and_(page.locator("[aria-label*='Institution S1I1']"))
    expect(bar).to_have_count(1, timeout=20_000)
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element.visible")
    expect(tooltip).to_contain_text("Institution S1I1")
    expect(tooltip).to_contain_text("50,0 %")
    expect(tooltip).to_contain_text("55,0 %")  # the target, as the table writes it

    bar.click()
    page.wait_for_url(f"**/indikator/in_job/S1I1/?periode={LATEST}")
    expect(page.locator("h1")).to_contain_text("Institution S1I1")
    assert errors == []
