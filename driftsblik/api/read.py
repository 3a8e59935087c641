"""Read endpoints: who I am, the units I see, the indicator catalogue, figures, series, breakdowns
and targets. Each asks the same selectors and page functions as the pages, for the token's person:
a unit outside the view is a 404, small numbers are hidden the same way."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from ninja import Router

from driftsblik.api import convert
from driftsblik.api.params import EndParam, IndicatorParam, PeriodParam, StartParam, UnitParam, YearParam
from driftsblik.api.schemas import (
    BreakdownOut,
    FigureOut,
    IndicatorOut,
    Me,
    ProblemOut,
    SeriesOut,
    TargetOut,
    UnitDetail,
    UnitOut,
    en_da,
)
from driftsblik.core.periods import Month, PeriodError, month_range
from driftsblik.indicators import pages, selectors
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import UnitSpan
from driftsblik.organisation.viewer import Viewer, viewer_of
from driftsblik.organisation.visibility import today

router = Router(tags=["read"])
ERRORS: dict[int, type] = {400: ProblemOut, 401: ProblemOut, 404: ProblemOut, 429: ProblemOut}


def _unit_out(viewer: Viewer, unit_id: str) -> dict[str, object]:
    access = viewer.visible[unit_id]
    tree = viewer.tree
    return {
        "id": unit_id,
        "name": viewer.name(unit_id),
        "kind": tree.kind.get(unit_id, ""),
        "parent_id": tree.parent.get(unit_id),
        "depth": tree.depth(unit_id),
        "relation": access.relation,
        "reason": access.reason,
    }


@router.get("/me", response={200: Me, **ERRORS}, summary="The token and its person / Nøglen og dens person")
def me(request: HttpRequest) -> dict[str, object]:
    viewer = viewer_of(request)
    token = request.auth  # type: ignore[attr-defined]
    return {
        "email": viewer.user.email,
        "name": str(viewer.user),
        "token": token.name,
        "scope": token.scope,
        "expires_at": token.expires_at,
        "units_visible": len(viewer.visible),
        "unsuppressed": viewer.analyst,
    }


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="The units I see / Enhederne jeg ser")
def units(request: HttpRequest) -> list[dict[str, object]]:
    """Every unit the person sees today, root first (by depth, then name)."""
    viewer = viewer_of(request)
    ordered = sorted(viewer.visible, key=lambda u: (viewer.tree.depth(u), viewer.name(u), u))
    return [_unit_out(viewer, u) for u in ordered]


@router.get("/units/{unit_id}", response={200: UnitDetail, **ERRORS}, summary="One unit and its history / Én enhed")
def unit(request: HttpRequest, unit_id: str) -> dict[str, object]:
    viewer = viewer_of(request)
    viewer.access(unit_id)
    spans = UnitSpan.objects.filter(unit_id=unit_id).order_by("valid_from")
    history = [
        {"parent_id": s.parent_id, "name": s.name, "kind": s.kind, "valid_from": s.valid_from, "valid_to": s.valid_to}
        for s in spans
    ]
    return {**_unit_out(viewer, unit_id), "history": history}


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, summary="Indicator catalogue / Indikatorer")
def indicators(request: HttpRequest) -> list[dict[str, object]]:
    return [convert.indicator_out(i) for i in Indicator.objects.select_related("task_area")]


@router.get("/indicators/{code}", response={200: IndicatorOut, **ERRORS}, summary="One indicator / Én indikator")
def indicator(request: HttpRequest, code: str) -> dict[str, object]:
    return convert.indicator_out(pages.indicator_or_404(code))


@router.get(
    "/figures/{code}/{unit_id}",
    response={200: FigureOut, **ERRORS},
    summary="One figure / Ét tal",
    description=en_da(
        "The indicator at the unit for a period, as the pages show it to the person. Sends an ETag; "
        "with If-None-Match the answer is 304 while nothing changed.",
        "Indikatoren ved enheden for en periode, som siderne viser den for personen.",
    ),
)
def figure(request: HttpRequest, code: str, unit_id: str, period: PeriodParam = None) -> dict[str, object]:
    """`period`: YYYY-MM, YYYYQn or YYYY; by default the latest month with data."""
    viewer = viewer_of(request)
    viewer.access(unit_id)
    ind = pages.indicator_or_404(code)
    chosen = pages.resolve_period(period, pages.latest_month())
    figs = selectors.figures(viewer.user, [ind], [unit_id], chosen, trees=viewer.trees, visible=viewer.visible)
    return convert.figure_out(figs[(code, unit_id)], viewer.name(unit_id))


def _month(text: str | None, name: str) -> Month | None:
    if not text:
        return None
    try:
        return Month.parse(text)
    except PeriodError as exc:
        raise BadRequest(f"{name}: {exc}") from None


MAX_SERIES_MONTHS = 240


@router.get(
    "/figures/{code}/{unit_id}/series",
    response={200: SeriesOut, **ERRORS},
    summary="Month by month / Måned for måned",
)
def series(
    request: HttpRequest,
    code: str,
    unit_id: str,
    start: StartParam = None,
    end: EndParam = None,
) -> dict[str, object]:
    """From `start` to `end` (YYYY-MM; by default the budget year of the latest month with data), with
    the year-end forecast of `end`'s budget year."""
    viewer = viewer_of(request)
    viewer.access(unit_id)
    ind = pages.indicator_or_404(code)
    latest = pages.latest_month()
    stop = _month(end, "end") or latest or Month.of(today())
    first = _month(start, "start") or Month(stop.year, 1)
    if first > stop:
        raise BadRequest("start is after end")
    months = month_range(first, stop)
    if len(months) > MAX_SERIES_MONTHS:
        raise BadRequest(f"at most {MAX_SERIES_MONTHS} months at a time")
    points = selectors.monthly_series(viewer.user, ind, unit_id, months, trees=viewer.trees)
    fc = selectors.year_forecast(ind, unit_id, stop, viewer.trees)
    hidden = bool(selectors.forecast_mark(viewer.user, ind, unit_id, stop, fc, viewer.trees))
    return {
        "indicator": code,
        "unit_id": unit_id,
        "points": [
            {"period": str(p.month), "value": convert.number(p.value), "suppressed": p.suppressed} for p in points
        ],
        "forecast": None if fc is None or hidden else convert.number(fc.value),
        "forecast_method": None if fc is None or hidden else fc.method,
    }


