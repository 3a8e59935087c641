"""Changing the dialogue: raise, answer, ask again, close, add and update actions, and the audit log.

Every service is atomic and checks its rule before it writes anything: a refusal is a
`DialogueError` with a message for the person, and nothing is stored. Each state change adds an
event row (who, when, what) and an audit entry; the people concerned are notified once per event.

Double submits: a challenge identical to one the same author already has open on the same
indicator, unit and period is refused; an answer only answers an open challenge, a close only
closes one that is not closed, an action identical to an open one in the thread is refused. So
pressing "send" twice stores one thing and tells the person why the second was refused.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from driftsblik.core import audit
from driftsblik.core.periods import Period, PeriodError
from driftsblik.dialogue.models import MAX_TEXT, MAX_TITLE, Action, ActionEvent, AuditEntry, Challenge, ChallengeEvent
from driftsblik.dialogue.policy import challenge_refusal, may_update_action, thread_units
from driftsblik.indicators.models import Indicator
from driftsblik.notifications.services import notify
from driftsblik.organisation.leaders import leader_of
from driftsblik.organisation.models import Unit, User
from driftsblik.ui.formats import prose_date


class DialogueError(Exception):
    """A refusal, with a message for the person; nothing was stored."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _text(value: str, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    text = value or ""
    if required and not text.strip():
        raise DialogueError(_("Write a text; it cannot be empty."), field)
    if len(text) > limit:
        raise DialogueError(
            _("The text is %(length)s characters; at most %(limit)s are allowed.")
            % {"length": f"{len(text):,}".replace(",", "."), "limit": f"{limit:,}".replace(",", ".")},
            field,
        )
    return text


def _future(day: dt.date | None, *, on: dt.date, field: str, required: bool = False) -> dt.date | None:
    if day is None:
        if required:
            raise DialogueError(_("Give a date."), field)
        return None
    if day < on:
        raise DialogueError(_("The date %(day)s is in the past.") % {"day": prose_date(day)}, field)
    return day


def _period(text: str) -> str:
    try:
        period = Period.parse(text)
    except PeriodError:
        raise DialogueError(_("The period must be a month (2025-03) or a quarter (2025Q1)."), "period") from None
    if period.kind not in ("month", "quarter"):
        raise DialogueError(_("The period must be a month (2025-03) or a quarter (2025Q1)."), "period")
    return str(period)


def audit_record(*, user: User, access: str, what: str, challenge: Challenge) -> None:
    """Add one line to the audit log (through `core.audit.audit_record`): who read or wrote which thread, now."""
    audit.audit_record(user=user, access=access, what=what, subject=challenge, unit_id=challenge.unit_id)


def _event(challenge: Challenge, kind: str, actor: User, text: str = "", at: dt.datetime | None = None) -> None:
    ChallengeEvent.objects.create(
        challenge=challenge, kind=kind, actor=actor, text=text, status=challenge.status, at=at or timezone.now()
    )
    audit_record(user=actor, access=AuditEntry.Access.WRITE, what=kind, challenge=challenge)


def _label(challenge: Challenge) -> str:
    return f"{challenge.indicator.name}, {challenge.unit_name}, {Period.parse(challenge.period).label_da}"


