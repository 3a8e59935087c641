"""The dialogue on other apps' pages: the "Til mig" strip, a unit's threads, an indicator's threads.

Each tag reads the person from the request and the visibility from the page's `viewer` when the
page has one (so the rule is not worked out twice), and goes through the dialogue's selectors.
"""

from __future__ import annotations

from typing import Any

from django import template

from driftsblik.core.periods import Period
from driftsblik.dialogue import selectors
from driftsblik.dialogue.forms import RaiseForm
from driftsblik.dialogue.policy import challenge_refusal
from driftsblik.organisation.visibility import today

register = template.Library()


def _visible(context: template.Context):
    viewer = context.get("viewer")
    return getattr(viewer, "visible", None)


@register.inclusion_tag("dialogue/_to_me.html", takes_context=True)
def to_me_strip(context: template.Context) -> dict[str, Any]:
    """Counts of challenges to answer, answers awaited, answers to read and actions due."""
    request = context["request"]
    return {"inbox": selectors.inbox(request.user, visible=_visible(context))}


@register.inclusion_tag("dialogue/_unit_threads.html", takes_context=True)
def unit_dialogue(context: template.Context, unit_id: str) -> dict[str, Any]:
    """The unit's open challenges and actions."""
    request = context["request"]
    visible = _visible(context)
    threads = selectors.threads_at(request.user, unit_id, visible=visible).exclude(status="closed")
    return {
        "threads": list(threads[:50]),
        "actions": list(selectors.actions_at(request.user, unit_id, visible=visible)[:50]),
        "unit_name": context.get("unit_name", unit_id),
        "today": today(),
    }


@register.inclusion_tag("dialogue/_indicator_threads.html", takes_context=True)
def indicator_dialogue(context: template.Context, indicator: Any, unit_id: str, period: Period) -> dict[str, Any]:
    """The threads about this indicator at this unit, and the form to raise one when the person may."""
    request = context["request"]
    viewer = context.get("viewer")
    threads = list(
        selectors.threads_at(request.user, unit_id, indicator_code=indicator.code, visible=_visible(context))[:50]
    )
    chosen = period if period.kind in ("month", "quarter") else Period.month(period.stop)
    refusal = challenge_refusal(
        request.user, unit_id, tree=getattr(viewer, "tree", None), visible=getattr(viewer, "visible", None)
    )
    form = None
    if refusal is None:
        form = RaiseForm(initial={"indicator": indicator.code, "unit": unit_id, "period": str(chosen)})
    return {
        "threads": threads,
        "form": form,
        "refusal": refusal,
        "indicator": indicator,
        "unit_id": unit_id,
        "csrf_token": context.get("csrf_token"),
    }
