"""The commentary round before a report is issued: who writes, by when, and chasing what is missing.

Bottom-up, with cascading deadlines: for each task area of the committee, the leaders of its
units (sectors, institutions) comment first (the schedule's unit deadline), then the director
of the directorate area above them (a later deadline), who sees the units' commentary, writes on
top of it and adds an example from operations ("fra driften"). A budget follow-up is commented
by the directors only (by the unit's own leader where no directorate area is above it). Only the responsible leader may
write a slot. Missing commentary is reminded and escalated by the shared rule of
`driftsblik.notifications.services.remind_and_escalate`, keyed
`report:<committee>:<period>:<kind>:<task area>:<unit>`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from driftsblik.notifications.services import DueItem, notify, remind_and_escalate
from driftsblik.organisation.leaders import leaders_on
from driftsblik.organisation.models import Committee, TaskArea, Unit, UnitKind, User
from driftsblik.organisation.tree import Tree, tree_on
from driftsblik.organisation.visibility import led_units
from driftsblik.reports import selectors
from driftsblik.reports.cadence import Due, open_rounds
from driftsblik.reports.models import Commentary, IssuedReport, Level, ReportKind, ReportSchedule
from driftsblik.ui.formats import prose_date

MAX_TEXT = 4000


@dataclass(frozen=True)
class Slot:
    """One commentary owed: a task area at a unit and level, by its leader, by a date."""

    task_area: TaskArea
    unit_id: str
    unit_name: str
    level: str
    leader: User | None
    due: dt.date


def director_unit(tree: Tree, unit_id: str) -> str | None:
    """The directorate area above a unit (None when the unit is itself an area or the root)."""
    for ancestor in tree.ancestors(unit_id):
        if tree.kind.get(ancestor) == UnitKind.AREA:
            return ancestor
    return None


def slots(
    *,
    due: Due,
    committee: Committee,
    on: dt.date,
    tree: Tree | None = None,
    task_areas: list[TaskArea] | None = None,
    leaders: dict[str, User | None] | None = None,
) -> list[Slot]:
    """Every commentary owed for the due report: the units' first, then the directors'.

    `task_areas` (the committee's, units prefetched) and `leaders` (by unit, from `leaders_on`):
    when the caller already has them.
    """
    tree = tree or tree_on(on)
    if task_areas is None:
        task_areas = list(TaskArea.objects.filter(committee=committee).prefetch_related("units").order_by("code"))
    owed: list[tuple[TaskArea, str, str, dt.date]] = []
    for task_area in task_areas:
        units = [u.pk for u in task_area.units.all() if u.pk in tree.parent]
        directors: list[str] = []
        for unit in units:
            above = director_unit(tree, unit)
            if above and above not in directors and above not in units:
                directors.append(above)
            if due.kind == ReportKind.BUDGET and above:
                continue  # the budget follow-up is commented by the directors only
            owed.append((task_area, unit, Level.UNIT, due.unit_deadline))
        for unit in directors:
            owed.append((task_area, unit, Level.DIRECTOR, due.director_deadline))
    if leaders is None:
        leaders = leaders_on({unit for _, unit, _, _ in owed}, on)
    return [
        Slot(task_area, unit, tree.name[unit], level, leaders.get(unit), deadline)
        for task_area, unit, level, deadline in owed
    ]


def current(*, committee: Committee, period: str, kind: str) -> dict[tuple[str, str], Commentary]:
    """The current commentary per (task area code, unit id): the latest row of each."""
    rows = (
        Commentary.objects.filter(committee=committee, period=period, kind=kind)
        .select_related("author", "task_area")
        .order_by("written_at", "id")
    )
    return {(c.task_area.code, c.unit_id): c for c in rows}


def current_for_report(*, committee: Committee, period: str, kind: str, task_area: TaskArea) -> list[dict[str, Any]]:
    """The task area's current commentary as the report prints it: the units' first, the director's last."""
    latest = current(committee=committee, period=period, kind=kind)
    tree = tree_on(timezone.localdate())
    rows = [c for (code, _), c in latest.items() if code == task_area.code]
    rows.sort(key=lambda c: (c.level == Level.DIRECTOR, c.unit_id))
    return [
        {
            "level": c.level,
            "unit_id": c.unit_id,
            "unit_name": tree.name.get(c.unit_id, c.unit_id),
            "author": str(c.author),
            "text": c.text,
            "examples": [p.strip() for p in c.example.split("\n\n") if p.strip()],
            "written_at": c.written_at.isoformat(timespec="minutes"),
        }
        for c in rows
    ]


@transaction.atomic
def commentary_write(
    *,
    author: User,
    committee: Committee,
    due: Due,
    task_area: TaskArea,
    unit: Unit,
    text: str,
    example: str = "",
    challenges: list[int] | None = None,
    now: dt.datetime | None = None,
) -> Commentary:
    """Add the leader's commentary for a task area at a unit (a new row; earlier ones stay as history).

    Only the leader responsible for that slot may write; an example from operations belongs to
    the director's commentary, and so does the choice of open challenges (`challenges`, among
    `selectors.choosable`) whose text goes into the report. After the report is issued, commentary
    still written goes into a version issued later, never into the issued one.
    """
    now = now or timezone.now()
    slot = next(
        (
            s
            for s in slots(due=due, committee=committee, on=timezone.localdate(now))
            if s.task_area.pk == task_area.pk and s.unit_id == unit.pk
        ),
        None,
    )
    if slot is None or slot.leader is None or slot.leader.pk != author.pk:
        raise PermissionDenied("Only the leader responsible for this commentary may write it.")
    text, example = text.strip(), example.strip()
    if not text:
        raise ValidationError({"text": "Write the commentary."})
    if len(text) > MAX_TEXT or len(example) > MAX_TEXT:
        raise ValidationError({"text": f"At most {MAX_TEXT} characters."})
    if example and slot.level != Level.DIRECTOR:
        raise ValidationError({"example": "Examples from operations are added by the director."})
    chosen = list(dict.fromkeys(challenges or []))
    if chosen and slot.level != Level.DIRECTOR:
        raise ValidationError({"challenges": "Challenges are put in the report by the director."})
    if set(chosen) - {c.pk for c in selectors.choosable(task_area=task_area, on=timezone.localdate(now))}:
        raise ValidationError({"challenges": "Only open challenges of the task area can go into the report."})
    return Commentary.objects.create(
        committee=committee,
        period=str(due.period),
        kind=due.kind,
        task_area=task_area,
        unit=unit,
        level=slot.level,
        author=author,
        text=text,
        example=example,
        challenges=chosen,
        written_at=now,
    )


def is_issued(committee: Committee, due: Due) -> bool:
    return IssuedReport.objects.filter(committee=committee, period=str(due.period), kind=due.kind).exists()


def owed_by(user: User, *, today: dt.date) -> list[tuple[Due, Slot, bool]]:
    """The commentary slots of open rounds the person is responsible for, with whether each is written.

    Shown on every overview, so it costs one query for a person who leads nothing and a handful
    otherwise, however many committees, task areas and rounds there are.
    """
    owed: list[tuple[Due, Slot, bool]] = []
    led = set(led_units(user, today))
    if not led:
        return owed
    schedules = list(ReportSchedule.objects.select_related("committee"))
    if not schedules:
        return owed
    tree = tree_on(today)
    task_areas: dict[int, list[TaskArea]] = {}
    for task_area in TaskArea.objects.prefetch_related("units").order_by("code"):
        task_areas.setdefault(task_area.committee_id, []).append(task_area)
    issued = set(IssuedReport.objects.values_list("committee_id", "period", "kind").distinct())
    # Only the person's own units matter here: one query for who leads those (co-leaders: the first).
    leaders = leaders_on(led, today)
    for schedule in schedules:
        committee = schedule.committee
        for due in open_rounds(schedule, today):
            if (committee.pk, str(due.period), due.kind) in issued:
                continue
            areas = task_areas.get(committee.pk, [])
            mine = [
                slot
                for slot in slots(due=due, committee=committee, on=today, tree=tree, task_areas=areas, leaders=leaders)
                if slot.leader is not None and slot.leader.pk == user.pk
            ]
            owed.extend((due, slot, False) for slot in mine)
    if not owed:
        return owed
    # What is written, for every round at once: (committee, period, kind, task area, unit).
    written = set(
        Commentary.objects.filter(
            committee_id__in={slot.task_area.committee_id for _, slot, _ in owed},
            period__in={str(due.period) for due, _, _ in owed},
            unit_id__in=led,
        ).values_list("committee_id", "period", "kind", "task_area__code", "unit_id")
    )
    return [(due, slot, _key(due, slot) in written) for due, slot, _ in owed]


def _key(due: Due, slot: Slot) -> tuple[int, str, str, str, str]:
    return (slot.task_area.committee_id, str(due.period), due.kind, slot.task_area.code, slot.unit_id)


def report_url(committee_code: str, due: Due) -> str:
    return reverse("reports:preview", args=[committee_code, str(due.period), due.kind])


def chase(*, today: dt.date) -> tuple[int, int]:
    """Open rounds: tell each responsible leader once that a round is open, remind and escalate
    missing commentary after its deadline, and once the director's deadline has passed tell the
    committee secretaries the report can be issued. Returns (requests sent, other notifications sent)."""
    opened = sent = 0
    tree = tree_on(today)
    for schedule in ReportSchedule.objects.select_related("committee"):
        committee = schedule.committee
        for due in open_rounds(schedule, today):
            if is_issued(committee, due):
                continue
            written = current(committee=committee, period=str(due.period), kind=due.kind)
            url = report_url(committee.code, due)
            owed = slots(due=due, committee=committee, on=today, tree=tree)
            for slot in owed:
                if slot.leader is None:
                    continue
                key = f"report:{committee.code}:{due.period}:{due.kind}:{slot.task_area.code}:{slot.unit_id}"
                what = f"{due.title} til {committee.name}: {slot.task_area.name} ({slot.unit_name})"
                if notify(
                    recipient=slot.leader,
                    key=f"{key}:opened",
                    subject=f"Kommentar til {what}",
                    body=f"Skriv din kommentar til {what} senest {prose_date(slot.due)}.",
                    url=url,
                    unit=Unit(pk=slot.unit_id),
                ):
                    opened += 1
                if (slot.task_area.code, slot.unit_id) in written:
                    continue
                item = DueItem(
                    key=key,
                    owner=slot.leader,
                    unit=Unit(pk=slot.unit_id),
                    due=slot.due,
                    subject=f"Mangler: kommentar til {what}",
                    body=f"Kommentaren til {what} skulle være skrevet senest {prose_date(slot.due)}.",
                    url=url,
                    escalation_subject=f"Mangler stadig: {slot.leader}s kommentar til {what}",
                    escalation_body=f"{slot.leader} har ikke skrevet kommentaren til {what}, "
                    f"som skulle være skrevet senest {prose_date(slot.due)}.",
                )
                sent += len(remind_and_escalate(item, today=today))
            if today > due.director_deadline:
                sent += _tell_secretaries(committee, due, url, missing=len(owed) - len(written_keys(written, owed)))
    return opened, sent


def tick(*, today: dt.date) -> str:
    """The reports' part of `driftsblik tick`: commentary rounds announced, missing commentary
    reminded and escalated (each once)."""
    opened, sent = chase(today=today)
    return f"{opened} commentary requests, {sent} reminders and escalations"


def written_keys(written: dict[tuple[str, str], Commentary], owed: list[Slot]) -> set[tuple[str, str]]:
    return {(s.task_area.code, s.unit_id) for s in owed} & set(written)


def _tell_secretaries(committee: Committee, due: Due, url: str, *, missing: int) -> int:
    """Once the director's deadline has passed, the committee secretaries hear that the report can be issued."""
    from driftsblik.reports.access import SECRETARY_GROUP

    state = (
        "alle kommentarer er skrevet"
        if missing == 0
        else f"{missing} {'kommentar' if missing == 1 else 'kommentarer'} mangler stadig"
    )
    told = 0
    for secretary in User.objects.filter(groups__name=SECRETARY_GROUP, is_active=True).order_by("email"):
        if notify(
            recipient=secretary,
            key=f"report:{committee.code}:{due.period}:{due.kind}:ready",
            subject=f"Klar til udsendelse: {due.title} til {committee.name}",
            body=f"Fristen for kommentarer til {due.title} er passeret ({state}). Mødet er {prose_date(due.meeting)}.",
            url=url,
        ):
            told += 1
    return told


def history(*, committee: Committee, period: str, kind: str, task_area: TaskArea, unit_id: str) -> list[Commentary]:
    """Every version of one commentary, newest first."""
    return list(
        Commentary.objects.filter(committee=committee, period=period, kind=kind, task_area=task_area, unit_id=unit_id)
        .select_related("author")
        .order_by("-written_at", "-id")
    )