@transaction.atomic
def challenge_raise(
    *,
    author: User,
    unit: Unit,
    indicator: Indicator,
    period: str,
    question: str,
    answer_by: dt.date | None = None,
    parent: Challenge | None = None,
    at: dt.datetime | None = None,
) -> Challenge:
    """Raise a challenge on an indicator at a unit for a month or quarter, addressed to the unit's leader.

    Refused when the author may not challenge the unit (`policy.challenge_refusal`), the text is
    empty or too long, the answer date is in the past, or the author already has the same
    challenge open. `parent`: the challenge the author received and passes down with this one.
    `at`: when (the demo's history; defaults to now).
    """
    at = at or timezone.now()
    on = timezone.localdate(at)
    # One raise at a time per author: two submits of the same form in parallel see each other.
    User.objects.select_for_update().filter(pk=author.pk).first()
    period = _period(period)
    question = _text(question, field="question")
    answer_by = _future(answer_by, on=on, field="answer_by")
    if parent is not None:
        if parent.addressee_id != author.pk:
            raise DialogueError(_("Only the person a challenge is addressed to can pass it on."))
        if parent.status == Challenge.Status.CLOSED:
            raise DialogueError(_("The challenge is closed."))
    refusal = challenge_refusal(author, unit.pk, on=on)
    if refusal:
        raise DialogueError(refusal, "unit")
    duplicate = Challenge.objects.filter(
        author=author, unit=unit, indicator=indicator, period=period, question=question
    ).exclude(status=Challenge.Status.CLOSED)
    if duplicate.exists():
        raise DialogueError(_("You have already raised this challenge; it is still open."))
    addressee = leader_of(unit.pk, on=on)
    challenge = Challenge.objects.create(
        indicator=indicator,
        unit=unit,
        period=period,
        author=author,
        addressee=addressee,
        question=question,
        answer_by=answer_by,
        parent=parent,
        created_at=at,
    )
    _event(challenge, ChallengeEvent.Kind.RAISED, author, question, at)
    if parent is not None:
        _event(parent, ChallengeEvent.Kind.PASSED_DOWN, author, "", at)
    challenge.unit_name = _unit_name(unit.pk)
    notify(
        recipient=addressee,
        key=f"challenge:{challenge.pk}:raised",
        subject=_("New challenge: %(label)s") % {"label": _label(challenge)},
        body=_("%(author)s asks:\n\n%(question)s") % {"author": author, "question": question},
        url=challenge.get_absolute_url(),
        unit=unit,
    )
    return challenge


def _unit_name(unit_id: str) -> str:
    from driftsblik.organisation.models import UnitSpan

    span = UnitSpan.objects.filter(unit_id=unit_id).order_by("-valid_from").first()
    return span.name if span else unit_id


def _locked(challenge: Challenge) -> Challenge:
    """The challenge re-read under a row lock, so two submits in parallel see each other's result."""
    locked = Challenge.objects.select_for_update().select_related("indicator", "unit").get(pk=challenge.pk)
    locked.unit_name = _unit_name(locked.unit_id)
    return locked


@transaction.atomic
def challenge_answer(
    *,
    challenge: Challenge,
    by: User,
    text: str,
    actions: list[dict] | None = None,
    at: dt.datetime | None = None,
) -> Challenge:
    """The addressee answers; `actions` (title, owner, due) become follow-up actions in the thread.

    Refused when `by` is not the addressee, the challenge is not awaiting an answer (a double
    submit), the text is empty or too long, or an action is incomplete or due in the past.
    """
    at = at or timezone.now()
    challenge = _locked(challenge)
    if by.pk != challenge.addressee_id:
        raise DialogueError(_("Only the person the challenge is addressed to can answer it."))
    if challenge.status != Challenge.Status.OPEN:
        raise DialogueError(_("The challenge has already been answered."))
    text = _text(text, field="text")
    challenge.status = Challenge.Status.ANSWERED
    if challenge.answered_at is None:
        challenge.answered_at = at
    challenge.save(update_fields=["status", "answered_at"])
    _event(challenge, ChallengeEvent.Kind.ANSWERED, by, text, at)
    for spec in actions or []:
        action_create(challenge=challenge, by=by, at=at, **spec)
    notify(
        recipient=challenge.author,
        key=f"challenge:{challenge.pk}:answered:{challenge.events.count()}",
        subject=_("Answer: %(label)s") % {"label": _label(challenge)},
        body=_("%(who)s answers:\n\n%(text)s") % {"who": by, "text": text},
        url=challenge.get_absolute_url(),
        unit=challenge.unit,
    )
    return challenge


