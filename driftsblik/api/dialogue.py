"""The person's dialogue threads (challenges, answers, follow-up actions), through the dialogue
app's own selectors: the threads at units they see, a thread outside them is a 404, and reading a
thread is in the dialogue's audit log as on the thread page."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from driftsblik.api.params import IndicatorParam, StatusParam, UnitParam
from driftsblik.api.read import ERRORS
from driftsblik.api.schemas import ThreadDetail, ThreadOut
from driftsblik.dialogue import selectors, services
from driftsblik.dialogue.models import AuditEntry, Challenge
from driftsblik.organisation.viewer import viewer_of

router = Router(tags=["dialogue"])
MAX_THREADS = 1000


def _thread_out(challenge: Challenge) -> dict[str, object]:
    return {
        "id": challenge.pk,
        "indicator": challenge.indicator_id,
        "unit_id": challenge.unit_id,
        "period": challenge.period,
        "status": challenge.status,
        "question": challenge.question,
        "author": str(challenge.author),
        "addressee": str(challenge.addressee),
        "answer_by": challenge.answer_by,
        "created_at": challenge.created_at,
        "answered_at": challenge.answered_at,
        "closed_at": challenge.closed_at,
        "parent_id": challenge.parent_id,
    }


@router.get("/threads", response={200: list[ThreadOut], **ERRORS}, summary="My dialogue threads / Mine tråde")
def threads(
    request: HttpRequest,
    unit_id: UnitParam = None,
    indicator: IndicatorParam = None,
    status: StatusParam = None,
) -> list[dict[str, object]]:
    """The threads the person may see (at most 1,000, newest first), at one unit, about one indicator
    or in one status when asked."""
    viewer = viewer_of(request)
    if unit_id is not None:
        viewer.access(unit_id)
    queryset = selectors.threads_visible_to(viewer.user, visible=viewer.visible)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if indicator:
        queryset = queryset.filter(indicator_id=indicator)
    if status:
        queryset = queryset.filter(status=status)
    return [_thread_out(c) for c in queryset.order_by("-created_at", "-pk")[:MAX_THREADS]]


@router.get("/threads/{thread_id}", response={200: ThreadDetail, **ERRORS}, summary="One thread / Én tråd")
def thread(request: HttpRequest, thread_id: int) -> dict[str, object]:
    viewer = viewer_of(request)
    challenge = selectors.thread_or_404(viewer.user, thread_id, visible=viewer.visible)
    services.audit_record(user=viewer.user, access=AuditEntry.Access.READ, what="thread", challenge=challenge)
    return {
        **_thread_out(challenge),
        "events": [
            {"kind": e.kind, "actor": str(e.actor), "text": e.text, "status": e.status, "at": e.at}
            for e in challenge.events.all()
        ],
        "actions": [
            {"title": a.title, "owner": str(a.owner), "due": a.due, "status": a.status, "done_at": a.done_at}
            for a in challenge.actions.all()
        ],
    }
