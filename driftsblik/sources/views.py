"""The comparison pages: every comparable indicator for the directorate, and one indicator in full.

Views are thin: the figures are `selectors`; the pages show the municipality's own figures beside
other municipalities', so a person sees them when they see the root unit (a 404 otherwise).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from driftsblik.core.periods import Month, PeriodError
from driftsblik.indicators import pages
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.viewer import Viewer, viewer_of
from driftsblik.sources import selectors
from driftsblik.ui import charts
from driftsblik.ui.formats import value_text
from driftsblik.ui.htmx import render_page


def _root_or_404(request: HttpRequest) -> tuple[Viewer, str]:
    viewer = viewer_of(request)
    roots = [root for root in viewer.tree.roots if viewer.sees(root)]
    if not roots:
        raise Http404
    return viewer, roots[0]


def _month(request: HttpRequest) -> tuple[Month | None, str]:
    """The month asked for (None: the latest), and the text asked for when it is no month: the
    page then shows the latest figures with a notice saying so."""
    text = request.GET.get("periode") or ""
    if not text:
        return None, ""
    try:
        return Month.parse(text), ""
    except PeriodError:
        return None, text


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """How the municipality stands among similar municipalities on every indicator a source gives."""
    viewer, root = _root_or_404(request)
    until, bad = _month(request)
    rows = []
    for indicator in selectors.comparable_indicators():
        found = selectors.comparison(indicator=indicator, until=until, user=request.user)
        if found is not None:
            rows.append(found)
    context = {
        "rows": rows,
        "root_name": viewer.name(root),
        "municipality": selectors.home_municipality(),
        "period_notice": pages.period_notice(bad, _("the latest figures")) if bad else "",
    }
    return render_page(request, "sources/overview.html", context)


@require_GET
@login_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: every member of the group ranked, the group's and the country's figure, and
    the development over time."""
    viewer, root = _root_or_404(request)
    ind = get_object_or_404(Indicator, code=code)
    month, bad = _month(request)
    found = selectors.comparison(indicator=ind, period=month, user=request.user)
    if found is None:
        raise Http404
    series = selectors.comparison_series(indicator=ind, user=request.user)
    rows = [{"name": f.name, "value": f.value, "is_self": f.ours} for f in found.members if f.shown]
    chart = charts.ranked_bars_spec(
        rows=[{**r, "value": float(r["value"]) if r["value"] is not None else None} for r in rows],
        value_label=ind.unit_label or ind.name,
        description=_("%(indicator)s: %(municipality)s among %(group)s, %(period)s")
        % {
            "indicator": ind.name,
            "municipality": found.ours.name,
            "group": found.group_name,
            "period": found.period.label_da,
        },
        target=float(found.group.value) if found.group.value is not None else None,
        target_label=found.group_name,
        value_text=value_text(ind),
        self_label=found.ours.name,
        peers_label=_("Similar municipalities"),
    )
    context = {
        "c": found,
        "indicator": ind,
        "series": series,
        "chart": {"id": "comparison-chart", "spec": chart},
        "root_name": viewer.name(root),
        "periods": [p.period for p in series],
        "period_notice": pages.period_notice(bad, found.period.label_da) if bad else "",
    }
    return render_page(request, "sources/indicator.html", context)
