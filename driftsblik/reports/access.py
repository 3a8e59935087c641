"""Who may read and do what with committee reports. Anyone else gets a 404: a report a person may
not read does not exist for them, in its pages, its PDF and HTML, and the report list alike.

- A draft (the live report of a period, its PDF, the commentary round, the changes since an
  issued version) is open to those who write it: the committee secretaries (the `secretaries`
  group, the directorate and administrators), the leaders of the directorate areas above the
  committee's task-area units and of the municipality (the directors, who write on top), all of
  it; and each leader of a task-area unit for their own part only (their task area at their unit).
- An issued report is open to its recipients (`ReportSchedule.recipients`), the committee's
  members, the committee secretaries and the directorate, and the leaders of the units it was
  built for (`snapshot["readers"]["units"]`: its task-area units and the areas above them).
- Commentary is written only by the leader responsible for it (`reports.commentary`).

What a report shows does not depend on who reads it: its units and figures are the committee's
level of detail, fixed when it is built (`reports.build`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from driftsblik.organisation.models import Committee, TaskArea, UnitKind, User
from driftsblik.organisation.tree import Tree, tree_on
from driftsblik.organisation.visibility import is_directorate, led_units
from driftsblik.reports.models import IssuedReport, ReportSchedule

SECRETARY_GROUP = "secretaries"

Part = tuple[str, str]  # (task area code, unit id)


@dataclass(frozen=True)
class Draft:
    """What of a committee's draft a person reads: all of it, or only their own parts."""

    whole: bool
    parts: frozenset[Part] = frozenset()


def is_secretary(user: User) -> bool:
    """May issue reports: the `secretaries` group, the directorate, administrators."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or is_directorate(user) or user.groups.filter(name=SECRETARY_GROUP).exists())


def committee_parts() -> dict[int, list[Part]]:
    """The (task area, unit) pairs of every committee, by committee id (one query)."""
    rows = TaskArea.units.through.objects.values_list("taskarea__committee_id", "taskarea__code", "unit_id")
    by_committee: dict[int, list[Part]] = {}
    for committee_id, task_area, unit_id in rows.order_by("taskarea__code", "unit_id"):
        by_committee.setdefault(committee_id, []).append((task_area, unit_id))
    return by_committee


def committee_units() -> dict[int, set[str]]:
    """The units of every committee's task areas, by committee id (one query)."""
    return {c: {unit for _, unit in parts} for c, parts in committee_parts().items()}


def director_units(tree: Tree, units: set[str]) -> set[str]:
    """The units whose leaders write a report on top of its units' leaders: the directorate area above
    each unit (or the unit, when it is an area) and the root of the tree."""
    found = set(tree.roots)
    for unit in units:
        if unit not in tree:
            continue
        if tree.kind.get(unit) == UnitKind.AREA:
            found.add(unit)
        found.update(a for a in tree.ancestors(unit) if tree.kind.get(a) == UnitKind.AREA)
    return found


def reader_units(tree: Tree, units: set[str]) -> list[str]:
    """The units whose leaders read an issued report built for `units`: those and the writers above."""
    return sorted({u for u in units if u in tree} | director_units(tree, units))


def drafts(
    user: User, *, on: dt.date | None = None, led: list[str] | None = None, tree: Tree | None = None
) -> dict[int, Draft]:
    """The committees whose drafts the person may read, by committee id, and how much of each (`led`,
    `tree`: the units the person leads on `on` and the tree of that day, when the caller has them)."""
    if not user.is_authenticated:
        return {}
    parts = committee_parts()
    if is_secretary(user):
        return {c: Draft(whole=True) for c in Committee.objects.values_list("pk", flat=True)}
    on = on or timezone.localdate()
    led_set = set(led if led is not None else led_units(user, on))
    if not led_set:
        return {}
    tree = tree or tree_on(on)
    found: dict[int, Draft] = {}
    for committee_id, pairs in parts.items():
        if led_set & director_units(tree, {u for _, u in pairs}):
            found[committee_id] = Draft(whole=True)
        elif mine := frozenset(p for p in pairs if p[1] in led_set):
            found[committee_id] = Draft(whole=False, parts=mine)
    return found


def draft_or_404(user: User, code: str, *, whole: bool = False) -> tuple[Committee, Draft]:
    """The committee and what of its draft the person reads; a 404 when nothing (or, with `whole`,
    not all of it)."""
    committee = Committee.objects.filter(code=code).first()
    draft = drafts(user).get(committee.pk) if committee else None
    if committee is None or draft is None or (whole and not draft.whole):
        raise Http404("No such report")
    return committee, draft


def member_of(user: User) -> list[Committee]:
    if not user.is_authenticated:
        return []
    return list(Committee.objects.filter(members=user).order_by("code"))


def _receives(user: User) -> set[int]:
    """Committees whose issued reports the person reads in full: as a member or a recipient."""
    found = {c.pk for c in member_of(user)}
    email = (user.email or "").strip().lower()
    if email:
        for schedule in ReportSchedule.objects.filter(recipients__icontains=email):
            if email in (r.lower() for r in schedule.recipient_list):
                found.add(schedule.committee_id)
    return found


def issued_readable(user: User, *, on: dt.date | None = None, led: list[str] | None = None) -> QuerySet[IssuedReport]:
    """The issued reports the person may read (heavy fields deferred; `led`: the units the person leads
    on `on`, when the caller has them)."""
    reports = IssuedReport.objects.select_related("committee").defer("html", "pdf", "snapshot")
    if not user.is_authenticated:
        return reports.none()
    if is_secretary(user):
        return reports
    whole = _receives(user)
    on = on or timezone.localdate()
    led_set = set(led if led is not None else led_units(user, on))
    by_units: set[int] = set()
    if led_set:
        rows = IssuedReport.objects.exclude(committee_id__in=whole).values_list(
            "pk", "committee_id", "snapshot__readers__units"
        )
        earlier: dict[int, set[str]] = {}  # issued before reports named their readers: today's units
        for pk, committee_id, units in rows:
            if units is None and committee_id not in earlier:
                earlier[committee_id] = set(reader_units(tree_on(on), committee_units().get(committee_id, set())))
            if led_set & (set(units) if units is not None else earlier[committee_id]):
                by_units.add(pk)
    return reports.filter(Q(committee_id__in=whole) | Q(pk__in=by_units))


def issued_or_404(user: User, pk: int) -> IssuedReport:
    """An issued report the person may read, or a 404."""
    if not issued_readable(user).filter(pk=pk).exists():
        raise Http404("No such report")
    return IssuedReport.objects.select_related("committee", "issued_by").get(pk=pk)
