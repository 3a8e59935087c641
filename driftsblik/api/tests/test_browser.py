"""The API's documentation page draws in Chromium under the site's Content-Security-Policy (Swagger
UI from our own static files, no inline script), and a token made on the page opens the API."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from driftsblik.web.tests.test_browser_csp import _violations, _watch

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's event loop runs in this thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documentation_page_draws_under_the_policy(short_connections, live_server, browser_page):
    page, errors = browser_page
    console = _watch(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert response is not None and response.status == 200
    assert "unsafe-inline" not in response.headers.get("content-security-policy", "")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text("Driftsblik API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert "/api/v1/table" in page.locator(".swagger-ui").inner_text()
    assert _violations(page) == []
    assert not [m for m in console if "Content Security Policy" in m]
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests), requests
    assert errors == []
