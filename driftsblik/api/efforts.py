"""Cross-cutting efforts the person sees and their shared results, through the efforts app's own
access rule and selectors (the effort page's figures, suppressed the same way)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from driftsblik.api import convert
from driftsblik.api.params import PeriodParam
from driftsblik.api.read import ERRORS
from driftsblik.api.schemas import EffortOut, GoalOut
from driftsblik.efforts import selectors
from driftsblik.efforts.access import effort_or_404, visible_efforts
from driftsblik.indicators import pages
from driftsblik.organisation.viewer import viewer_of

router = Router(tags=["efforts"])


@router.get("/efforts", response={200: list[EffortOut], **ERRORS}, summary="Efforts / Tværgående indsatser")
def efforts(request: HttpRequest) -> list[dict[str, object]]:
    viewer = viewer_of(request)
    return [
        {
            "code": effort.code,
            "name": effort.name,
            "purpose": effort.purpose,
            "phase": effort.phase,
            "start": effort.start,
            "end": effort.end,
            "owner": str(effort.owner),
            "relation": access.reason,
        }
        for effort, access in visible_efforts(viewer)
    ]


@router.get(
    "/efforts/{code}/results",
    response={200: list[GoalOut], **ERRORS},
    summary="An effort's shared results / En indsats' fælles resultater",
)
def results(request: HttpRequest, code: str, period: PeriodParam = None) -> list[dict[str, object]]:
    """The shared goals for the period (by default the latest month with data), with each
    participant's part as the effort page shows it to the person."""
    viewer = viewer_of(request)
    effort, access = effort_or_404(viewer, code)
    chosen = pages.resolve_period(period, pages.latest_month())
    participants = list(effort.participants.all())
    names = {p.unit_id: viewer.name(p.unit_id) for p in participants if p.unit_id}
    goals = selectors.shared_results(
        user=viewer.user, effort=effort, access=access, period=chosen, names=names, trees=viewer.trees, with_chart=False
    )
    return [
        {
            "indicator": goal.indicator.code,
            "total": convert.figure_out(goal.total, effort.name),
            "parts": [{**convert.figure_out(part.figure, part.name), "unit_id": part.key} for part in goal.parts],
            "year_target": convert.number(goal.year_target),
        }
        for goal in goals
    ]
