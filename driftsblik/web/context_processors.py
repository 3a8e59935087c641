"""Values every page template needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def _unit_line(request: HttpRequest) -> str:
    """The logged-in person's units and role, for the header: "Skoler (sektor)"."""
    from driftsblik.organisation.viewer import viewer_of

    if not request.user.is_authenticated:
        return ""
    viewer = viewer_of(request)
    parts = [viewer.name(u) for u in viewer.led]
    if viewer.directorate:
        parts.append(str(_("directorate")))
    if viewer.analyst:
        parts.append(str(_("analyst")))
    return ", ".join(parts)


def _place_url(request: HttpRequest) -> str:
    """The page's address with the unit and period it took from the session written in (`ui.place`)."""
    from driftsblik.ui import place

    return place.address(request)


def driftsblik(request: HttpRequest) -> dict[str, object]:
    return {
        "demo_mode": settings.DEMO_MODE,
        "user_unit_name": SimpleLazyObject(lambda: _unit_line(request)),
        "place_url": SimpleLazyObject(lambda: _place_url(request)),
    }
