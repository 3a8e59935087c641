"""The shell's pages: Mit overblik (the unit and indicator pages are in `indicators`; login is `signon`'s).

Views are thin: they read the request, ask `pages` for what the person may see (every unit goes
through the visibility rule, a unit outside the view is a 404) and render it. An htmx request
(`request.htmx`) gets the page's main part only; any other request the whole page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from driftsblik.indicators import explanations, pages
from driftsblik.organisation.viewer import viewer_of
from driftsblik.organisation.visibility import ABOVE
from driftsblik.ui import place
from driftsblik.ui import presentation as slides
from driftsblik.ui.htmx import render_page
from driftsblik.web import presentation


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Mit overblik: my unit's scorecard (every indicator with figures at or below it), the units under
    me (the key indicators or one task area's, `?omraade=`), the two levels over me and my peers (the
    key indicators).

    The unit and period: the query string's, else those chosen on an earlier page (`ui.place`),
    else the unit the person leads (`landing_unit`) and the latest month with data."""
    viewer = viewer_of(request)
    context = pages.common_context(viewer, place.period_text(request))
    homes = viewer.home_units()
    chosen, asked = place.chosen_unit(request, homes, viewer.landing_unit())
    if chosen is not None and chosen not in homes:
        raise Http404("Not one of your units")
    if chosen is not None and asked:
        place.keep_unit(request, chosen, home=True)
    context.update({"homes": [(u, viewer.name(u)) for u in homes], "unit_id": chosen})
    context["role"] = viewer.role(chosen)
    context["user_unit_name"] = ", ".join(viewer.name(u) for u in homes)
    if chosen is not None:
        period, every = context["period"], context["all_indicators"]
        above = [
            u
            for u in viewer.tree.ancestors(chosen)[:2]
            if viewer.visible.get(u) and viewer.visible[u].relation == ABOVE
        ]
        cards = pages.scorecards(viewer, [chosen, *above], period, every, context["latest"])
        context.update(
            {
                "unit_name": viewer.name(chosen),
                "scorecard": cards[chosen],
                "above": [cards[u].only(context["indicators"]) for u in above],
                "heat": pages.heat_table(
                    viewer, chosen, period, every, levels=2, area=request.GET.get(pages.AREA_PARAM)
                ),
                "peers": pages.peer_table(viewer, chosen, period, context["indicators"]),
            }
        )
        explanations.attach(viewer, period, scorecards=[context["scorecard"]], heats=[context["heat"]])
    return render_page(request, "web/overview.html", context)


@require_GET
@login_required
def indicator_slide(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    """An indicator page as a slide for the meeting room, one of its committee's indicators at the
    unit and period (a unit outside the person's view is a 404, as on the indicator page)."""
    viewer = viewer_of(request)
    viewer.access(unit_id)
    indicator = pages.indicator_or_404(code)
    latest = pages.latest_month()
    period, notice = pages.period_or_notice(place.period_text(request), latest)
    context = {
        "deck": presentation.indicator_deck(viewer, indicator, unit_id, period, notice),
        "slide": presentation.indicator_slide(viewer, indicator, unit_id, period, latest),
    }
    return render(request, slides.TEMPLATE, context)
