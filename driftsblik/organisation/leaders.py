"""Who leads a unit on a day: the one lookup that notifications, dialogue and reports share.

Where several people lead a unit at once, the first by start date (then e-mail) is its leader:
the addressee of a challenge, the writer of a report commentary, the one an escalation goes to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from driftsblik.organisation.models import Leadership, User


def _leaderships_on(unit_ids: list[str], on: dt.date, *order: str) -> list[Leadership]:
    """The leaderships of the units valid on `on`, with their people, in `order`."""
    return list(Leadership.objects.valid_on(on).filter(unit_id__in=unit_ids).select_related("user").order_by(*order))


def leaders_on(unit_ids: Iterable[str], on: dt.date) -> dict[str, User | None]:
    """The leader of each unit on `on` (None where nobody leads it), in one query."""
    found: dict[str, User | None] = dict.fromkeys(unit_ids)
    for leadership in _leaderships_on(list(found), on, "valid_from", "user__email"):
        if found[leadership.unit_id] is None:
            found[leadership.unit_id] = leadership.user
    return found


def all_leaders_on(unit_ids: Iterable[str], on: dt.date) -> dict[str, list[User]]:
    """Everyone who leads each unit on `on`, by name then e-mail (a unit page lists them all), in one query."""
    found: dict[str, list[User]] = {u: [] for u in unit_ids}
    for leadership in _leaderships_on(list(found), on, "user__name", "user__email"):
        found[leadership.unit_id].append(leadership.user)
    return found


def leader_of(unit_id: str, *, on: dt.date) -> User | None:
    """Who leads the unit on `on` (the first by start date when several do)."""
    return leaders_on([unit_id], on)[unit_id]
