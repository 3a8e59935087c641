"""`driftsblik tick`: overdue answers and actions reminded, then escalated one level up, each exactly once,
by e-mail through a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from driftsblik.dialogue.services import action_create, challenge_answer, challenge_ask_again, challenge_raise
from driftsblik.indicators.models import Indicator
from driftsblik.notifications.models import Notification
from driftsblik.organisation.models import Unit
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = dt.date.today()
DUE = TODAY + dt.timedelta(days=1)


def _tick(day: dt.date) -> str:
    out = io.StringIO()
    call_command("tick", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def _mail(smtp_server) -> list[tuple[str, str]]:
    return [(m["To"], " ".join(str(m["Subject"]).split())) for m in smtp_server]


def test_overdue_answers_and_actions_are_reminded_and_escalated_exactly_once(smtp_server, settings):
    settings.REMINDER_GRACE_DAYS = 5
    build_municipality()
    who = people()
    visits = Indicator.objects.get(pk="visits")
    late = challenge_raise(
        author=who["director"], unit=Unit.objects.get(pk="S1"), indicator=visits, period="2025-03",
        question="Hvorfor?", answer_by=DUE,
    )  # fmt: skip
    answered = challenge_raise(
        author=who["sector"], unit=Unit.objects.get(pk="S1I1"), indicator=visits, period="2025-03",
        question="Hvad sker der?", answer_by=DUE,
    )  # fmt: skip
    challenge_answer(challenge=answered, by=who["institution"], text="Svar i tide.")
    action = action_create(challenge=answered, by=who["institution"], title="Plan", owner=who["institution"], due=DUE)
    assert len(smtp_server) == 3  # raised x2, answered (the action's owner made it: not told)
    smtp_server.clear()

    assert "0 notification(s) sent" in _tick(DUE)  # due today: nothing yet
    assert _tick(DUE + dt.timedelta(days=1)).count("notification(s)") == 1
    assert sorted(_mail(smtp_server)) == [
        ("i1@example.dk", "[Driftsblik] Handlingens frist er overskredet: Plan"),
        ("s1@example.dk", "[Driftsblik] Svarfristen er overskredet: Besøg, Sektor S1, marts 2025"),
    ]
    smtp_server.clear()
    _tick(DUE + dt.timedelta(days=1))  # the same day again: nothing twice
    _tick(DUE + dt.timedelta(days=3))  # within the grace period: nothing new
    assert smtp_server == []

    escalation_day = DUE + dt.timedelta(days=6)
    _tick(escalation_day)
    assert sorted(_mail(smtp_server)) == [
        ("a1@example.dk", "[Driftsblik] Ikke besvaret: Besøg, Sektor S1, marts 2025"),
        ("s1@example.dk", "[Driftsblik] Handling ikke gennemført: Plan"),
    ]
    smtp_server.clear()
    _tick(escalation_day)
    _tick(escalation_day + dt.timedelta(days=10))
    assert smtp_server == []
    assert Notification.objects.filter(key=f"challenge:{late.pk}:{DUE.isoformat()}:escalation").count() == 1
    assert Notification.objects.filter(key=f"action:{action.pk}:{DUE.isoformat()}:reminder").count() == 1


def test_asking_again_with_a_new_date_is_a_new_reminder(smtp_server):
    build_municipality()
    who = people()
    challenge = challenge_raise(
        author=who["director"], unit=Unit.objects.get(pk="S1"), indicator=Indicator.objects.get(pk="visits"),
        period="2025Q1", question="Hvorfor?", answer_by=DUE,
    )  # fmt: skip
    challenge_answer(challenge=challenge, by=who["sector"], text="Svar")
    new_due = DUE + dt.timedelta(days=7)
    challenge_ask_again(challenge=challenge, by=who["director"], text="Uddyb", answer_by=new_due)
    smtp_server.clear()
    _tick(DUE + dt.timedelta(days=2))
    assert smtp_server == []  # the old date no longer applies
    _tick(new_due + dt.timedelta(days=1))
    assert _mail(smtp_server) == [
        ("s1@example.dk", "[Driftsblik] Svarfristen er overskredet: Besøg, Sektor S1, 1. kvartal 2025")
    ]


def test_an_action_handed_down_escalates_to_its_owners_own_leader(smtp_server, settings):
    settings.REMINDER_GRACE_DAYS = 2
    build_municipality()
    who = people()
    challenge = challenge_raise(
        author=who["director"], unit=Unit.objects.get(pk="S1"), indicator=Indicator.objects.get(pk="visits"),
        period="2025-03", question="Hvorfor?",
    )  # fmt: skip
    challenge_answer(
        challenge=challenge, by=who["sector"], text="Svar",
        actions=[{"title": "Vikarplan", "owner": who["institution"], "due": DUE}],
    )  # fmt: skip
    smtp_server.clear()
    _tick(DUE + dt.timedelta(days=5))
    # the owner leads S1I1: their own leader is the sector head, not the director above S1
    assert sorted(_mail(smtp_server)) == [
        ("i1@example.dk", "[Driftsblik] Handlingens frist er overskredet: Vikarplan"),
        ("s1@example.dk", "[Driftsblik] Handling ikke gennemført: Vikarplan"),
    ]
