"""The whole conversation about a figure in a real browser, and the dialogue's pages under axe.

A director raises a challenge beside the figure on the indicator page; the sector head logs in,
finds it in "Til mig", answers with a follow-up action; the director logs in again and sees the
answer and the action. Run with `-m browser` (Playwright on the system Chromium).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from driftsblik.dialogue.models import Action, Challenge
from driftsblik.dialogue.services import challenge_answer, challenge_raise
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit
from driftsblik.web.tests.helpers import build_municipality, people
from driftsblik.web.tests.test_accessibility import audit, axe_source, log_in  # noqa: F401 (axe_source: fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOON = dt.date.today() + dt.timedelta(days=14)


def _log_out(page, base: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")


def test_a_director_and_a_sector_head_hold_the_conversation(short_connections, live_server, browser_page):
    page, errors = browser_page
    build_municipality()
    people()
    base = live_server.url

    log_in(page, base, "a1@example.dk")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/indikator/visits/S1/?periode=2025-03")
    page.locator("details.dialogue-raise summary").click()
    page.fill("textarea[name=question]", "Hvorfor faldt besøgene i marts? <script>alert(1)</script>")
    page.fill("input[name=answer_by]", SOON.isoformat())
    page.click("form.dialogue-raise-form button[type=submit]")
    page.wait_for_url("**/dialog/*/")
    challenge = Challenge.objects.get()
    assert "Hvorfor faldt besøgene i marts? <script>alert(1)</script>" in page.locator(".dialogue-text").inner_text()

    _log_out(page, base)
    log_in(page, base, "s1@example.dk")
    page.wait_for_url(f"{base}/")
    assert page.locator("[data-count='to-answer']").inner_text() == "1"
    page.locator("#to-me a[href$='#to-answer']").click()
    page.locator(f"a[href='/dialog/{challenge.pk}/']").first.click()
    page.wait_for_url(f"**/dialog/{challenge.pk}/")
    page.fill("textarea[name=text]", "Sygdom i to teams; vi lægger en vikarplan.")
    page.fill("input[name=action_title]", "Vikarplan for S1")
    page.select_option("select[name=action_owner]", label="Ida Institution")
    page.fill("input[name=action_due]", SOON.isoformat())
    page.click("form.dialogue-answer-form button[type=submit]")
    page.wait_for_url(f"**/dialog/{challenge.pk}/")
    page.wait_for_selector(".dialogue-event-answered")

    _log_out(page, base)
    log_in(page, base, "a1@example.dk")
    page.wait_for_url(f"{base}/")
    assert page.locator("[data-count='answered']").inner_text() == "1"
    page.goto(f"{base}/indikator/visits/S1/?periode=2025-03")
    page.locator(f"#dialogue a[href='/dialog/{challenge.pk}/']").click()
    page.wait_for_url(f"**/dialog/{challenge.pk}/")
    assert "Sygdom i to teams" in page.locator(".dialogue-event-answered").inner_text()
    assert "Vikarplan for S1" in page.locator("table.dialogue-actions").inner_text()
    assert Action.objects.get().owner.email == "i1@example.dk"
    assert errors == []


@pytest.mark.parametrize(
    ("who", "path"),
    [("s1@example.dk", "thread"), ("a1@example.dk", "thread"), ("s1@example.dk", "/dialog/"),
     ("a1@example.dk", "/dialog/opfoelgning/"), ("a1@example.dk", "raise")],
)  # fmt: skip
def test_the_dialogue_pages_pass_axe(short_connections, live_server, browser_page, axe_source, who, path):  # noqa: F811
    page, errors = browser_page
    build_municipality()
    town = people()
    challenge = challenge_raise(
        author=town["director"], unit=Unit.objects.get(pk="S1"), indicator=Indicator.objects.get(pk="visits"),
        period="2025-03", question="Hvorfor?", answer_by=SOON,
    )  # fmt: skip
    challenge_answer(
        challenge=challenge, by=town["sector"], text="Derfor.",
        actions=[{"title": "Plan", "owner": town["sector"], "due": SOON}],
    )  # fmt: skip
    if path == "thread":
        path = f"/dialog/{challenge.pk}/"
    elif path == "raise":
        path = "/dialog/ny/?indikator=visits&enhed=S1&periode=2025-03"
    log_in(page, live_server.url, who)
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    violations = audit(page, axe_source)
    assert violations == [], f"{path} as {who}:\n" + "\n".join(violations)
    assert errors == []
