"""The indicator pages: a unit's figures, an indicator at a unit, and their Excel downloads.

Views are thin: they read the request, ask `pages` for what the person may see (every unit goes
through the visibility rule, a unit outside the view is a 404) and render it. An htmx request
(`request.htmx`) gets the page's main part only; any other request the whole page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from driftsblik.core import hooks
from driftsblik.indicators import explanations, export, pages, selectors
from driftsblik.organisation.leaders import all_leaders_on
from driftsblik.organisation.viewer import viewer_of
from driftsblik.ui import place
from driftsblik.ui.downloads import download
from driftsblik.ui.htmx import render_page

PERIOD_PARAM = place.PERIOD_PARAM
QUERY_PARAM = "q"


@require_GET
@login_required
def unit(request: HttpRequest, unit_id: str) -> HttpResponse:
    """A unit: the leadership chain, its leaders, its scorecard (every indicator with figures at or below
    it, by task area, the key ones first) and the units under it that the person sees (the key
    indicators, or one task area's: `?omraade=`)."""
    viewer = viewer_of(request)
    access = viewer.access(unit_id)
    place.keep_unit(request, unit_id)
    context = pages.common_context(viewer, place.period_text(request))
    period, every = context["period"], context["all_indicators"]
    context.update(
        {
            "unit_id": unit_id,
            "unit_name": viewer.name(unit_id),
            "unit_kind": viewer.tree.kind.get(unit_id),
            "access": access,
            "breadcrumb": pages.breadcrumb(viewer, unit_id),
            "leaders": all_leaders_on([unit_id], viewer.day)[unit_id],
            "scorecard": pages.scorecards(viewer, [unit_id], period, every, context["latest"])[unit_id],
            "heat": pages.heat_table(viewer, unit_id, period, every, levels=1, area=request.GET.get(pages.AREA_PARAM)),
            "has_children": bool(viewer.tree.children.get(unit_id)),
        }
    )
    explanations.attach(viewer, period, scorecards=[context["scorecard"]], heats=[context["heat"]])
    return render_page(request, "indicators/unit.html", context)


@require_GET
@login_required
def indicator(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    """An indicator at a unit: its definition, the year month by month, and the units under it."""
    viewer = viewer_of(request)
    access = viewer.access(unit_id)
    ind = pages.indicator_or_404(code)
    place.keep_unit(request, unit_id)
    context = pages.common_context(viewer, place.period_text(request))
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
    empty = pages.empty_states(
        ind, context["unit_name"], unit_id, period, context["latest"], context["breakdown"], context["trend"]
    )
    context.update({"empty": empty, "challengeable": empty.challengeable})
    explanations.attach(viewer, period, breakdowns=[context["breakdown"]])
    return render_page(request, "indicators/indicator.html", context)


@require_GET
@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every indicator's definition by task area, searchable (`?q=`), with links to its figures at the
    units in the person's view (their own units and those above them)."""
    viewer = viewer_of(request)
    query = request.GET.get(QUERY_PARAM, "").strip()[:200]
    every = pages.all_indicators()
    found = pages.search(every, query)
    context = {
        "query": query,
        "total": len(every),
        "found": len(found),
        "groups": pages.catalogue(viewer, found, pages.latest_month()),
    }
    return render_page(request, "indicators/catalogue.html", context)


@require_GET
@login_required
def export_table(request: HttpRequest, table: str, unit_id: str) -> FileResponse:
    """A table the person sees, as an Excel workbook holding exactly the page's rows and columns."""
    viewer = viewer_of(request)
    viewer.access(unit_id)
    entry = hooks.get(hooks.ExcelTable, table)
    if entry is None or entry.url_name != "export":
        raise Http404("No such table")
    latest = pages.latest_month()
    period = pages.resolve_period(request.GET.get(PERIOD_PARAM), latest)
    code = request.GET.get("indikator")
    ind = pages.indicator_or_404(code or "") if entry.indicator else None
    filename, content = export.workbook(
        viewer,
        table=table,
        unit_id=unit_id,
        period=period,
        indicator=ind,
        latest=latest,
        area=request.GET.get(pages.AREA_PARAM),
    )
    return download(content, filename)
