"""Who leads a unit on a day: the one lookup that notifications, dialogue and reports share.

Where several people lead a unit at once, the first by start date (then e-mail) is its leader:
the addressee of a challenge, the writer of a report commentary, the one an escalation goes to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from driftsblik.organisation.models import Leadership, User


def leaders_on(unit_ids: Iterable[str], on: dt.date) -> dict[str, User | None]:
    """The leader of each unit on `on` (None where nobody leads it), in one query."""
    found: dict[str, User | None] = dict.fromkeys(unit_ids)
    rows = (
        Leadership.objects.filter(unit_id__in=list(found), valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .select_related("user")
        .order_by("-valid_from", "-user__email")
    )
    for leadership in rows:  # the last one written wins: the first by start date and e-mail
        found[leadership.unit_id] = leadership.user
    return found


def leader_of(unit_id: str, *, on: dt.date) -> User | None:
    """Who leads the unit on `on` (the first by start date when several do)."""
    return leaders_on([unit_id], on)[unit_id]
