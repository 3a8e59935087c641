"""Who is looking: the person, the day, the tree and what the visibility rule lets them see.

Every page, export, section and report asks the same questions about the person in front of it:
which day it is, which tree of units is valid on that day, which units they see and how (the one
rule in `visibility`), which units they lead, whether they are in the directorate, whether they
are an analyst (who sees everything, unsuppressed). `Viewer` answers them once; every app takes
it instead of working them out again.

    viewer = viewer_of(request)      # in a view: built on first use, then kept on the request
    viewer = Viewer.of(user)         # outside a request (a command, a test), today
    viewer = Viewer.of(user, day=d)  # on another day
    viewer = Viewer.report_reader(d) # a committee report: no person, every unit, suppressed

    viewer.access(unit_id)   # how the unit is seen, or a 404 when it is not
    viewer.sees(unit_id)     # True/False
    viewer.name(unit_id)     # the unit's name in the viewer's tree
    viewer.home_units()      # the units they look at as their own
    viewer.landing_unit()    # the one of them a page opens at (a unit they lead before the root)
    viewer.role(unit_id)     # their role in words ("Sektorchef", "Analytiker"...)
    viewer.visible, viewer.tree, viewer.trees, viewer.day, viewer.led, viewer.directorate, viewer.analyst

A viewer is a snapshot for one request or computation: it is not kept across requests (the
organisation and the person's groups may change between them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from driftsblik.organisation.models import UnitKind, User
from driftsblik.organisation.tree import Tree, TreeCache
from driftsblik.organisation.visibility import (
    BELOW,
    SELF,
    Access,
    is_directorate,
    led_units,
    sees_everything,
    today,
    visible_units,
)

Person = User | AnonymousUser

ROLE_BY_KIND: dict[str, str] = {
    UnitKind.ROOT: gettext_noop("Municipal director"),
    UnitKind.AREA: gettext_noop("Director"),
    UnitKind.SECTOR: gettext_noop("Head of sector"),
    UnitKind.INSTITUTION: gettext_noop("Head of institution"),
    UnitKind.TEAM: gettext_noop("Team leader"),
}
LEADER = gettext_noop("Leader")


@dataclass
class Viewer:
    """The person looking on `day`: the day's tree, the units they see (relation and reason), the
    units they lead, and their roles (directorate member, analyst or administrator).

    The roles and the units led are read when first asked for (an analyst's view needs neither),
    and then kept."""

    user: Person
    day: dt.date
    tree: Tree
    visible: dict[str, Access]
    trees: TreeCache = field(default_factory=TreeCache)
    _led: list[str] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, user: Person, *, day: dt.date | None = None) -> Viewer:
        """The person as the visibility rule sees them on `day` (today by default)."""
        day = day or today()
        trees = TreeCache()
        tree = trees.on(day)
        if not isinstance(user, User) or not user.is_authenticated:
            return cls(user, day, tree, {}, trees, [])
        if sees_everything(user):
            return cls(user, day, tree, visible_units(user, day, tree), trees)
        led = led_units(user, day)
        return cls(user, day, tree, visible_units(user, day, tree, led=led), trees, led)

    @property
    def led(self) -> list[str]:
        """The units the person leads on the viewer's day."""
        if self._led is None:
            self._led = led_units(self.user, self.day) if isinstance(self.user, User) else []
        return self._led

    @property
    def directorate(self) -> bool:
        """A member of the directorate (sees as the root's leader)."""
        return isinstance(self.user, User) and is_directorate(self.user)

    @property
    def analyst(self) -> bool:
        """An analyst or administrator: sees everything, unsuppressed."""
        return isinstance(self.user, User) and sees_everything(self.user)

    @classmethod
    def report_reader(cls, day: dt.date) -> Viewer:
        """Who a committee report is read as: no person, every unit of the day's tree visible,
        small numbers suppressed (not an analyst)."""
        trees = TreeCache()
        tree = trees.on(day)
        visible = {u: Access(BELOW, "committee report") for u in tree.parent}
        return cls(AnonymousUser(), day, tree, visible, trees, [])

    def access(self, unit_id: str) -> Access:
        """How the person sees the unit; a 404 when they do not see it."""
        access = self.visible.get(unit_id)
        if access is None:
            raise Http404("No such unit")
        return access

    def sees(self, unit_id: str) -> bool:
        return unit_id in self.visible

    def name(self, unit_id: str) -> str:
        """The unit's name in the viewer's tree (its id when the tree does not hold it)."""
        return self.tree.name.get(unit_id, unit_id)

    def role(self, unit_id: str | None) -> str:
        """The person's role in words, from the unit they look from and how they see it."""
        if self.analyst:
            return _("Administrator") if self.user.is_superuser else _("Analyst")
        if self.directorate:
            return _("Member of the directorate")
        return _(ROLE_BY_KIND.get(self.tree.kind.get(unit_id or "", ""), LEADER))

    def home_units(self) -> list[str]:
        """The units the person looks at as their own: those they lead (the root for the directorate,
        the root for an analyst or administrator who leads nothing), by depth and name."""
        own = [u for u, a in self.visible.items() if a.relation == SELF]
        if not own and self.analyst:
            own = list(self.tree.roots)
        return sorted(own, key=lambda u: (self.tree.depth(u), self.tree.name.get(u, u), u))

    def landing_unit(self) -> str | None:
        """The unit a page about "my unit" opens at: the first unit the person leads (a director in
        the directorate lands on their own area, not on the whole municipality), else the first of
        `home_units`."""
        homes = self.home_units()
        if self.analyst or not self.directorate:  # only the directorate's root is a home unit not led
            return homes[0] if homes else None
        led = set(self.led)
        return next((u for u in homes if u in led), homes[0] if homes else None)


_KEPT = "_driftsblik_viewer"


def viewer_of(request: HttpRequest) -> Viewer:
    """The viewer of the request, built on first use and kept on the request for the rest of it
    (built again if the request's user changes, as on login)."""
    kept: Viewer | None = getattr(request, _KEPT, None)
    if kept is None or kept.user is not request.user:
        kept = Viewer.of(request.user)
        setattr(request, _KEPT, kept)
    return kept


__all__ = ["ROLE_BY_KIND", "Person", "Viewer", "viewer_of"]
