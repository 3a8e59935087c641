"""The efforts pages pass axe-core's WCAG 2.1 A and AA rules in a real browser (Chromium)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from driftsblik.efforts.services import method_define, method_use_add, milestone_add
from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.organisation.tests.factories import make_leader
from driftsblik.web.tests.helpers import PASSWORD
from driftsblik.web.tests.test_accessibility import audit, axe_source, log_in  # noqa: F401 - axe_source is a fixture

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def effort():
    effort = build_effort()
    ips = method_define(code="ips", name="IPS", description="Job med støtte")
    method_use_add(participant=effort.participants.get(unit_id="J1"), method=ips, since=dt.date(2024, 5, 1))
    milestone_add(effort=effort, phase="development", title="Fælles plan", due=dt.date(2024, 6, 30), status="done")
    milestone_add(effort=effort, phase="implementation", title="Metoden udbredt", due=dt.date(2025, 1, 31))
    leader = make_leader("u1@example.dk", "U1", name="Ulla Unge")
    leader.set_password(PASSWORD)
    leader.save()
    return effort


@pytest.mark.parametrize(
    ("name", "path", "width"),
    [
        ("efforts list", "/indsatser/", 1280),
        ("effort page", "/indsatser/ungegaranti/?periode=2025-03", 1280),
        ("effort page on a phone", "/indsatser/ungegaranti/?periode=2025-03", 390),
        ("overview with efforts", "/", 1280),
    ],
)
def test_efforts_pages_of_a_participant(
    short_connections,
    live_server,
    browser_page,
    axe_source,  # noqa: F811 - the fixture imported above
    effort,
    name,
    path,
    width,
):
    page, errors = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, email="u1@example.dk")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    violations = audit(page, axe_source)
    assert violations == [], f"{name} ({path} at {width} px):\n" + "\n".join(violations)
    assert errors == []
