"""Every main page fits a phone (390 px) and a projector (1280 px), for a leader at each level.

A small demo municipality (`driftsblik demo --scale 0.1`, registers included, so the pathway and
effort pages have figures) is built once; then the first leader of each level in the demo's
organisation file (kommunaldirektør, director, sector head, institution leader, team leader)
opens every main page in Chromium at both widths: the overview, their unit, an indicator, the
indicator catalogue (when there is one), the budget, the committee reports and a report, the
efforts and an effort, the citizen pathways, the dialogue and a thread, the messages and the API
tokens. Each page fails the test on:

- sideways scrolling of the page itself (`document.documentElement.scrollWidth > innerWidth`):
  a wide table scrolls inside its own region instead;
- chart text drawn smaller than 11 px (axis labels, titles, legends, value labels), measured as
  the SVG text's font size times the scale the SVG is drawn at;
- any axe-core WCAG 2.1 A or AA violation.

Everything found is listed at the end, page by page, rather than stopping at the first. One
browser and one tab per leader and width keep the run to a few minutes.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from driftsblik.demo.build import ORGANISATION_FILE
from driftsblik.web.tests.test_accessibility import audit, axe_source  # noqa: F401 - axe_source is a fixture

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
LEVELS = ("root", "area", "sector", "institution", "team")
SMALLEST_CHART_TEXT = 11.0
CATALOGUE = "/indikatorer/"

# the page's width against the window's, in CSS pixels
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"

# every chart text's size as drawn: its font size times the scale of the SVG it sits in (an SVG
# shrunk to fit its container shrinks its text with it)
CHART_TEXT = """() => {
  const sizes = [];
  for (const svg of document.querySelectorAll('[data-chart] svg')) {
    const drawn = svg.getBoundingClientRect().width;
    const own = svg.width && svg.width.baseVal ? svg.width.baseVal.value : drawn;
    const scale = own > 0 ? drawn / own : 1;
    for (const text of svg.querySelectorAll('text')) {
      const words = (text.textContent || '').trim();
      if (!words || text.getBoundingClientRect().width === 0) continue;
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      sizes.push([Math.round(size * 10) / 10, words.slice(0, 40), svg.closest('[data-chart]').dataset.chart]);
    }
  }
  return sizes;
}"""

# links in the main part of a page, in order (to find a unit, an indicator, a report, ...)
LINKS = "() => Array.from(document.querySelectorAll('main a[href^=\"/\"]'), (a) => a.getAttribute('href'))"
MENU = "() => Array.from(document.querySelectorAll('nav.driftsblik-nav a[href^=\"/\"]'), (a) => a.getAttribute('href'))"

# the detail pages reached from a list: (list page, the first link on it matching the pattern)
DETAILS = (
    ("/", r"^/indikator/[^/]+/[^/]+/"),
    ("/rapporter/", r"^/rapporter/[^/]+/[^/]+/(status|budget)/$"),
    ("/indsatser/", r"^/indsatser/[a-z0-9-]+/(\?|$)"),
    ("/dialog/", r"^/dialog/\d+/$"),
)


@pytest.fixture
def small_demo(tmp_path, settings) -> Path:
    """The demo at a tenth of its size, its files in tmp_path; returns the organisation file.

    Nothing writes figures after the build, so the roll-up cache may keep them between pages
    (each leader opens each page twice, once per width)."""
    settings.ROLLUP_CACHE = True
    call_command(
        "demo", "--no-serve", "--scale", "0.1", "--until", "2026-10", "--data-dir", str(tmp_path), stdout=io.StringIO()
    )
    return tmp_path / ORGANISATION_FILE


def first_leaders(organisation: Path) -> list[tuple[str, str, str]]:
    """(level, e-mail, unit id) of the first current leader of each level, as page-tour picks them."""
    seen: dict[str, tuple[str, str, str]] = {}
    with organisation.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            kind, email = row["kind"], row["leader_email"]
            if email and not row["valid_to"] and kind not in seen:
                seen[kind] = (kind, email, row["unit_id"])
    assert set(seen) >= set(LEVELS), f"the demo lacks a leader at some level: {sorted(seen)}"
    return [seen[level] for level in LEVELS]


def session_cookie(email: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(email__iexact=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def catalogue_path() -> str | None:
    """The indicator catalogue's address, when the app has one."""
    try:
        resolve(CATALOGUE)
    except Resolver404:
        return None
    return CATALOGUE


