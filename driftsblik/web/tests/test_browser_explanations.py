"""The "why" beside a figure in a real browser at 390 px: every marker opens to the unit's words, the
page does not scroll sideways with them open (the tables scroll in their own regions), and axe finds
no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from driftsblik.web.tests.explained import answered, comment
from driftsblik.web.tests.helpers import build_municipality, people
from driftsblik.web.tests.test_accessibility import audit, axe_source, log_in  # noqa: F401 - axe_source is a fixture

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
LONG = "Vi har haft to ledige stillinger som jobkonsulent siden januar, og " * 4 + "https://example.dk/" + "x" * 80


def test_the_explanations_open_without_sideways_scrolling_on_a_phone(
    short_connections,
    live_server,
    browser_page,
    axe_source,  # noqa: F811
):
    page, errors = browser_page
    build_municipality()
    who = people()
    comment("S1", LONG, by=who["sector"], task_area="ARB")
    answered("in_job", "S1I1", LONG, by=who["sector"], to=who["institution"])
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url)
    problems = []
    for url in ("/", "/enhed/S1/", "/indikator/in_job/S1/"):
        page.goto(f"{live_server.url}{url}")
        markers = page.locator("details.explanation > summary")
        expect(markers.first).to_be_visible()
        for n in range(markers.count()):
            markers.nth(n).click()
        expect(page.locator("details.explanation[open] .explanation-text").first).to_be_visible()
        assert page.locator("details.explanation:not([open])").count() == 0
        width, window = page.evaluate(PAGE_WIDTH)
        if width > window:
            problems.append(f"{url}: the page is {width} px wide in a {window} px window")
        problems.extend(f"{url}: {v}" for v in audit(page, axe_source))
    assert problems == []
    assert errors == []
