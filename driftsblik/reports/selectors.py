"""Reading for the committee reports: their schedules, issued versions and the directors' choice of
challenges. The dialogue is read only through `driftsblik.dialogue.selectors`, as the committee (no
person): counts at the task areas' units, and the text of the challenges a director chose.

    schedule_of(committee) -> ReportSchedule | None
    choosable(task_area=..., on=...) -> list[Challenge]
    chosen_ids(committee=..., period=..., kind=..., task_area=...) -> list[int]
    chosen_section(committee=..., period=..., kind=..., task_area=..., units=..., tree=...) -> list[dict]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from driftsblik.core.periods import Period
from driftsblik.dialogue import selectors as dialogue
from driftsblik.organisation.models import Committee, TaskArea
from driftsblik.organisation.tree import Tree, tree_on
from driftsblik.reports.models import Commentary, Level, ReportSchedule
from driftsblik.ui.formats import prose_date


def schedule_of(committee: Committee) -> ReportSchedule | None:
    return ReportSchedule.objects.filter(committee=committee).select_related("committee").first()


def choosable(*, task_area: TaskArea, on: dt.date) -> list[Any]:
    """The open challenges a director may put in the report for the task area: at its units and the
    two levels below them."""
    tree = tree_on(on)
    units = [u.pk for u in task_area.units.all() if u.pk in tree]
    scope = set().union(*dialogue.report_scopes(tree, units).values()) if units else set()
    return list(dialogue.open_threads_in(scope))


def chosen_ids(*, committee: Committee, period: str, kind: str, task_area: TaskArea) -> list[int]:
    """The challenges the directors put in the report for the task area (their current commentary)."""
    rows = Commentary.objects.filter(
        committee=committee, period=period, kind=kind, task_area=task_area, level=Level.DIRECTOR
    ).order_by("unit_id", "written_at", "id")
    latest = {c.unit_id: c for c in rows}
    return list(dict.fromkeys(i for unit in sorted(latest) for i in latest[unit].challenges))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chosen_section(
    *, committee: Committee, period: Period, kind: str, task_area: TaskArea, units: list[str], tree: Tree
) -> list[dict[str, Any]]:
    """The report's `chosen` section of a task area: the open challenges the director put in the report
    in the commentary round, with their open actions."""
    ids = chosen_ids(committee=committee, period=str(period), kind=kind, task_area=task_area)
    if not ids:
        return []
    scope = set().union(*dialogue.report_scopes(tree, units).values())
    return [
        {
            "title": f"{c.indicator.name}: {_short(c.question)}",
            "unit_name": tree.name.get(c.unit_id, c.unit_id),
            "status": c.get_status_display(),
            "actions": [
                {"title": _short(a.title), "due": prose_date(a.due), "owner": str(a.owner)} for a in c.actions.all()
            ],
        }
        for c in dialogue.chosen_threads(ids, scope)
    ]


def commentary_section(
    *, committee: Committee, period: Period, kind: str, task_area: TaskArea, units: list[str], tree: Tree
) -> list[dict[str, Any]]:
    """The report's `commentary` section of a task area: its current commentary, the units' first."""
    from driftsblik.reports.commentary import current_for_report

    return current_for_report(committee=committee, period=str(period), kind=kind, task_area=task_area)
