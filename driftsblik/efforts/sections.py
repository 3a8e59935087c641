"""The efforts on other apps' pages: "Cross-cutting efforts I take part in" on "Mit overblik".

Registered as an `OverviewSection` in `EffortsConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from django import template

from driftsblik.core.periods import Month, Period
from driftsblik.efforts.access import visible_efforts
from driftsblik.efforts.models import Effort
from driftsblik.efforts.selectors import effort_lines
from driftsblik.organisation.viewer import viewer_of
from driftsblik.web.pages import latest_month


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


def my_efforts(page: template.Context) -> dict[str, Any]:
    """The cross-cutting efforts the person takes part in, with the shared goal's status, for the overview."""
    if not Effort.objects.exists():
        return {"lines": [], "period": None}
    viewer = viewer_of(page["request"])
    period = page.get("period")
    if not isinstance(period, Period):
        period = Period.month(latest_month() or Month.of(viewer.day))
    pairs = [
        (effort, access)
        for effort, access in visible_efforts(viewer)
        if involved(access, {p.unit_id for p in effort.participants.all() if p.unit_id}, viewer.led, viewer.tree)
    ]
    return {"lines": effort_lines(viewer.user, pairs, period, viewer.trees), "period": period}
