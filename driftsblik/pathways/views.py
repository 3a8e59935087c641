"""The cohort page (/forloeb/) and its download: thin views over the selectors and services.

Every query (page or download) is logged. A unit outside the person's view is a 404; so is the
municipality's cohort for a person who may not see it and has no visible register unit.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from driftsblik.engine.errors import EngineInputError
from driftsblik.engine.pathways import COHORTS, MAX_MONTHS, PathwayResult
from driftsblik.engine.periods import month_label
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.viewer import Viewer, viewer_of
from driftsblik.pathways import export as pathway_export
from driftsblik.pathways import selectors, services, suppression
from driftsblik.pathways.forms import COHORT_PARAM, MONTHS_PARAM, START_PARAM, UNIT_PARAM, CohortForm
from driftsblik.ui import place
from driftsblik.ui.downloads import download
from driftsblik.ui.htmx import render_page

DEFAULT_COHORT = "youth_neet"


def _default_start(facts: services.RegisterFacts) -> str:
    """The latest month that can be followed for two years, but not before the data's third month."""
    if facts.last_month is None or facts.first_month is None:
        return ""
    return month_label(max(facts.first_month + 2, facts.last_month - MAX_MONTHS))


def may_open(request: HttpRequest) -> bool:
    """Whether the page opens for the person without a unit chosen (the menu offers it only then):
    the same rule as `_resolve`'s 404. When the registers cannot be read, the page says so."""
    if not request.user.is_authenticated:
        return False
    viewer = viewer_of(request)
    try:
        facts = services.register_facts()
    except services.RegistersUnavailable:
        return True
    if selectors.municipality_allowed(viewer, facts, COHORTS[DEFAULT_COHORT].domain):
        return True
    return bool(selectors.unit_choices(viewer, facts))


def _resolve(request: HttpRequest) -> dict[str, Any]:
    """Read the form, check visibility (404 outside the view) and compute the pathway."""
    viewer = viewer_of(request)
    context: dict[str, Any] = {"viewer": viewer, "error": None, "view": None}
    try:
        facts = services.register_facts()
    except services.RegistersUnavailable as exc:
        context["error"] = str(exc)
        context["form"] = None
        return context
    unit_id = (request.GET.get(UNIT_PARAM) or "").strip()
    if unit_id:
        viewer.access(unit_id)  # 404 outside the view
    kind = COHORTS.get(request.GET.get(COHORT_PARAM) or DEFAULT_COHORT, COHORTS[DEFAULT_COHORT])
    units = selectors.unit_choices(viewer, facts)
    if UNIT_PARAM not in request.GET:  # no unit asked (an empty one is the whole municipality): the kept one
        unit_id = place.kept_unit(request, dict(units).__contains__) or ""
        if unit_id:
            place.filled_in(request, UNIT_PARAM, unit_id)
    municipality = selectors.municipality_allowed(viewer, facts, kind.domain)
    if not unit_id and not municipality:
        if not units:
            raise Http404("No cohort to see")
        # the first unit with register units of this cohort's domain, else the first unit
        with_domain = [u for u, _name in units if selectors.register_units_under(viewer, u, facts, kind.domain)]
        unit_id = (with_domain or [units[0][0]])[0]
    data = {
        COHORT_PARAM: kind.code,
        START_PARAM: request.GET.get(START_PARAM) or _default_start(facts),
        MONTHS_PARAM: request.GET.get(MONTHS_PARAM) or str(MAX_MONTHS),
        UNIT_PARAM: unit_id,
    }
    form = CohortForm(data, units=units, municipality=municipality)
    context["form"] = form
    if not form.is_valid():
        return context
    cd = form.cleaned_data
    if unit_id:
        place.keep_unit(request, unit_id)
    unit_ids = selectors.register_units_under(viewer, unit_id, facts, kind.domain) if unit_id else None
    try:
        result = services.pathway_compute(
            cohort=kind.code, start=cd[START_PARAM], months=cd[MONTHS_PARAM], unit_ids=unit_ids
        )
    except services.RegistersUnavailable as exc:
        context["error"] = str(exc)
        return context
    except EngineInputError as exc:
        form.add_error(START_PARAM, str(exc))
        return context
    unit_name = viewer.name(unit_id) if unit_id else str(_municipality_name(viewer))
    # the cohort is the figure of the indicator it was picked with: hidden there, hidden here
    context["indicator_link"] = _indicator_link(viewer, result, unit_id)
    context.update(
        {
            "result": result,
            "unit_id": unit_id,
            "unit_name": unit_name,
            "cohort_label": selectors.COHORT_LABELS[kind.code],
            "view": _view(viewer, result, unit_id, unit_name, cd[START_PARAM]),
            "params": {
                COHORT_PARAM: kind.code,
                START_PARAM: cd[START_PARAM],
                MONTHS_PARAM: cd[MONTHS_PARAM],
                UNIT_PARAM: unit_id,
            },
        }
    )
    shown = context["view"].shown_months
    if 0 < shown < result.months_followed:  # withheld for this many months, not for fewer
        context["shorter_url"] = (
            reverse("pathways:cohort") + "?" + urlencode({**context["params"], MONTHS_PARAM: shown})
        )
    return context


