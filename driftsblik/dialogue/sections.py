"""The dialogue on other apps' pages and documents: the "For me" strip, a unit's threads, an indicator's
threads, and the open dialogue of a committee report's task areas (a `ReportSection`, counts only).

Registered as `OverviewSection`s in `DialogueConfig.ready()`. Each reads the person looking from the
page's request (`viewer_of`, built once per request, so the rule is not worked out twice) and goes
through the dialogue's selectors.
"""

from __future__ import annotations

from typing import Any

from django import template

from driftsblik.core.periods import Period
from driftsblik.dialogue import selectors
from driftsblik.dialogue.forms import RaiseForm
from driftsblik.dialogue.policy import challenge_refusal
from driftsblik.organisation.viewer import viewer_of
from driftsblik.organisation.visibility import Access, today


def _visible(page: template.Context) -> dict[str, Access]:
    return viewer_of(page["request"]).visible


def to_me(page: template.Context) -> dict[str, Any]:
    """Counts of challenges to answer, answers awaited, answers to read and actions due."""
    request = page["request"]
    return {"inbox": selectors.inbox(request.user, visible=_visible(page))}


def unit_threads(page: template.Context) -> dict[str, Any]:
    """The unit's open challenges and actions."""
    request, unit_id = page["request"], page["unit_id"]
    visible = _visible(page)
    threads = selectors.threads_at(request.user, unit_id, visible=visible).exclude(status="closed")
    return {
        "threads": list(threads[:50]),
        "actions": list(selectors.actions_at(request.user, unit_id, visible=visible)[:50]),
        "unit_name": page.get("unit_name", unit_id),
        "today": today(),
    }


def indicator_threads(page: template.Context) -> dict[str, Any]:
    """The threads about this indicator at this unit, and the form to raise one when the person may."""
    request, indicator, unit_id, period = page["request"], page["indicator"], page["unit_id"], page["period"]
    viewer = viewer_of(request)
    threads = list(
        selectors.threads_at(request.user, unit_id, indicator_code=indicator.code, visible=_visible(page))[:50]
    )
    chosen = period if period.kind in ("month", "quarter") else Period.month(period.stop)
    refusal = challenge_refusal(request.user, unit_id, tree=viewer.tree, visible=viewer.visible)
    empty = page.get("empty")
    if refusal is None and empty is not None and not empty.challengeable:
        refusal = empty.why_no_challenge  # no figure (a future period, no data yet): nothing to challenge
    form = None
    if refusal is None:
        form = RaiseForm(initial={"indicator": indicator.code, "unit": unit_id, "period": str(chosen)})
    return {
        "threads": threads,
        "form": form,
        "refusal": refusal,
        "indicator": indicator,
        "unit_id": unit_id,
        "csrf_token": page.get("csrf_token"),
    }


def report_dialogue(*, committee: Any, period: Period, kind: str, task_area: Any, units: list[str], tree: Any) -> dict:
    """A task area's open dialogue in a committee report (a `ReportSection`): how many challenges (not
    closed) and follow-up actions are open at each of its units and the two levels below them.
    Counts only: a unit's dialogue text reaches a report only where the director chose it (reports)."""
    counts = selectors.open_counts(selectors.report_scopes(tree, units))
    return {
        "available": True,
        "units": [
            {
                "unit_id": c.unit_id,
                "unit_name": tree.name.get(c.unit_id, c.unit_id),
                "challenges": c.challenges,
                "actions": c.actions,
            }
            for c in counts
        ],
        "challenges": sum(c.challenges for c in counts),
        "actions": sum(c.actions for c in counts),
    }
