"""Values every page template needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def _unit_line(request: HttpRequest) -> str:
    """The logged-in person's units and role, for the header: "Skoler (sektor)"."""
    from driftsblik.organisation.tree import tree_on
    from driftsblik.organisation.visibility import is_directorate, led_units, sees_everything, today

    user = request.user
    if not user.is_authenticated:
        return ""
    on = today()
    led = led_units(user, on)
    parts: list[str] = []
    if led:
        tree = tree_on(on)
        parts = [tree.name.get(u, u) for u in led]
    if is_directorate(user):
        parts.append(str(_("directorate")))
    if sees_everything(user):
        parts.append(str(_("analyst")))
    return ", ".join(parts)


def driftsblik(request: HttpRequest) -> dict[str, object]:
    return {
        "demo_mode": settings.DEMO_MODE,
        "user_unit_name": SimpleLazyObject(lambda: _unit_line(request)),
    }
