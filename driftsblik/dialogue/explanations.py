"""Answered challenges beside the figures (a `FigureExplanation`).

A challenge is about one indicator at one unit; its answers (the `answered` events of its thread)
are the unit's words about that figure. The latest answer of any challenge about the pair wins. Only
threads the person may open count: the same `selectors.threads_visible_to` the thread page reads
through, so no one reads here the text of a thread that is a 404 to them. A challenge not yet
answered shows nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.urls import reverse

from driftsblik.core import hooks
from driftsblik.core.periods import Period
from driftsblik.dialogue.models import ChallengeEvent
from driftsblik.dialogue.selectors import threads_visible_to

Pair = hooks.Pair


def explain_figures(
    viewer: Any, pairs: Collection[Pair], *, period: Period | None = None
) -> dict[Pair, hooks.Explanation]:
    """The latest answer per (indicator, unit) pair among the threads the person may open (one query)."""
    pairs = {(code, unit) for code, unit in pairs if viewer.sees(unit)}
    if not pairs:
        return {}
    threads = threads_visible_to(viewer.user, visible=viewer.visible).filter(
        unit_id__in={u for _, u in pairs}, indicator_id__in={c for c, _ in pairs}
    )
    answers = (
        ChallengeEvent.objects.filter(kind=ChallengeEvent.Kind.ANSWERED, challenge__in=threads.values("pk"))
        .select_related("actor", "challenge")
        .order_by("-at", "-id")
    )
    found: dict[Pair, hooks.Explanation] = {}
    for event in answers:
        challenge = event.challenge
        pair = (challenge.indicator_id, challenge.unit_id)
        if pair in found or pair not in pairs or not hooks.not_after(challenge.period, period):
            continue
        found[pair] = hooks.Explanation(
            text=event.text,
            author=str(event.actor),
            written_at=event.at,
            kind=hooks.ANSWER,
            url=reverse("dialogue:thread", args=[challenge.pk]),
        )
    return found
