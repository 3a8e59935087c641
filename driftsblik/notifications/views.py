"""The person's messages: reminders, escalations and news about their threads and reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from driftsblik.notifications.selectors import notifications_for
from driftsblik.notifications.services import notification_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("side"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("notification")
    notification_mark_read(recipient=request.user, notification_id=int(raw) if raw and raw.isdigit() else None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:list")
