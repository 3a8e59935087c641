"""The pathway page passes axe-core's WCAG 2.1 A and AA rules in a real browser, chart drawn."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from driftsblik.engine.tests.conftest import ENGINE_WARNINGS
from driftsblik.web.tests.helpers import build_municipality, people
from driftsblik.web.tests.test_accessibility import audit, axe_source, log_in  # noqa: F401 (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [*ENGINE_WARNINGS, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_pathway_page(short_connections, live_server, browser_page, axe_source, registers, width):  # noqa: F811
    build_municipality()
    people()
    page, errors = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/forloeb/?kohorte=youth_neet&start=2024-03&maaneder=12")
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator("#status-table").count() == 1
    page.click("#transitions-table >> xpath=ancestor::details/summary")
    violations = audit(page, axe_source)
    assert violations == [], f"pathway page at {width} px:\n" + "\n".join(violations)
    # the form swaps the main part in place (htmx); the new content passes too
    page.fill("#id_maaneder", "6")
    page.click("form.driftsblik-pathway-form button[type=submit]")
    page.wait_for_url("**maaneder=6**")
    expect(page.locator("#status-table tbody tr")).to_have_count(7)
    violations = audit(page, axe_source)
    assert violations == [], f"pathway page after a swap at {width} px:\n" + "\n".join(violations)
    assert errors == []
