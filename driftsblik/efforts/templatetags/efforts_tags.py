"""Efforts in templates: `{% load efforts_tags %}`, `{% my_efforts request.user %}` for "Mit overblik"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from driftsblik.core.periods import Month, Period
from driftsblik.efforts.models import Effort, MilestoneStatus

register = template.Library()


@register.filter
def milestone_status(value: str) -> str:
    """A milestone's status in words (late is also a word, not only a colour)."""
    return {
        MilestoneStatus.PLANNED: _("Planned"),
        MilestoneStatus.UNDER_WAY: _("Under way"),
        MilestoneStatus.DONE: _("Done"),
        MilestoneStatus.LATE: _("Late"),
    }.get(value, value)


def involved(access: Any, participating: set[str], led: list[str], tree: Any) -> bool:
    """Takes part in the effort: owns it, is a participant's contact or leads a participating unit, leads a
    unit inside one (a team of a participating institution), or leads a unit above one within the radius
    of the visibility rule (a director whose area takes part), or is in the directorate."""
    if access.takes_part or access.reason == "directorate":
        return True
    for unit in led:
        chain = {unit, *tree.ancestors(unit)}
        if chain & participating:
            return True
        if any(unit in tree.ancestors(p) and p in access.visible for p in participating):
            return True
    return False


@register.inclusion_tag("efforts/_my_efforts.html", takes_context=True)
def my_efforts(context: template.Context, user: Any) -> dict[str, Any]:
    """The cross-cutting efforts the person takes part in, with the shared goal's status, for the overview."""
    if not Effort.objects.exists():
        return {"lines": [], "period": None}
    from driftsblik.efforts.access import Looker, visible_efforts
    from driftsblik.efforts.selectors import effort_lines
    from driftsblik.organisation.tree import tree_on
    from driftsblik.organisation.visibility import today
    from driftsblik.web.pages import latest_month

    viewer = context.get("viewer")
    looker = Looker.of(user, visible=viewer.visible if viewer is not None else None)
    period = context.get("period")
    if not isinstance(period, Period):
        period = Period.month(latest_month() or Month.of(today()))
    tree = viewer.tree if viewer is not None else tree_on(today())
    pairs = [
        (effort, access)
        for effort, access in visible_efforts(looker)
        if involved(access, {p.unit_id for p in effort.participants.all() if p.unit_id}, looker.led, tree)
    ]
    trees = viewer.trees if viewer is not None else None
    return {"lines": effort_lines(user, pairs, period, trees), "period": period}


@register.inclusion_tag("efforts/_report_section.html")
def effort_section(summary: Any, heading_level: int = 3) -> dict[str, Any]:
    """An effort as a section of a committee report, from `selectors.effort_summary`:
    `{% effort_section summary 3 %}` (the heading level fits the report's outline)."""
    return {"summary": summary, "h": max(2, min(int(heading_level), 6))}
