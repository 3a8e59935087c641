"""Writing efforts: every change goes through these services, which refuse bad input with a clear message.

Each refusal is a `django.core.exceptions.ValidationError` whose message says what is wrong in
plain words; nothing is stored when a service refuses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from driftsblik.core.tabular import identifier_problem
from driftsblik.efforts.models import (
    Effort,
    EffortIndicator,
    EffortTarget,
    Method,
    MethodUse,
    Milestone,
    MilestoneStatus,
    Participant,
    Phase,
)
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit, User


def _choice(value: str, choices: type[models.TextChoices], what: str) -> str:
    if value not in choices.values:
        raise ValidationError(f"{what} {value!r} is not one of {', '.join(choices.values)}")
    return value


def _identifier(code: str) -> None:
    reason = identifier_problem(code)
    if reason is not None:
        raise ValidationError(reason)


@transaction.atomic
def effort_create(
    *,
    code: str,
    name: str,
    owner: User,
    start: dt.date,
    end: dt.date | None = None,
    purpose: str = "",
    phase: str = Phase.DEVELOPMENT,
    cohort: str = "",
) -> Effort:
    """Create an effort. The owner must be a member of the directorate; the end, when given, not
    before the start; the code unique."""
    if not owner.is_directorate:
        raise ValidationError(f"the owner {owner.email} is not a member of the directorate")
    if end is not None and end < start:
        raise ValidationError(f"the effort ends ({end}) before it starts ({start})")
    if not code or not name:
        raise ValidationError("an effort needs a code and a name")
    _identifier(code)
    taken = Effort.all_objects.filter(code=code).first()
    if taken is not None:
        retired = f" (retired on {taken.retired})" if taken.retired else ""
        raise ValidationError(f"an effort with code {code!r} exists already{retired}")
    return Effort.objects.create(
        code=code,
        name=name,
        purpose=purpose,
        owner=owner,
        start=start,
        end=end,
        phase=_choice(phase, Phase, "phase"),
        cohort=cohort,
    )


@transaction.atomic
def effort_update(
    *,
    effort: Effort,
    name: str,
    owner: User,
    start: dt.date,
    end: dt.date | None = None,
    purpose: str = "",
    phase: str = Phase.DEVELOPMENT,
    cohort: str = "",
) -> Effort:
    """Set an existing effort's fields, under the same rules as `effort_create`; milestones already
    recorded must still fall within its dates."""
    if not owner.is_directorate:
        raise ValidationError(f"the owner {owner.email} is not a member of the directorate")
    if end is not None and end < start:
        raise ValidationError(f"the effort ends ({end}) before it starts ({start})")
    if end is not None and effort.milestones.filter(due__gt=end).exists():
        raise ValidationError(f"the effort has milestones due after its new end ({end})")
    effort.name, effort.owner, effort.start, effort.end = name, owner, start, end
    effort.purpose, effort.phase, effort.cohort = purpose, _choice(phase, Phase, "phase"), cohort
    effort.save()
    return effort


@transaction.atomic
def effort_retire(*, code: str, day: dt.date) -> Effort:
    """Retire an effort from `day` on: the pages, the overview, the tick and new committee reports no
    longer show it, while everything recorded about it (goal, targets, participants, milestones, the
    reports already issued) is kept. Retiring a retired effort changes nothing."""
    effort = Effort.all_objects.filter(code=code).first()
    if effort is None:
        raise ValidationError(f"no effort with code {code!r}")
    if effort.retired is None:
        effort.retired = day
        effort.save(update_fields=["retired"])
    return effort


@transaction.atomic
def effort_phase_set(*, effort: Effort, phase: str) -> Effort:
    """Move the effort to another phase (development, implementation, results)."""
    effort.phase = _choice(phase, Phase, "phase")
    effort.save(update_fields=["phase"])
    return effort


@transaction.atomic
def goal_indicator_add(*, effort: Effort, indicator: Indicator) -> EffortIndicator:
    """Add an indicator to the effort's shared goal (once)."""
    if EffortIndicator.objects.filter(effort=effort, indicator=indicator).exists():
        raise ValidationError(f"{indicator.code} is already part of the shared goal of {effort.code}")
    order = EffortIndicator.objects.filter(effort=effort).count()
    return EffortIndicator.objects.create(effort=effort, indicator=indicator, sort_order=order)


