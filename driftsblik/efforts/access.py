"""Who sees an effort, and whose part of its result: built on the one visibility rule
(`driftsblik.organisation.visibility`), never beside it.

A person sees an effort when
1. they own it (the owner in the directorate), or
2. they are a member of the directorate, or an analyst or administrator (who see everything), or
3. they take part in it: they lead a participating unit, or are the named contact of a participant, or
4. they see a participating unit by the normal rule (for example a director whose area takes part, or
   a team leader whose institution takes part).
Everyone else gets a 404, as for a unit outside their view.

Seeing an effort means seeing its shared figures (the totals over all participants, even across
branches of the tree). The owner, the directorate and analysts follow the effort's results, so they see
every participant's part (as aggregates, small numbers suppressed as always). Anyone else sees the parts of
- the participating units they take part through (their own part), and
- the participating units they see by the normal rule.
The part of any other participating unit is never shown under its name: when two or more are hidden
they are shown together as one anonymous "other participants" remainder; when only one is hidden,
the remainder is left out (it would be that one unit's figure under another name). The shared total
itself is shared by definition, so with one hidden part, total minus the parts shown is that part:
this is what taking part in a shared goal means, and the figure is suppressed when small as always.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.http import Http404

from driftsblik.efforts.models import Effort
from driftsblik.organisation.tree import Tree
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import Access, access_from_units

OWNER, DIRECTORATE, ANALYST, PARTICIPANT, SEES_UNIT = "owner", "directorate", "analyst", "participant", "sees_unit"


@dataclass(frozen=True)
class EffortAccess:
    """How a person sees one effort: why, the participating units that are their own, and the normal
    rule's view (whose participating units' parts they also see)."""

    reason: str
    own_units: frozenset[str]
    visible: dict[str, Access] = field(hash=False, compare=False)
    analyst: bool = False
    all_parts: bool = False  # the owner, the directorate and analysts see every participant's part

    def sees_part(self, unit_id: str) -> bool:
        return self.all_parts or unit_id in self.own_units or unit_id in self.visible

    @property
    def takes_part(self) -> bool:
        return self.reason in (OWNER, PARTICIPANT)


def access_rule(
    *,
    participants: Iterable[tuple[str | None, str]],
    owner_email: str,
    user_email: str,
    led: Iterable[str],
    visible: dict[str, Access],
    directorate: bool,
    analyst: bool,
) -> EffortAccess | None:
    """The rule on plain values (no database): participants as (unit id or None, contact e-mail)."""
    led_set = set(led)
    email = user_email.strip().lower()
    participants = list(participants)
    own = frozenset(
        unit
        for unit, contact in participants
        if unit is not None and (unit in led_set or (contact and contact.lower() == email))
    )
    is_contact = any(contact and contact.lower() == email for _unit, contact in participants)
    if owner_email.lower() == email:
        reason = OWNER
    elif own or is_contact:
        reason = PARTICIPANT
    elif analyst:
        reason = ANALYST
    elif directorate:
        reason = DIRECTORATE
    elif any(unit is not None and unit in visible for unit, _contact in participants):
        reason = SEES_UNIT
    else:
        return None
    return EffortAccess(reason, own, visible, analyst, all_parts=analyst or directorate or reason == OWNER)


def hidden_tops(tops: Iterable[str], access: EffortAccess) -> list[str]:
    """The top participating units whose parts the person does not see (shown together as the
    anonymous remainder when two or more)."""
    return [unit for unit in tops if not access.sees_part(unit)]


def remainders(
    participants: Iterable[tuple[str | None, str]],
    owner_email: str,
    tops: list[str],
    tree: Tree,
    radius: int,
    people: Mapping[str, Iterable[str]],
) -> set[tuple[str, ...]]:
    """Every anonymous remainder some reader of the effort can be shown, by the rule above: the top
    participating units (`tops`) the reader does not see, where two or more, as sorted tuples.

    Readers are the leader of any one unit that sees a participating unit (whoever leads it now or
    later: the same remainder), and the people named by `people` (e-mail -> the units they lead
    today, contacts included with none) for what several units or a contact's own units give."""
    participants = list(participants)
    units = [unit for unit, _contact in participants if unit is not None]
    candidates: set[str] = set()
    for unit in units:
        if unit not in tree:
            continue
        parent = tree.parent.get(unit)
        candidates.update([unit, *tree.ancestors(unit)[:radius], *(d for d, _ in tree.descendants(unit, radius))])
        candidates.update(tree.children.get(parent, []) if parent is not None else [])
    readers = [[leader] for leader in sorted(candidates)]
    readers += [sorted(led) for led in people.values() if len(set(led)) >= 2]  # one unit: a candidate
    contacts = {email for email in people if any(c and c.lower() == email for _u, c in participants)}
    found: set[tuple[str, ...]] = set()
    for email, led in [(None, led) for led in readers] + [(email, list(people[email])) for email in sorted(contacts)]:
        visible = access_from_units(tree, list(led), radius)
        rule = access_rule(
            participants=participants,
            owner_email=owner_email,
            user_email=email or "",
            led=led,
            visible=visible,
            directorate=False,
            analyst=False,
        )
        if rule is None or rule.all_parts:
            continue
        rest = hidden_tops(tops, rule)
        if len(rest) >= 2:
            found.add(tuple(sorted(rest)))
    return found


def effort_access(viewer: Viewer, effort: Effort) -> EffortAccess | None:
    """The person's access to the effort (its participants prefetched or read here), or None."""
    return access_rule(
        participants=[(p.unit_id, p.contact_email) for p in effort.participants.all()],
        owner_email=effort.owner.email,
        user_email=getattr(viewer.user, "email", ""),
        led=viewer.led,
        visible=viewer.visible,
        directorate=viewer.directorate,
        analyst=viewer.analyst,
    )


def efforts_queryset():
    return Effort.objects.select_related("owner").prefetch_related("participants")


def visible_efforts(viewer: Viewer) -> list[tuple[Effort, EffortAccess]]:
    """Every effort the person sees, with how (a fixed number of queries)."""
    found = []
    for effort in efforts_queryset():
        access = effort_access(viewer, effort)
        if access is not None:
            found.append((effort, access))
    return found


def effort_or_404(viewer: Viewer, code: str) -> tuple[Effort, EffortAccess]:
    """The effort and the person's access to it; a 404 when it does not exist or is outside their view."""
    effort = efforts_queryset().filter(code=code).first()
    access = effort_access(viewer, effort) if effort is not None else None
    if effort is None or access is None:
        raise Http404("No such effort")
    return effort, access
