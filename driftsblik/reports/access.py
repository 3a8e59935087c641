"""Who may see and do what with committee reports (on top of the one visibility rule).

- A leader sees a committee's reports (the live preview, the issued ones, the differences) when
  every unit of the committee's task areas is in their view (`organisation.visibility`); the
  directorate, analysts and administrators see every committee.
- Committee members (politicians, `ReportSchedule.members`) see their committee's issued
  reports and nothing else.
- Committee secretaries issue reports: members of the `secretaries` group, of the directorate,
  and administrators. They see every committee's reports.
- Commentary is written only by the leader responsible for it (`reports.commentary`).
Anything else is a 404: a report outside a person's view does not exist for them.
"""

from __future__ import annotations

from django.http import Http404

from driftsblik.organisation.models import Committee, TaskArea, User
from driftsblik.organisation.visibility import is_directorate, sees_everything, visible_units

SECRETARY_GROUP = "secretaries"


def is_secretary(user: User) -> bool:
    """May issue reports: the `secretaries` group, the directorate, administrators."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or is_directorate(user) or user.groups.filter(name=SECRETARY_GROUP).exists())


def committee_units() -> dict[int, set[str]]:
    """The units of every committee's task areas, by committee id (one query)."""
    rows = TaskArea.units.through.objects.select_related("taskarea").values_list("taskarea__committee_id", "unit_id")
    by_committee: dict[int, set[str]] = {}
    for committee_id, unit_id in rows:
        by_committee.setdefault(committee_id, set()).add(unit_id)
    return by_committee


def previewable(user: User) -> list[Committee]:
    """Committees whose live reports the person may read (every task-area unit in their view)."""
    committees = list(Committee.objects.order_by("code"))
    if not user.is_authenticated:
        return []
    if is_secretary(user) or sees_everything(user):
        return committees
    visible = visible_units(user)
    units = committee_units()
    return [c for c in committees if units.get(c.pk) and units[c.pk] <= visible.keys()]


def member_of(user: User) -> list[Committee]:
    if not user.is_authenticated:
        return []
    return list(Committee.objects.filter(report_schedule__members=user).order_by("code"))


def readable(user: User) -> list[Committee]:
    """Committees whose issued reports the person may read."""
    seen = {c.pk: c for c in previewable(user)}
    for committee in member_of(user):
        seen.setdefault(committee.pk, committee)
    return sorted(seen.values(), key=lambda c: c.code)


def preview_or_404(user: User, code: str) -> Committee:
    committee = next((c for c in previewable(user) if c.code == code), None)
    if committee is None:
        raise Http404("No such committee")
    return committee


def issued_or_404(user: User, code: str) -> Committee:
    committee = next((c for c in readable(user) if c.code == code), None)
    if committee is None:
        raise Http404("No such committee")
    return committee
