"""The overview pages: Mit overblik, the unit page, the indicator page and Excel downloads.

Views are thin: they read the request, ask `pages` for what the person may see (every unit goes
through the visibility rule, a unit outside the view is a 404) and render it. An htmx request
(`request.htmx`) gets the page's main part only; any other request the whole page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from driftsblik.core import hooks
from driftsblik.indicators import selectors
from driftsblik.organisation.viewer import Viewer, viewer_of
from driftsblik.organisation.visibility import ABOVE
from driftsblik.ui.downloads import download
from driftsblik.ui.htmx import render_page
from driftsblik.web import export, pages

PERIOD_PARAM = "periode"
UNIT_PARAM = "enhed"


def _common(request: HttpRequest, viewer: Viewer) -> dict[str, Any]:
    latest = pages.latest_month()
    period = pages.resolve_period(request.GET.get(PERIOD_PARAM), latest)
    return {
        "viewer": viewer,
        "latest": latest,
        "period": period,
        "period_options": pages.period_options(latest, period),
        "freshness": pages.data_freshness(),
        "indicators": pages.key_indicators(),
    }


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Mit overblik: my unit's scorecard, the units under me, the two levels over me, my peers."""
    viewer = viewer_of(request)
    context = _common(request, viewer)
    homes = viewer.home_units()
    chosen = request.GET.get(UNIT_PARAM) or (homes[0] if homes else None)
    if chosen is not None and chosen not in homes:
        raise Http404("Not one of your units")
    context.update({"homes": [(u, viewer.name(u)) for u in homes], "unit_id": chosen})
    context["role"] = pages.role_of(viewer, chosen)
    context["user_unit_name"] = ", ".join(viewer.name(u) for u in homes)
    if chosen is not None:
        period, indicators = context["period"], context["indicators"]
        above = [
            u
            for u in viewer.tree.ancestors(chosen)[:2]
            if viewer.visible.get(u) and viewer.visible[u].relation == ABOVE
        ]
        cards = pages.scorecards(viewer, [chosen, *above], period, indicators, context["latest"])
        context.update(
            {
                "unit_name": viewer.name(chosen),
                "scorecard": cards[chosen],
                "above": [cards[u] for u in above],
                "heat": pages.heat_table(viewer, chosen, period, indicators, levels=2),
                "peers": pages.peer_table(viewer, chosen, period, indicators),
            }
        )
    return render_page(request, "web/overview.html", context)


@require_GET
@login_required
def unit(request: HttpRequest, unit_id: str) -> HttpResponse:
    """A unit: the leadership chain, its leaders, its scorecard and the units under it that the person sees."""
    viewer = viewer_of(request)
    access = viewer.access(unit_id)
    context = _common(request, viewer)
    period, indicators = context["period"], context["indicators"]
    context.update(
        {
            "unit_id": unit_id,
            "unit_name": viewer.name(unit_id),
            "unit_kind": viewer.tree.kind.get(unit_id),
            "access": access,
            "breadcrumb": pages.breadcrumb(viewer, unit_id),
            "leaders": pages.leaders_of([unit_id])[unit_id],
            "scorecard": pages.scorecards(viewer, [unit_id], period, indicators, context["latest"])[unit_id],
            "heat": pages.heat_table(viewer, unit_id, period, indicators, levels=1),
            "has_children": bool(viewer.tree.children.get(unit_id)),
        }
    )
    return render_page(request, "web/unit.html", context)


@require_GET
@login_required
def indicator(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    """An indicator at a unit: its definition, the year month by month, and the units under it."""
    viewer = viewer_of(request)
    access = viewer.access(unit_id)
    ind = pages.indicator_or_404(code)
    context = _common(request, viewer)
    period = context["period"]
    context.update(
        {
            "unit_id": unit_id,
            "unit_name": viewer.name(unit_id),
            "access": access,
            "indicator": ind,
            "formula": pages.formula(ind),
            "breadcrumb": pages.breadcrumb(viewer, unit_id),
            "breakdown": pages.breakdown(viewer, ind, unit_id, period),
            "trend": pages.trend(viewer, ind, unit_id, period, context["latest"]),
            "figure_sources": selectors.figure_sources(indicator=ind, period=period),
        }
    )
    return render_page(request, "web/indicator.html", context)


@require_GET
@login_required
def export_table(request: HttpRequest, table: str, unit_id: str) -> HttpResponse:
    """A table the person sees, as an Excel workbook holding exactly the page's rows and columns."""
    viewer = viewer_of(request)
    viewer.access(unit_id)
    entry = hooks.get(hooks.ExcelTable, table)
    if entry is None or entry.url_name != "export":
        raise Http404("No such table")
    latest = pages.latest_month()
    period = pages.resolve_period(request.GET.get(PERIOD_PARAM), latest)
    code = request.GET.get("indikator")
    ind = pages.indicator_or_404(code) if entry.indicator else None
    filename, content = export.workbook(
        viewer, table=table, unit_id=unit_id, period=period, indicator=ind, latest=latest
    )
    return download(content, filename)
