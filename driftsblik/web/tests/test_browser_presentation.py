"""The presentation view in a real browser: the arrow keys step through the committee's indicators.

Playwright drives the system Chromium against Django's live server (`-m browser`; skipped, saying
why, where Chromium is not installed). Assertions through `expect(locator)` only: the page's
Content-Security-Policy forbids evaluating strings.
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from driftsblik.web.tests.helpers import PASSWORD, build_municipality, people

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_arrow_keys_move_between_the_slides(short_connections, live_server, browser_page):
    page, errors = browser_page
    build_municipality()
    people()

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "s1@example.dk")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/praesentation/visits/S1/?periode=2025-03")
    expect(page.locator("h1")).to_have_text("Besøg")
    expect(page.locator("[data-chart='slide-chart'] svg")).to_be_visible(timeout=15_000)

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/praesentation/in_job/S1/\?periode=2025-03$"))
    expect(page.locator("h1")).to_have_text("Andel i job")
    expect(page.locator("[data-slide-position]")).to_have_text("Dias 2 af 3")
    # the new slide's chart is drawn too (htmx swapped the body; charts.js renders after the swap)
    expect(page.locator("[data-chart='slide-chart'] svg")).to_be_visible(timeout=15_000)

    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text("Borgere i forløb")
    page.keyboard.press("ArrowRight")  # the last slide: nowhere further
    expect(page.locator("h1")).to_have_text("Borgere i forløb")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/praesentation/in_job/S1/\?periode=2025-03$"))
    expect(page.locator("h1")).to_have_text("Andel i job")

    # the links work without the keys, and the browser's back button returns to the slide before
    page.get_by_role("link", name=re.compile("^Næste")).click()
    expect(page.locator("h1")).to_have_text("Borgere i forløb")
    page.go_back()
    expect(page.locator("h1")).to_have_text("Andel i job")

    # the period follows to the next page, and its address says so (web/place.js writes it in)
    page.goto(f"{live_server.url}/enhed/S1I1/")
    expect(page).to_have_url(re.compile(r"/enhed/S1I1/\?periode=2025-03$"))
    assert errors == []