def _view(viewer: Viewer, result: PathwayResult, unit_id: str, unit_name: str, start: str) -> selectors.PathwayView:
    """The pathway as the person may see it: every count for analysts; for everyone else the hidden
    counts decided once for the cohort's persons over every horizon (``services.pathway_page_marks``)."""
    if viewer.analyst or result.cohort_size < suppression.limit():  # too small: the view shows nothing
        return selectors.pathway_view(result, analyst=viewer.analyst, unit_name=unit_name)
    # the cohort is the figure of the indicator it was picked with: hidden there, hidden here
    mark = suppression.indicator_mark(result, unit_id or None, viewer.trees)
    marks = services.pathway_page_marks(result, start=start, cohort_mark=mark)
    view = selectors.pathway_view(result, analyst=False, unit_name=unit_name, marks=marks)
    if view.withheld:
        view.shown_months = services.shown_months(result, start=start, cohort_mark=mark)
    return view


def _indicator_link(viewer: Viewer, result: PathwayResult, unit_id: str) -> dict[str, str] | None:
    """The indicator the cohort was picked with, at the unit for the cohort's month or quarter (the
    same measure: the cohort is that figure's persons), when the person may open that page."""
    code = suppression.COHORT_INDICATORS.get(result.cohort)
    indicator = Indicator.objects.filter(code=code).first() if code else None
    node = unit_id or (viewer.tree.roots[0] if viewer.tree.roots else "")
    if indicator is None or not node or node not in viewer.visible:
        return None
    period = suppression.cohort_period(result)
    url = reverse("indicator", args=[indicator.code, node]) + "?" + urlencode({"periode": str(period)})
    return {"url": url, "name": indicator.name, "period": str(period)}


def _municipality_name(viewer: Viewer) -> str:
    roots = viewer.tree.roots
    return viewer.name(roots[0]) if roots else "–"


def _log(request: HttpRequest, result: PathwayResult, unit_id: str, action: str, suppressed: bool) -> None:
    services.pathway_query_log(
        user=request.user,
        cohort=result.cohort,
        start=result.start,
        months=result.months_requested,
        unit_id=unit_id,
        action=action,
        cohort_size=result.cohort_size,
        suppressed=suppressed,
    )


@require_GET
@login_required
def cohort(request: HttpRequest) -> HttpResponse:
    """A cohort followed month by month: the chart, the status table, transitions and across silos."""
    context = _resolve(request)
    if context.get("view") is not None:
        _log(request, context["result"], context["unit_id"], "view", context["view"].suppressed)
    return render_page(request, "pathways/cohort.html", context)


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The page's tables as an Excel workbook: the same (suppressed) aggregates, nothing more."""
    context = _resolve(request)
    view = context.get("view")
    if view is None or view.too_small:
        raise Http404("Nothing to download")
    _log(request, context["result"], context["unit_id"], "export", view.suppressed)
    filename, content = pathway_export.workbook(view, context)
    return download(content, filename)
