"""Making what units have said about their figures, for the tests of the "why" beside a figure: report
commentary written straight into the table, and challenges raised and answered through the dialogue's
own services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from driftsblik.dialogue import services
from driftsblik.dialogue.models import Challenge
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Committee, TaskArea, Unit, User
from driftsblik.reports.models import Commentary

DAY = dt.datetime(2025, 4, 10, 9, 0, tzinfo=dt.UTC)


def at(days: int) -> dt.datetime:
    """A moment `days` after the first explanation's day."""
    return DAY + dt.timedelta(days=days)


def comment(
    unit_id: str,
    text: str,
    *,
    by: User,
    task_area: str,
    when: dt.datetime = DAY,
    period: str = "2025Q1",
    kind: str = "status",
) -> Commentary:
    area = TaskArea.objects.get(code=task_area)
    return Commentary.objects.create(
        committee=Committee.objects.get(pk=area.committee_id),
        period=period,
        kind=kind,
        task_area=area,
        unit_id=unit_id,
        level="unit",
        author=by,
        text=text,
        written_at=when,
    )


def raise_(code: str, unit_id: str, *, by: User, period: str = "2025-03", when: dt.datetime | None = None) -> Challenge:
    return services.challenge_raise(
        author=by,
        unit=Unit.objects.get(pk=unit_id),
        indicator=Indicator.objects.get(code=code),
        period=period,
        question="Hvorfor ligger tallet her?",
        at=when or timezone.now(),
    )


def answered(
    code: str, unit_id: str, text: str, *, by: User, to: User, when: dt.datetime = DAY, period: str = "2025-03"
) -> Challenge:
    """A challenge by `by` at the unit, answered by its leader `to` with `text` at `when`."""
    challenge = raise_(code, unit_id, by=by, period=period, when=when - dt.timedelta(days=2))
    return services.challenge_answer(challenge=challenge, by=to, text=text, at=when)
