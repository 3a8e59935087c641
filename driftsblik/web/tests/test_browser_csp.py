"""The pages work under the Content-Security-Policy: no inline script or style is refused, htmx
swaps and the Vega charts still draw. Chromium reports every refusal as a
`securitypolicyviolation` event and on the console; the test collects both."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from driftsblik.organisation.tests.factories import make_user
from driftsblik.web.tests.helpers import PASSWORD, build_municipality, people
from driftsblik.web.tests.test_accessibility import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's event loop runs in this thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# every refusal, as the page's own listener and the console see it
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""


def _watch(page) -> list[str]:
    console: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    return console


def _violations(page) -> list[str]:
    return list(page.evaluate("window.__cspViolations || []"))


def test_pages_work_under_the_content_security_policy(short_connections, live_server, browser_page):
    page, errors = browser_page
    console = _watch(page)
    build_municipality()
    people()
    seen: list[str] = []

    def visit(path: str) -> None:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        seen.extend(_violations(page))

    visit("/login/")
    log_in(page, live_server.url, email="s1@example.dk")
    page.wait_for_url(f"{live_server.url}/")
    seen.extend(_violations(page))

    # the overview: Vega charts, then an htmx swap of the main part that draws new ones
    page.wait_for_selector("[data-chart='peers-0'] svg", timeout=20_000)
    page.select_option("#period-select", "2025-02")
    page.wait_for_url("**/?periode=2025-02")
    expect(page.locator("#mine-heading")).to_contain_text("februar 2025")
    page.wait_for_selector("[data-chart='peers-0'] svg", timeout=20_000)
    assert page.locator("[data-chart-state='error']").count() == 0
    seen.extend(_violations(page))

    for path in (
        "/enhed/S1I1/",
        "/indikator/visits/S1/",
        "/praesentation/visits/S1/",
        "/budget/",
        "/dialog/",
        "/indsatser/",
        "/rapporter/",
    ):
        visit(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-chart-state='error']").count() == 0, path
        seen.extend(_violations(page))
    # the trend chart draws, and its tooltip shows in the stylesheet's style, not an injected one
    page.goto(f"{live_server.url}/indikator/visits/S1/")
    point = page.locator("[data-chart='trend-chart'] svg path[aria-roledescription='point']").last  # drawn on top
    point.wait_for(timeout=20_000)
    point.hover()
    page.wait_for_selector("#vg-tooltip-element.visible")
    assert page.locator("style").count() == 0  # no <style> element was injected into the page
    seen.extend(_violations(page))

    # the admin, as an administrator
    admin = make_user("admin@example.dk", superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    page.context.clear_cookies()
    visit("/admin/login/")  # the app's own login page: the admin has none of its own
    assert page.url.startswith(f"{live_server.url}/login/?next=")
    page.fill("input[name=username]", "admin@example.dk")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    seen.extend(_violations(page))
    visit("/admin/organisation/unit/S1/change/")
    seen.extend(_violations(page))

    assert seen == []
    assert [line for line in console if "Content Security Policy" in line] == []
    assert errors == []
