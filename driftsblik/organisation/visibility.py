"""The visibility rule: what a person sees, and why. One policy for every page, API call, export and report.

A leader of unit U sees
- below: every descendant D with depth(D) - depth(U) <= radius, in full detail;
- above: every ancestor A with depth(U) - depth(A) <= radius, as A's figures and challenges;
- peers: the other children of U's parent, as their figures.
A person leading several units sees the union. Members of the `directorate` group see as the
root's leader. Analysts and administrators see everything. Today's tree decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP, Leadership, User
from driftsblik.organisation.tree import Tree, tree_on

SELF, BELOW, ABOVE, PEER, ALL = "self", "below", "above", "peer", "all"
_PRECEDENCE = {SELF: 0, BELOW: 1, ABOVE: 2, PEER: 3, ALL: 4}


@dataclass(frozen=True)
class Access:
    """How a person sees one unit: the relation and the reason, in plain words."""

    relation: str
    reason: str
    via: str | None = None  # the unit the person leads that gives this access
    levels: int = 0


def today() -> dt.date:
    return timezone.localdate()


def led_units(user: User, on: dt.date) -> list[str]:
    """Units the person leads on `on`."""
    if not user.is_authenticated:
        return []
    return sorted(Leadership.objects.valid_on(on).filter(user=user).values_list("unit_id", flat=True))


def sees_everything(user: User) -> bool:
    """Analysts and administrators. Kept on the user object for the request, as Django keeps
    permissions (`_perm_cache`): pages ask once per table group, and the answer must not cost a
    query each time (query counts would grow with the number of units shown)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_sees_everything_cache", None)
    if cached is None:
        cached = bool(user.is_superuser or user.groups.filter(name=ANALYST_GROUP).exists())
        user._sees_everything_cache = cached
    return cached


def is_directorate(user: User) -> bool:
    """Members of the directorate group (they see as the root's leader); kept on the user object
    for the request like `sees_everything`, since the overview's parts each ask."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_directorate_cache", None)
    if cached is None:
        cached = user.groups.filter(name=DIRECTORATE_GROUP).exists()
        user._is_directorate_cache = cached
    return cached


def access_from_units(tree: Tree, led: list[str], radius: int, *, directorate: bool = False) -> dict[str, Access]:
    """The rule itself, on a tree and the units a person leads (pure: no database)."""
    seen: dict[str, Access] = {}

    def grant(unit_id: str, access: Access) -> None:
        current = seen.get(unit_id)
        if current is None or _PRECEDENCE[access.relation] < _PRECEDENCE[current.relation]:
            seen[unit_id] = access

    starts = [u for u in led if u in tree]
    if directorate:
        for root in tree.roots:
            if root not in starts:
                starts.append(root)
    for unit in starts:
        name = tree.name[unit]
        if directorate and unit in tree.roots and unit not in led:
            reason_self = f"member of the directorate: sees as the leader of {name}"
        else:
            reason_self = f"leads {name}"
        grant(unit, Access(SELF, reason_self, unit, 0))
        for child, levels in tree.descendants(unit, radius):
            grant(child, Access(BELOW, f"{levels} level(s) below {name}", unit, levels))
        for levels, ancestor in enumerate(tree.ancestors(unit)[:radius], start=1):
            grant(ancestor, Access(ABOVE, f"{levels} level(s) above {name}", unit, levels))
        parent = tree.parent.get(unit)
        if parent is not None:
            for sibling in tree.children[parent]:
                if sibling != unit:
                    grant(sibling, Access(PEER, f"peer of {name} under {tree.name[parent]}", unit, 0))
    return seen


def visible_units(
    user: User, on: dt.date | None = None, tree: Tree | None = None, *, led: list[str] | None = None
) -> dict[str, Access]:
    """Every unit the person sees on `on` (today by default), with relation and reason (`led`: the
    units they lead on `on`, when already read)."""
    on = on or today()
    tree = tree or tree_on(on)
    if sees_everything(user):
        role = "administrator" if user.is_superuser else "analyst"
        return {u: Access(ALL, f"{role}: sees everything") for u in tree.parent}
    radius = settings.VISIBILITY_RADIUS
    led = led if led is not None else led_units(user, on)
    return access_from_units(tree, led, radius, directorate=is_directorate(user))


def access_or_404(user: User, unit_id: str, visible: dict[str, Access] | None = None) -> Access:
    """The person's access to a unit, or a 404: a unit outside the view does not exist for them."""
    visible = visible if visible is not None else visible_units(user)
    access = visible.get(unit_id)
    if access is None:
        raise Http404("No such unit")
    return access
