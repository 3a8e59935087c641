"""What the shell's pages read: the people to log in as in demo mode."""

from __future__ import annotations

from django.utils.translation import gettext as _

from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP, Leadership, UnitKind, User
from driftsblik.organisation.tree import tree_on
from driftsblik.organisation.viewer import ROLE_BY_KIND
from driftsblik.organisation.visibility import today

INSTITUTION_SAMPLE = 8  # the lowest two levels are many: a spread sample of each
TEAM_SAMPLE = 8
SAMPLE = {UnitKind.INSTITUTION: INSTITUTION_SAMPLE, UnitKind.TEAM: TEAM_SAMPLE}


def demo_leaders() -> list[dict[str, str]]:
    """People to log in as in the demo, level by level from the top: the leaders of the root, the areas
    and the sectors, a sample of institution leaders and of team leaders, the directorate members and
    the analysts, with their unit and role (the role names the level: the login page groups by it)."""
    day = today()
    tree = tree_on(day)
    chosen: list[dict[str, str]] = []
    seen: set[str] = set()
    leaderships = Leadership.objects.valid_on(day).filter(user__is_active=True).select_related("user")
    by_kind: dict[str, list[tuple[str, Leadership]]] = {}
    for lead in leaderships:
        if lead.unit_id in tree:
            by_kind.setdefault(tree.kind[lead.unit_id], []).append((tree.name[lead.unit_id], lead))
    for kind in (UnitKind.ROOT, UnitKind.AREA, UnitKind.SECTOR, UnitKind.INSTITUTION, UnitKind.TEAM):
        entries = sorted(by_kind.get(kind, []), key=lambda e: (e[0], e[1].user.name, e[1].user.email))
        if kind in SAMPLE:
            step = max(1, len(entries) // SAMPLE[kind])
            entries = entries[::step][: SAMPLE[kind]]
        for unit_name, lead in entries:
            if lead.user.email in seen:
                continue
            seen.add(lead.user.email)
            chosen.append(
                {
                    "email": lead.user.email,
                    "name": str(lead.user),
                    "unit": lead.unit_id,
                    "unit_name": unit_name,
                    "role": _(ROLE_BY_KIND[kind]),
                }
            )
    roots = tree.roots
    for group, role in ((DIRECTORATE_GROUP, _("Member of the directorate")), (ANALYST_GROUP, _("Analyst"))):
        for user in User.objects.filter(groups__name=group, is_active=True).order_by("name", "email"):
            if user.email in seen:
                continue
            seen.add(user.email)
            unit_name = tree.name[roots[0]] if roots and group == DIRECTORATE_GROUP else _("All units")
            chosen.append({"email": user.email, "name": str(user), "unit": "", "unit_name": unit_name, "role": role})
    return chosen
