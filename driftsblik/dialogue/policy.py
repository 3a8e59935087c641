"""Who may raise a challenge where, and who sees a thread: built on the one visibility rule.

Thread visibility: a thread belongs to its unit. Those who see the unit two levels up or down
(or as its leader) under `organisation.visibility` see its threads; analysts and administrators
see all. Peers see a unit's figures for comparison, not its dialogue (DESIGN.md: above, "as A's
figures and A's challenges"; peers, "as their figures").

Raising a challenge ("normally one level up or down"): the author
- leads a unit (or is a member of the directorate), and is not only an analyst or administrator
  (they read, they do not take part);
- sees the unit (the visibility rule), and
- the unit is the parent or a child of a unit the author leads; members of the directorate
  may challenge any unit they see below the root;
- the unit has a leader today who is not the author.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from driftsblik.dialogue.models import Action
from driftsblik.organisation.leaders import leader_of
from driftsblik.organisation.models import User
from driftsblik.organisation.tree import Tree, tree_on
from driftsblik.organisation.visibility import ALL, PEER, SELF, Access, is_directorate, led_units, today, visible_units


def thread_units(user: User, on: dt.date | None = None, visible: dict[str, Access] | None = None) -> set[str]:
    """The units whose threads the person sees: every visible unit except those seen only as peers."""
    visible = visible if visible is not None else visible_units(user, on)
    return {unit for unit, access in visible.items() if access.relation != PEER}


def challenge_refusal(
    author: User,
    unit_id: str,
    *,
    on: dt.date | None = None,
    tree: Tree | None = None,
    visible: dict[str, Access] | None = None,
    leaders: dict[str, User | None] | None = None,
) -> str | None:
    """Why the person may not raise a challenge at the unit, in plain words; None when they may.

    `tree`, `visible` and `leaders` (`organisation.leaders.leaders_on`): today's tree, the person's view and the units'
    leaders, when the caller has them already for several units.
    """
    on = on or today()
    tree = tree or tree_on(on)
    visible = visible if visible is not None else visible_units(author, on, tree)
    access = visible.get(unit_id)
    if access is None or access.relation == PEER:
        return _("You cannot raise a challenge on a unit outside your view.")
    if not author.is_authenticated:
        return _("You cannot raise a challenge on a unit outside your view.")
    led = [u for u, a in visible.items() if a.relation == SELF and a.via == u]
    if access.relation == ALL:
        led = [u for u in led_units(author, on) if u in tree]
    neighbours = set()
    for unit in led:
        neighbours.update(tree.children.get(unit, []))
        parent = tree.parent.get(unit)
        if parent is not None:
            neighbours.add(parent)
    if unit_id not in neighbours:
        directorate = is_directorate(author)
        if access.relation == ALL and not led and not directorate:
            return _("Analysts and administrators read the dialogue; challenges are raised by leaders.")
        if directorate:
            neighbours.update(u for u in visible if u not in tree.roots)
    if unit_id not in neighbours:
        return _(
            "A challenge goes one level up or down the leadership chain: to the unit above yours or a unit under it."
        )
    leader = leaders[unit_id] if leaders is not None and unit_id in leaders else leader_of(unit_id, on=on)
    if leader is None:
        return _("The unit has no leader registered to answer a challenge.")
    if leader == author:
        return _("You lead this unit yourself.")
    return None


def may_challenge(author: User, unit_id: str, *, on: dt.date | None = None) -> bool:
    """Whether the person may raise a challenge at the unit (see the module's rule)."""
    return challenge_refusal(author, unit_id, on=on) is None


def may_update_action(user: User, action: Action) -> bool:
    """Who may change an action's status: its owner and the person the challenge is addressed to."""
    return user.pk in (action.owner_id, action.challenge.addressee_id)
