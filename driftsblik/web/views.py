"""The shell's pages: Mit overblik and login (the unit and indicator pages are in `indicators`).

Views are thin: they read the request, ask `pages` for what the person may see (every unit goes
through the visibility rule, a unit outside the view is a 404) and render it. An htmx request
(`request.htmx`) gets the page's main part only; any other request the whole page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from driftsblik.indicators import pages
from driftsblik.organisation.viewer import viewer_of
from driftsblik.organisation.visibility import ABOVE
from driftsblik.ui.htmx import render_page
from driftsblik.web import selectors

PERIOD_PARAM = "periode"
UNIT_PARAM = "enhed"


class LoginView(auth_views.LoginView):
    """Django's login; in demo mode (never otherwise) it also lists the demo leaders to pick from."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_leaders"] = selectors.demo_leaders() if settings.DEMO_MODE else []
        return context


def demo_login(request: HttpRequest) -> HttpResponse:
    """Log in as a demo person without a password: only in demo mode (POST), a 404 otherwise."""
    if not settings.DEMO_MODE:
        raise Http404("Not in demo mode")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    email = (request.POST.get("email") or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise Http404("No such demo person")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("overview")
    return HttpResponseRedirect(target)


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Mit overblik: my unit's scorecard, the units under me, the two levels over me, my peers."""
    viewer = viewer_of(request)
    context = pages.common_context(viewer, request.GET.get(PERIOD_PARAM))
    homes = viewer.home_units()
    chosen = request.GET.get(UNIT_PARAM) or (homes[0] if homes else None)
    if chosen is not None and chosen not in homes:
        raise Http404("Not one of your units")
    context.update({"homes": [(u, viewer.name(u)) for u in homes], "unit_id": chosen})
    context["role"] = viewer.role(chosen)
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