@transaction.atomic
def participant_add(
    *,
    effort: Effort,
    unit: Unit | None = None,
    partner: str = "",
    contact_name: str,
    contact_email: str = "",
    role: str,
) -> Participant:
    """Add a participant: an internal unit or an external partner (exactly one), with a contact and a role.

    A unit or partner already taking part in the effort is refused.
    """
    partner = partner.strip()
    if (unit is None) == (not partner):
        raise ValidationError("a participant is either an internal unit or an external partner (give exactly one)")
    if not contact_name.strip():
        raise ValidationError("a participant needs a named contact")
    if not role.strip():
        raise ValidationError("a participant needs a role")
    if unit is not None and Participant.objects.filter(effort=effort, unit=unit).exists():
        raise ValidationError(f"the unit {unit.id} already takes part in {effort.code}")
    if partner and Participant.objects.filter(effort=effort, partner__iexact=partner).exists():
        raise ValidationError(f"the partner {partner!r} already takes part in {effort.code}")
    return Participant.objects.create(
        effort=effort,
        unit=unit,
        partner=partner,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        role=role.strip(),
    )


@transaction.atomic
def milestone_add(
    *, effort: Effort, phase: str, title: str, due: dt.date, status: str = MilestoneStatus.PLANNED
) -> Milestone:
    """Add a milestone to a phase. A milestone due after the effort's end, or before its start, is refused."""
    if effort.end is not None and due > effort.end:
        raise ValidationError(f"the milestone {title!r} is due {due}, after the effort ends ({effort.end})")
    if due < effort.start:
        raise ValidationError(f"the milestone {title!r} is due {due}, before the effort starts ({effort.start})")
    if not title.strip():
        raise ValidationError("a milestone needs a title")
    return Milestone.objects.create(
        effort=effort,
        phase=_choice(phase, Phase, "phase"),
        title=title.strip(),
        due=due,
        status=_choice(status, MilestoneStatus, "status"),
    )


@transaction.atomic
def target_set(
    *, effort: Effort, indicator: Indicator, year: int, value: Decimal, unit: Unit | None = None
) -> EffortTarget:
    """Set a shared target for a budget year: for the whole effort, or for one participating unit's part.

    The indicator must be part of the shared goal; a unit must be a participant of the effort.
    """
    if not EffortIndicator.objects.filter(effort=effort, indicator=indicator).exists():
        raise ValidationError(f"{indicator.code} is not part of the shared goal of {effort.code}")
    if unit is not None and not Participant.objects.filter(effort=effort, unit=unit).exists():
        raise ValidationError(f"the unit {unit.id} is not a participant of {effort.code}: it cannot have a target")
    if not 1900 < int(year) < 2200:
        raise ValidationError(f"{year} is not a budget year")
    value = Decimal(value)
    if not value.is_finite():
        raise ValidationError(f"{value} is not a number")
    target, _created = EffortTarget.objects.update_or_create(
        effort=effort, indicator=indicator, year=int(year), unit=unit, defaults={"value": value}
    )
    return target


@transaction.atomic
def method_define(*, code: str, name: str, description: str = "") -> Method:
    """Create or update a method of the method community."""
    if not code or not name:
        raise ValidationError("a method needs a code and a name")
    _identifier(code)
    method, _created = Method.objects.update_or_create(code=code, defaults={"name": name, "description": description})
    return method


@transaction.atomic
def method_use_add(*, participant: Participant, method: Method, since: dt.date) -> MethodUse:
    """Record that a participant uses a method since a date (once per participant and method)."""
    if MethodUse.objects.filter(participant=participant, method=method).exists():
        raise ValidationError(f"{participant} already uses the method {method.code}")
    return MethodUse.objects.create(participant=participant, method=method, since=since)
