"""The budget pages pass axe-core's WCAG 2.1 A and AA rules in Chromium, chart rendered."""

from __future__ import annotations

import os

import pytest

from driftsblik.budget.tests.test_pages import municipality_ledger
from driftsblik.web.tests.test_accessibility import audit, axe_source, log_in  # noqa: F401 - axe_source is a fixture

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "width"),
    [("/budget/", 1280), ("/budget/", 390), ("/budget/enhed/S1I1/?periode=2024-12", 1280)],
)
def test_budget_pages_of_a_sector_head(short_connections, live_server, browser_page, axe_source, tmp_path, path, width):  # noqa: F811, E501
    municipality_ledger(tmp_path)
    page, errors = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator("[data-chart]").count() == 1
    violations = audit(page, axe_source)
    assert violations == [], f"{path} at {width} px:\n" + "\n".join(violations)
    assert errors == []
