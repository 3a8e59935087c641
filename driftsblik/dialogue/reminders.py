"""The dialogue's part of `driftsblik tick`: overdue answers and actions are reminded and escalated.

A challenge awaiting an answer after its answer date is reminded to its addressee; an action
planned or under way after its due date to its owner. After `DRIFTSBLIK_REMINDER_GRACE_DAYS`
the owner's own leader is told as well: the leader one level above the challenge's unit, or for
an action owned by the leader of a unit just under it, that unit's leader above. Each once: the notification key
carries the item and its date (`challenge:12:2025-03-10`), so a new date after "ask again" is a
new reminder, and a second run the same day sends nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from driftsblik.core.periods import Period
from driftsblik.dialogue.models import Action, Challenge
from driftsblik.notifications.services import DueItem, remind_and_escalate
from driftsblik.organisation.models import Unit
from driftsblik.organisation.tree import Tree, tree_on
from driftsblik.organisation.visibility import led_units
from driftsblik.ui.formats import prose_date


def _about(challenge: Challenge, names: dict[str, str]) -> str:
    unit = names.get(challenge.unit_id, challenge.unit_id)
    return f"{challenge.indicator.name}, {unit}, {Period.parse(challenge.period).label_da}"


def _owners_unit(action: Action, tree: Tree, today: dt.date) -> Unit:
    """Where an action's escalation starts: the unit its owner leads in the thread (the challenge's
    unit or one just under it, for an action handed down), so the owner's own leader is told."""
    here = action.challenge.unit_id
    candidates = [here, *tree.children.get(here, [])]
    led = set(led_units(action.owner, today))
    for unit_id in candidates:
        if unit_id in led:
            return action.challenge.unit if unit_id == here else Unit.objects.get(pk=unit_id)
    return action.challenge.unit


def remind_overdue(*, today: dt.date) -> str:
    """Remind and escalate every overdue answer and action; a one-line summary."""
    tree = tree_on(today)
    names = tree.name
    sent = 0
    challenges = Challenge.objects.filter(status=Challenge.Status.OPEN, answer_by__lt=today).select_related(
        "indicator", "unit", "addressee"
    )
    for challenge in challenges:
        about = _about(challenge, names)
        due = prose_date(challenge.answer_by)
        item = DueItem(
            key=f"challenge:{challenge.pk}:{challenge.answer_by.isoformat()}",
            owner=challenge.addressee,
            unit=challenge.unit,
            due=challenge.answer_by,
            subject=_("Answer overdue: %(about)s") % {"about": about},
            body=_("A challenge awaits your answer; it was due %(due)s.") % {"due": due},
            url=challenge.get_absolute_url(),
            escalation_subject=_("Not answered: %(about)s") % {"about": about},
            escalation_body=_("%(owner)s has not answered a challenge that was due %(due)s.")
            % {"owner": challenge.addressee, "due": due},
        )
        sent += len(remind_and_escalate(item, today=today))
    actions = Action.objects.filter(status__in=Action.OPEN_STATUSES, due__lt=today).select_related(
        "owner", "challenge", "challenge__unit", "challenge__indicator"
    )
    for action in actions:
        about = _about(action.challenge, names)
        unit = _owners_unit(action, tree, today)
        due = prose_date(action.due)
        item = DueItem(
            key=f"action:{action.pk}:{action.due.isoformat()}",
            owner=action.owner,
            unit=unit,
            due=action.due,
            subject=_("Action overdue: %(title)s") % {"title": action.title},
            body=_("The action «%(title)s» (%(about)s) was due %(due)s.")
            % {"title": action.title, "about": about, "due": due},
            url=action.challenge.get_absolute_url(),
            escalation_subject=_("Action not done: %(title)s") % {"title": action.title},
            escalation_body=_("%(owner)s has not finished the action «%(title)s» (%(about)s), due %(due)s.")
            % {"owner": action.owner, "title": action.title, "about": about, "due": due},
        )
        sent += len(remind_and_escalate(item, today=today))
    return f"{len(challenges)} overdue answer(s), {len(actions)} overdue action(s), {sent} notification(s) sent"
