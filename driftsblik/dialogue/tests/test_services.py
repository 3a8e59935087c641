"""Raising, answering, following up and actions, against the real database; each refusal stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from driftsblik.core.models import AppendOnly
from driftsblik.dialogue.models import Action, AuditEntry, Challenge, ChallengeEvent
from driftsblik.dialogue.policy import may_challenge
from driftsblik.dialogue.services import (
    DialogueError,
    action_create,
    action_update,
    challenge_answer,
    challenge_ask_again,
    challenge_close,
    challenge_raise,
)
from driftsblik.indicators.models import Indicator
from driftsblik.notifications.models import Notification
from driftsblik.organisation.models import Unit
from driftsblik.organisation.tests.factories import make_leader

pytestmark = pytest.mark.django_db

SOON = dt.date.today() + dt.timedelta(days=14)


def _raise(author, unit_id="S1", question="Hvorfor faldt besøgene?", **kwargs):
    return challenge_raise(
        author=author,
        unit=Unit.objects.get(pk=unit_id),
        indicator=Indicator.objects.get(pk=kwargs.pop("code", "visits")),
        period=kwargs.pop("period", "2025-03"),
        question=question,
        **kwargs,
    )


def _counts():
    return (
        Challenge.objects.count(),
        ChallengeEvent.objects.count(),
        Action.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_a_director_raises_a_challenge_to_the_sector_head(town):
    challenge = _raise(town["director"], answer_by=SOON)
    assert challenge.addressee == town["sector"]
    assert challenge.status == Challenge.Status.OPEN
    assert [e.kind for e in challenge.events.all()] == ["raised"]
    note = Notification.objects.get(key=f"challenge:{challenge.pk}:raised")
    assert note.recipient == town["sector"]
    assert AuditEntry.objects.filter(subject_id=challenge.pk, access="write", user_email="a1@example.dk").count() == 1


def test_the_whole_conversation_is_kept_with_who_and_when(town):
    challenge = _raise(town["director"], answer_by=SOON)
    challenge_answer(
        challenge=challenge,
        by=town["sector"],
        text="Sygdom i to teams.",
        actions=[{"title": "Vikarplan", "owner": town["institution"], "due": SOON}],
    )
    challenge.refresh_from_db()
    assert challenge.status == "answered" and challenge.answered_at is not None
    action = challenge.actions.get()
    assert action.owner == town["institution"] and action.status == "planned"
    assert Notification.objects.filter(recipient=town["director"], key__startswith=f"challenge:{challenge.pk}:answered")
    assert Notification.objects.filter(recipient=town["institution"], key=f"action:{action.pk}:assigned").exists()
    challenge_ask_again(challenge=challenge, by=town["director"], text="Hvornår er I tilbage på niveau?")
    challenge.refresh_from_db()
    assert challenge.status == "open"
    challenge_answer(challenge=challenge, by=town["sector"], text="I maj.")
    action_update(action=action, by=town["institution"], status="under_way", note="Gået i gang")
    action_update(action=action, by=town["institution"], status="done")
    challenge_close(challenge=challenge, by=town["director"], text="Tak.")
    challenge.refresh_from_db()
    assert challenge.status == "closed"
    kinds = [e.kind for e in challenge.events.all()]
    assert kinds == [
        "raised", "answered", "action", "asked_again", "answered", "action_status", "action_status", "closed"
    ]  # fmt: skip
    assert [e.actor.email for e in challenge.events.all()][:3] == ["a1@example.dk", "s1@example.dk", "s1@example.dk"]
    assert [e.status for e in action.events.all()] == ["planned", "under_way", "done"]
    action.refresh_from_db()
    assert action.done_at is not None


def test_a_sector_head_passes_a_sub_challenge_down(town):
    top = _raise(town["director"])
    sub = _raise(town["sector"], unit_id="S1I1", question="Hvad skete der i jeres teams?", parent=top)
    assert sub.parent == top and sub.addressee == town["institution"]
    assert top.events.filter(kind="passed_down").count() == 1
    # only the addressee of a challenge passes it on
    with pytest.raises(DialogueError, match="Kun den, udfordringen er rettet til, kan sende"):
        _raise(town["institution"], unit_id="S1I1T1", parent=top, question="Videre")


@pytest.mark.parametrize(
    ("who", "unit_id", "allowed"),
    [
        ("director", "S1", True),  # one level down
        ("director", "S1I1", False),  # two levels down: visible, but not the next level
        ("director", "S3", False),  # outside the view
        ("sector", "A1", True),  # one level up
        ("sector", "S1I1", True),
        ("sector", "S2", False),  # a peer
        ("institution", "S1", True),
        ("kd", "A1", True),
        ("directorate", "S1", True),  # the directorate challenges anything it sees
        ("directorate", "S1I1", False),  # but sees only down to the sectors
        ("directorate", "K", False),
        ("analyst", "S1", False),  # analysts read, they do not raise
        ("nobody", "S1", False),
        ("sector", "S1", False),  # their own unit
    ],
)
def test_who_may_challenge_where(town, who, unit_id, allowed):
    make_leader("tl@example.dk", "S1I1T1")
    assert may_challenge(town[who], unit_id) is allowed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question": ""}, "må ikke være tom"),
        ({"question": "   \n "}, "må ikke være tom"),
        ({"question": "x" * 4001}, "højst være 4.000"),
        ({"answer_by": dt.date.today() - dt.timedelta(days=1)}, "ligger i fortiden"),
        ({"unit_id": "S3"}, "uden for dit overblik"),
        ({"unit_id": "S1I1"}, "ét niveau op eller ned"),
        ({"period": "2025"}, "måned"),
        ({"period": "marts"}, "måned"),
    ],
)
def test_bad_challenges_are_refused_and_nothing_is_saved(town, kwargs, message):
    before = _counts()
    with pytest.raises(DialogueError, match=message):
        _raise(town["director"], **kwargs)
    assert _counts() == before


def test_exactly_4000_characters_are_allowed_and_stored_as_written(town):
    text = "<b>fed</b> & <script>alert(1)</script>" + "x" * (4000 - 38)
    assert len(text) == 4000
    assert _raise(town["director"], question=text).question == text


def test_a_double_submit_raises_one_challenge(town):
    _raise(town["director"])
    before = _counts()
    with pytest.raises(DialogueError, match="allerede rejst"):
        _raise(town["director"])
    assert _counts() == before


def test_only_the_addressee_answers_and_only_once(town):
    challenge = _raise(town["director"])
    before = _counts()
    for person in ("director", "kd", "institution"):
        with pytest.raises(DialogueError, match="rettet til, kan svare"):
            challenge_answer(challenge=challenge, by=town[person], text="Svar")
    assert _counts() == before
    challenge_answer(challenge=challenge, by=town["sector"], text="Svar")
    before = _counts()
    with pytest.raises(DialogueError, match="allerede besvaret"):
        challenge_answer(challenge=challenge, by=town["sector"], text="Svar")
    assert _counts() == before


def test_an_answer_with_a_bad_action_stores_nothing(town):
    challenge = _raise(town["director"])
    before = _counts()
    past = dt.date.today() - dt.timedelta(days=3)
    for action, message in [
        ({"title": "Plan", "owner": town["sector"], "due": past}, "ligger i fortiden"),
        ({"title": "", "owner": town["sector"], "due": SOON}, "tom"),
        ({"title": "Plan", "owner": town["sector"], "due": None}, "Angiv en dato"),
        ({"title": "Plan", "owner": town["analyst"], "due": SOON}, None),
        ({"title": "Plan", "owner": town["nobody"], "due": SOON}, "kan se enheden"),
    ]:
        if message is None:
            continue  # an analyst sees the unit: a legal owner
        with pytest.raises(DialogueError, match=message):
            challenge_answer(challenge=challenge, by=town["sector"], text="Svar", actions=[action])
        assert _counts() == before
    challenge.refresh_from_db()
    assert challenge.status == "open" and challenge.answered_at is None


def test_only_the_author_closes_or_asks_again(town):
    challenge = _raise(town["director"])
    with pytest.raises(DialogueError, match="først spørge igen"):
        challenge_ask_again(challenge=challenge, by=town["director"], text="Igen")
    challenge_answer(challenge=challenge, by=town["sector"], text="Svar")
    with pytest.raises(DialogueError, match="der rejste udfordringen"):
        challenge_close(challenge=challenge, by=town["sector"])
    with pytest.raises(DialogueError, match="der rejste udfordringen"):
        challenge_ask_again(challenge=challenge, by=town["kd"], text="Igen")
    challenge_close(challenge=challenge, by=town["director"])
    with pytest.raises(DialogueError, match="allerede lukket"):
        challenge_close(challenge=challenge, by=town["director"])


def test_actions_are_changed_only_by_their_owner_or_the_addressee(town):
    challenge = _raise(town["director"])
    challenge_answer(challenge=challenge, by=town["sector"], text="Svar")
    action = action_create(challenge=challenge, by=town["sector"], title="Plan", owner=town["institution"], due=SOON)
    with pytest.raises(DialogueError, match="allerede denne handling"):
        action_create(challenge=challenge, by=town["sector"], title="Plan", owner=town["institution"], due=SOON)
    with pytest.raises(DialogueError, match="Kun de to"):
        action_create(challenge=challenge, by=town["kd"], title="Andet", owner=town["sector"], due=SOON)
    with pytest.raises(DialogueError, match="ansvarlige"):
        action_update(action=action, by=town["director"], status="done")
    with pytest.raises(DialogueError, match="Vælg en status"):
        action_update(action=action, by=town["sector"], status="finished")
    with pytest.raises(DialogueError, match="allerede denne status"):
        action_update(action=action, by=town["sector"], status="planned")
    assert action_update(action=action, by=town["sector"], status="dropped").status == "dropped"


def test_the_audit_log_is_append_only(town):
    challenge = _raise(town["director"])
    entry = AuditEntry.objects.filter(subject_id=challenge.pk).first()
    entry.what = "changed"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).what == "raised"
