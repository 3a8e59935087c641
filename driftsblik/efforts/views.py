"""The efforts pages: the directorate's list of efforts and one effort's page, and the participant table as Excel.

Views are thin: who sees what is `access` (built on the one visibility rule), the figures are
`selectors`; an effort outside a person's view is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from driftsblik.efforts import export, selectors
from driftsblik.efforts.access import effort_or_404, visible_efforts
from driftsblik.efforts.models import Phase
from driftsblik.indicators import pages
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.viewer import viewer_of
from driftsblik.organisation.visibility import today
from driftsblik.ui import place
from driftsblik.ui.downloads import download
from driftsblik.ui.htmx import render_page

PERIOD_PARAM = place.PERIOD_PARAM


def _period(request: HttpRequest, *, strict: bool = False):
    """The latest month with data, the period to show and a notice when the asked one does not exist.

    The period comes from the query string, else the one chosen on an earlier page (`ui.place`).
    A period that does not exist shows the default with a notice; `strict` (a download) makes it a
    400, since a file must hold the period asked for."""
    latest = pages.latest_month()
    text = place.period_text(request)
    if strict:
        return latest, pages.resolve_period(text, latest), ""
    period, notice = pages.period_or_notice(text, latest)
    return latest, period, notice


def pathway_link(effort) -> str | None:
    """The cohort pathway page for the effort's cohort, when it has one."""
    if not effort.cohort:
        return None
    return f"{reverse('pathways:cohort')}?kohorte={effort.cohort}"


@require_GET
@login_required
def effort_list(request: HttpRequest) -> HttpResponse:
    """Every effort the person sees (all of them for the directorate), with phase, milestones and status."""
    viewer = viewer_of(request)
    latest, period, notice = _period(request)
    lines = selectors.effort_lines(request.user, visible_efforts(viewer), period)
    context = {
        "period_notice": notice,
        "lines": lines,
        "municipal_unit": selectors.municipal_unit(viewer),
        "latest": latest,
        "period": period,
        "period_options": pages.period_options(latest, period),
        "freshness": pages.data_freshness(),
        "today": today(),
    }
    return render_page(request, "efforts/list.html", context)


def effort_context(request: HttpRequest, code: str, *, strict: bool = False) -> dict:
    viewer = viewer_of(request)
    effort, access = effort_or_404(viewer, code)
    latest, period, notice = _period(request, strict=strict)
    trees = TreeCache()
    tree = trees.on(today())
    participants = list(effort.participants.all())
    names = {p.unit_id: tree.name.get(p.unit_id, p.unit_id) for p in participants if p.unit_id}
    goals = selectors.shared_results(
        user=request.user, effort=effort, access=access, period=period, names=names, trees=trees
    )
    return {
        "period_notice": notice,
        "effort": effort,
        "access": access,
        "latest": latest,
        "period": period,
        "period_options": pages.period_options(latest, period),
        "freshness": pages.data_freshness(),
        "goals": goals,
        "participants": selectors.participant_rows(effort, participants, names, access, goals),
        "remainder": selectors.remainder_row(goals),
        "methods": selectors.method_table(effort, names),
        "phases": Phase.choices,
        "milestones": selectors.milestones_of(effort),
        "pathway_url": pathway_link(effort),
        "municipal_unit": selectors.municipal_unit(viewer),
    }


@require_GET
@login_required
def effort_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One effort: purpose and shared goal, participants and their parts, methods, phase and milestones."""
    context = effort_context(request, code)
    return render_page(request, "efforts/effort.html", context)


@require_GET
@login_required
def participants_export(request: HttpRequest, code: str) -> HttpResponse:
    """The participant table of the page as an Excel workbook, holding exactly what the page shows."""
    context = effort_context(request, code, strict=True)
    filename, content = export.participants_workbook(request.user, context)
    return download(content, filename)