@router.get(
    "/figures/{code}/{unit_id}/breakdown",
    response={200: BreakdownOut, **ERRORS},
    summary="The units under / Enhederne under",
)
def breakdown(request: HttpRequest, code: str, unit_id: str, period: PeriodParam = None) -> dict[str, object]:
    """The unit and its child units for the period, as the indicator page's breakdown (with the
    cells hidden to protect a small one marked 'secondary')."""
    viewer = viewer_of(request)
    ind = pages.indicator_or_404(code)
    chosen = pages.resolve_period(period, pages.latest_month())
    bd = pages.breakdown(viewer, ind, unit_id, chosen)
    return {
        "total": convert.figure_out(bd.total, viewer.name(unit_id)),
        "children": [convert.figure_out(f, name) for _u, name, f in bd.rows],
    }


@router.get("/targets", response={200: list[TargetOut], **ERRORS}, summary="Targets / Mål")
def targets(
    request: HttpRequest, year: YearParam, unit_id: UnitParam = None, indicator: IndicatorParam = None
) -> list[dict[str, object]]:
    """The budget year's targets at the units the person sees (or at one of them)."""
    viewer = viewer_of(request)
    if unit_id is not None:
        viewer.access(unit_id)
    units_asked = [unit_id] if unit_id else sorted(viewer.visible)
    inds = [pages.indicator_or_404(indicator)] if indicator else list(Indicator.objects.all())
    found = selectors.targets_for(inds, units_asked, [year])
    return [{"indicator": c, "unit_id": u, "year": y, "target": float(v)} for (c, u, y), v in sorted(found.items())]


__all__ = ["router"]
