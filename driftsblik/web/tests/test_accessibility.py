"""The pages pass axe-core's WCAG 2.1 A and AA rules in a real browser.

Playwright drives the system Chromium against Django's live server; axe-core
(driftsblik/web/tests/data/axe.min.js, a devDependency fetched by tools/vendor-assets, never
served by the app) is injected into each page once its charts have rendered, and every
violation is listed with its rule id, impact and the elements it was found on. Skipped, saying
why, where Chromium is not installed (`apt-get install chromium`).

No rule is disabled: a violation is fixed in the templates or the stylesheet.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from driftsblik.organisation.models import User
from driftsblik.web.tests.helpers import PASSWORD, build_municipality, people

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# beside it. The live server itself runs in its own thread, unaffected.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "data" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return {
    version: axe.version,
    passes: result.passes.length,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    })),
  };
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run tools/vendor-assets (it fetches axe-core from assets/package.json)")
    return AXE.read_text(encoding="utf-8")


def audit(page, axe_source: str, least_checked: int = 11) -> list[str]:
    """Run axe on the page as it is (charts rendered) and return its violations, one line each. At
    least `least_checked` rules must have passed (a small standalone page has fewer to pass)."""
    # every chart has finished (vega-embed drew it, or failed: that fails the test below)
    # (locator assertions, not wait_for_function: its polling evaluates a string in the page,
    # which the page's Content-Security-Policy rightly refuses)
    pending = "[data-chart]:not([data-chart-state='rendered']):not([data-chart-state='error'])"
    expect(page.locator(pending)).to_have_count(0, timeout=15_000)
    assert page.locator("[data-chart-state='error']").count() == 0, "a chart failed to render"
    # evaluated by the browser's devtools protocol, not as a <script> of the page: the page's
    # Content-Security-Policy refuses inline scripts, and rightly
    page.evaluate(axe_source)
    result = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert result["version"].startswith("4."), result["version"]
    assert result["passes"] >= least_checked, "axe checked almost nothing: did the page load?"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -- {', '.join(v['targets'][:5])}"
        + (f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else "")
        for v in result["violations"]
    ]


def log_in(page, base: str, email: str = "s1@example.dk", password: str = PASSWORD) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/login/'] button[type=submit]")


@pytest.fixture
def municipality(settings):
    settings.DEMO_MODE = True  # the login page then lists the demo leaders too
    build_municipality()
    people()
    User.objects.update(created_by_demo=True)  # as `driftsblik demo` marks its people


def test_login_page_and_its_error_state(short_connections, live_server, browser_page, axe_source, municipality):
    page, errors = browser_page
    page.goto(f"{live_server.url}/login/")
    assert page.locator(".driftsblik-demo-button").count() > 0
    violations = audit(page, axe_source)
    assert violations == [], "login page:\n" + "\n".join(violations)

    log_in(page, live_server.url, password="wrong-password")
    page.wait_for_selector(".alert-error")
    violations = audit(page, axe_source)
    assert violations == [], "login page with an error:\n" + "\n".join(violations)
    assert errors == []


@pytest.mark.parametrize(
    ("name", "path", "width"),
    [
        ("overview", "/", 1280),
        ("overview on a phone", "/", 390),
        ("overview after a period change", "/?periode=2024", 1280),
        ("unit page", "/enhed/S1I1/", 1280),
        ("indicator page", "/indikator/in_job/S1/", 1280),
        ("indicator page on a phone", "/indikator/visits/S1/", 390),
        ("indicator slide", "/praesentation/in_job/S1/?periode=2025-03", 1280),
        ("indicator slide on a phone", "/praesentation/visits/S1/?periode=2025-03", 390),
    ],
)
def test_pages_of_a_sector_head(
    short_connections, live_server, browser_page, axe_source, municipality, name, path, width
):
    page, errors = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    violations = audit(page, axe_source)
    assert violations == [], f"{name} ({path} at {width} px):\n" + "\n".join(violations)
    assert errors == []


def test_overview_after_an_htmx_swap(short_connections, live_server, browser_page, axe_source, municipality):
    """The period selector replaces the main part in place; the new content passes too."""
    page, errors = browser_page
    log_in(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/")
    page.select_option("#period-select", "2025-02")
    page.wait_for_url("**/?periode=2025-02")
    expect(page.locator("#mine-heading")).to_contain_text("februar 2025")
    violations = audit(page, axe_source)
    assert violations == [], "overview after a swap:\n" + "\n".join(violations)
    assert errors == []


def test_the_audit_reports_a_violation(short_connections, live_server, browser_page, axe_source, municipality):
    """The harness can fail: an unlabelled field and an image without text are reported."""
    page, _errors = browser_page
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', '<input type="text" id="unlabelled"><img src="data:," id="no-alt">');
        }"""
    )
    violations = audit(page, axe_source)
    assert any(v.startswith("label (critical)") and "#unlabelled" in v for v in violations), violations
    assert any(v.startswith("image-alt (critical)") and "#no-alt" in v for v in violations), violations


@pytest.mark.parametrize(
    ("status", "path", "width"),
    [
        (404, "/findes-ikke/", 1280),
        (404, "/enhed/S3I1/", 390),  # a unit outside the view
        (400, "/eksport/scorecard/S1I1/?periode=abc", 390),
        (403, "/test-forbidden/", 1280),
        (500, "/test-broken/", 390),
    ],
)
def test_error_pages(
    short_connections, live_server, browser_page, axe_source, municipality, settings, status, path, width
):
    settings.ROOT_URLCONF = "driftsblik.web.tests.errors_urls"
    page, errors = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, email="i1@example.dk")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == status
    assert page.locator("h1").count() == 1 and page.locator("main a[href='/']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "sideways scrolling"
    violations = audit(page, axe_source, least_checked=8 if status == 500 else 11)
    assert violations == [], f"{status} ({path} at {width} px):\n" + "\n".join(violations)
    assert errors == []