@transaction.atomic
def challenge_ask_again(
    *, challenge: Challenge, by: User, text: str, answer_by: dt.date | None = None, at: dt.datetime | None = None
) -> Challenge:
    """The author is not satisfied and asks again: the challenge awaits an answer once more."""
    at = at or timezone.now()
    challenge = _locked(challenge)
    if by.pk != challenge.author_id:
        raise DialogueError(_("Only the person who raised the challenge can ask again."))
    if challenge.status != Challenge.Status.ANSWERED:
        raise DialogueError(_("You can ask again only when the challenge has been answered."))
    text = _text(text, field="text")
    answer_by = _future(answer_by, on=timezone.localdate(at), field="answer_by")
    challenge.status = Challenge.Status.OPEN
    challenge.answer_by = answer_by or challenge.answer_by
    challenge.save(update_fields=["status", "answer_by"])
    _event(challenge, ChallengeEvent.Kind.ASKED_AGAIN, by, text, at)
    notify(
        recipient=challenge.addressee,
        key=f"challenge:{challenge.pk}:asked:{challenge.events.count()}",
        subject=_("Asked again: %(label)s") % {"label": _label(challenge)},
        body=_("%(who)s asks again:\n\n%(text)s") % {"who": by, "text": text},
        url=challenge.get_absolute_url(),
        unit=challenge.unit,
    )
    return challenge


@transaction.atomic
def challenge_close(*, challenge: Challenge, by: User, text: str = "", at: dt.datetime | None = None) -> Challenge:
    """The author closes the challenge (with an optional last word)."""
    at = at or timezone.now()
    challenge = _locked(challenge)
    if by.pk != challenge.author_id:
        raise DialogueError(_("Only the person who raised the challenge can close it."))
    if challenge.status == Challenge.Status.CLOSED:
        raise DialogueError(_("The challenge is already closed."))
    text = _text(text, field="text", required=False)
    challenge.status = Challenge.Status.CLOSED
    challenge.closed_at = at
    challenge.save(update_fields=["status", "closed_at"])
    _event(challenge, ChallengeEvent.Kind.CLOSED, by, text, at)
    return challenge


@transaction.atomic
def action_create(
    *, challenge: Challenge, by: User, title: str, owner: User, due: dt.date, at: dt.datetime | None = None
) -> Action:
    """Add a follow-up action to a thread: by the addressee or the author, owned by someone who sees the unit."""
    at = at or timezone.now()
    challenge = _locked(challenge)
    if by.pk not in (challenge.addressee_id, challenge.author_id):
        raise DialogueError(_("Only the two people in the thread can add actions."))
    if challenge.status == Challenge.Status.CLOSED:
        raise DialogueError(_("The challenge is closed."))
    title = _text(title, field="title", limit=MAX_TITLE)
    due = _future(due, on=timezone.localdate(at), field="due", required=True)
    if owner is None or challenge.unit_id not in thread_units(owner, timezone.localdate(at)):
        raise DialogueError(_("The owner of an action must be someone who sees the unit."), "owner")
    if challenge.actions.filter(title=title, owner=owner, status__in=Action.OPEN_STATUSES).exists():
        raise DialogueError(_("The thread already has this action."), "title")
    action = Action.objects.create(challenge=challenge, title=title, owner=owner, due=due, created_by=by, created_at=at)
    ActionEvent.objects.create(action=action, actor=by, status=action.status, at=at)
    _event(challenge, ChallengeEvent.Kind.ACTION, by, title, at)
    if owner.pk != by.pk:
        notify(
            recipient=owner,
            key=f"action:{action.pk}:assigned",
            subject=_("New action for you: %(title)s") % {"title": title},
            body=_("Due %(due)s.") % {"due": prose_date(due)},
            url=challenge.get_absolute_url(),
            unit=challenge.unit,
        )
    return action


@transaction.atomic
def action_update(*, action: Action, by: User, status: str, note: str = "", at: dt.datetime | None = None) -> Action:
    """Change an action's status (planned, under way, done, dropped): by its owner or the addressee."""
    at = at or timezone.now()
    action = Action.objects.select_for_update().select_related("challenge").get(pk=action.pk)
    if not may_update_action(by, action):
        raise DialogueError(_("Only the action's owner or the person the challenge is addressed to can change it."))
    if status not in Action.Status.values:
        raise DialogueError(_("Choose a status."), "status")
    if status == action.status:
        raise DialogueError(_("The action already has this status."), "status")
    note = _text(note, field="note", required=False)
    action.status = status
    action.done_at = at if status == Action.Status.DONE else None
    action.save(update_fields=["status", "done_at"])
    ActionEvent.objects.create(action=action, actor=by, status=status, note=note, at=at)
    _event(
        action.challenge, ChallengeEvent.Kind.ACTION_STATUS, by, f"{action.title}: {action.get_status_display()}", at
    )
    return action
