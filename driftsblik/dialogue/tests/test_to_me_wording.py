"""The "Til mig" counts read right in Danish for one and for several."""

from __future__ import annotations

import datetime as dt
import re

from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from driftsblik.dialogue.models import Action, Challenge
from driftsblik.dialogue.selectors import Inbox


def _text(inbox: Inbox) -> str:
    with translation.override("da"):
        html = render_to_string("dialogue/_to_me.html", {"inbox": inbox})
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_one_challenge_to_answer_is_singular_and_two_are_plural():
    today = dt.date(2026, 3, 1)
    one = _text(Inbox(to_answer=[Challenge()], awaiting=[Challenge()], answered=[], actions=[], today=today))
    assert "1 udfordring at besvare" in one and "udfordringer" not in one
    assert "1 afventet svar" in one and "0 svar at læse og lukke" in one and "0 handlinger med frist" in one
    two = _text(
        Inbox(
            to_answer=[Challenge(), Challenge()],
            awaiting=[],
            answered=[],
            actions=[Action(due=today)],
            today=today,
        )
    )
    assert "2 udfordringer at besvare" in two and "0 afventede svar" in two and "1 handling med frist" in two


def test_an_answer_in_the_thread_reads_as_a_verb_and_the_thread_status_as_a_state():
    from driftsblik.dialogue.models import ChallengeEvent

    with translation.override("da"):
        assert ChallengeEvent(kind=ChallengeEvent.Kind.ANSWERED).get_kind_display() == "svarede"
        assert Challenge(status=Challenge.Status.ANSWERED).get_status_display() == "besvaret"


def test_the_action_table_names_who_is_responsible_not_an_owner():
    """'Owner' is 'Ejer' for an effort or an indicator; the one who carries out an action is 'Ansvarlig'."""
    with translation.override("da"):
        html = render_to_string("dialogue/_action_table.html", {"actions": [], "today": dt.date(2026, 3, 1)})
    assert '<th scope="col">Ansvarlig</th>' in html and "Ejer" not in html


@override_settings(TIME_ZONE="Europe/Copenhagen")
def test_an_event_and_an_audit_entry_name_their_time_in_the_local_time_zone():
    from driftsblik.core.models import AuditEntry
    from driftsblik.dialogue.models import ChallengeEvent

    at = dt.datetime(2026, 3, 1, 0, 7, tzinfo=dt.UTC)  # 01:07 in Copenhagen
    event = ChallengeEvent(challenge_id=7, kind="answered", actor_id=3, at=at)
    assert str(event) == "7 answered by 3 at 2026-03-01 01:07"
    entry = AuditEntry(at=at, user_email="a@example.dk", access="read", what="page")
    assert str(entry).startswith("2026-03-01 01:07 a@example.dk")