def pages_of(page, base: str, unit_id: str) -> list[str]:
    """The main pages this leader can open: the menu's, their unit, and the first detail page of
    each list (an indicator, a report, an effort, a thread) where the list has one."""
    page.goto(f"{base}/")
    paths = ["/", f"/enhed/{unit_id}/"]
    paths += [href for href in page.evaluate(MENU) if href not in paths and not href.startswith("/admin")]
    catalogue = catalogue_path()
    if catalogue and catalogue not in paths:
        paths.append(catalogue)
    for listing, pattern in DETAILS:
        if listing not in paths:
            continue
        if listing != "/":
            page.goto(f"{base}{listing}")
        found = [href for href in page.evaluate(LINKS) if re.match(pattern, href)]
        if found:
            paths.append(found[0])
        if listing == "/":
            page.goto(f"{base}/")
    return paths


def check_page(page, base: str, path: str, width: int, axe: str) -> list[str]:
    """What is wrong with one page at one width, one line each."""
    response = page.goto(f"{base}{path}")
    if response is None or response.status != 200:
        return [f"answers {response.status if response else 'nothing'}"]
    problems = [f"axe: {violation}" for violation in audit(page, axe, least_checked=5)]
    wide, window = page.evaluate(PAGE_WIDTH)
    if wide > window:
        problems.append(f"the page is {wide} px wide in a {window} px window")
    small = [
        f"{size} px '{words}' ({chart})"
        for size, words, chart in page.evaluate(CHART_TEXT)
        if size < SMALLEST_CHART_TEXT
    ]
    if small:
        problems.append(f"chart text under {SMALLEST_CHART_TEXT:g} px: " + "; ".join(small[:5]))
    return problems


def test_every_main_page_fits_a_phone_and_a_projector_at_every_level(
    short_connections,
    live_server,
    browser_page,
    axe_source,  # noqa: F811 - the fixture imported above
    small_demo,
):
    page, errors = browser_page
    page.set_default_timeout(120_000)  # a first roll-up on a busy machine; no assertion is timed
    leaders = [(level, email, unit_id, session_cookie(email)) for level, email, unit_id in first_leaders(small_demo)]
    base = live_server.url
    found: list[str] = []
    opened: set[str] = set()
    for level, email, unit_id, cookie in leaders:
        page.context.clear_cookies()
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
        page.set_viewport_size({"width": 1280, "height": 900})
        paths = pages_of(page, base, unit_id)
        opened.update(paths)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                found += [
                    f"{level} ({email}) {width} px {path}: {p}" for p in check_page(page, base, path, width, axe_source)
                ]
    # the leaders between them opened every kind of main page, and a detail page of each list
    expected = {"", "enhed", "indikator", "budget", "rapporter", "indsatser", "forloeb", "dialog", "beskeder"}
    expected.add("api-noegler")
    kinds = {path.split("/")[1] for path in opened}
    assert expected <= kinds, f"no leader opened {sorted(expected - kinds)}"
    for _listing, pattern in DETAILS:
        assert any(re.match(pattern, path) for path in opened), f"no leader opened a page like {pattern}"
    if catalogue_path():
        assert CATALOGUE in opened
    assert found == [], f"{len(found)} problem(s):\n" + "\n".join(found)
    assert errors == []
    the_measures_can_fail(page, base, leaders[2][2])


def the_measures_can_fail(page, base: str, unit_id: str) -> None:
    """The harness sees an element wider than the window, and a chart drawn at half its size."""
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{base}/indikator/{first_indicator(page, base)}/{unit_id}/")
    page.wait_for_selector("[data-chart] svg")
    wide, window = page.evaluate(PAGE_WIDTH)
    assert wide <= window
    assert min(size for size, _words, _chart in page.evaluate(CHART_TEXT)) >= SMALLEST_CHART_TEXT
    page.evaluate(
        """() => {
          const wide = document.createElement('div');
          wide.style.width = '900px';
          wide.textContent = 'wide';
          document.querySelector('main').append(wide);
          const svg = document.querySelector('[data-chart] svg');
          svg.style.width = (svg.width.baseVal.value / 2) + 'px';
        }"""
    )
    wide, window = page.evaluate(PAGE_WIDTH)
    assert wide > window
    assert min(size for size, _words, _chart in page.evaluate(CHART_TEXT)) < SMALLEST_CHART_TEXT


def first_indicator(page, base: str) -> str:
    page.goto(f"{base}/")
    for href in page.evaluate(LINKS):
        match = re.match(r"^/indikator/([^/]+)/", href)
        if match:
            return match.group(1)
    raise AssertionError("the overview links to no indicator")
