"""Late milestones: the effort's owner is told once, the day after a milestone's due date passes undone
(never for a retired effort)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from driftsblik.efforts.models import Milestone, MilestoneStatus
from driftsblik.notifications.services import notify
from driftsblik.ui.formats import prose_date


def remind_late_milestones(*, today: dt.date) -> str:
    """Tell each effort's owner about its milestones past their due date and not done (once per milestone)."""
    late = (
        Milestone.objects.filter(due__lt=today, effort__retired__isnull=True)
        .exclude(status=MilestoneStatus.DONE)
        .select_related("effort", "effort__owner")
        .order_by("due", "id")
    )
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for milestone in late:
            effort = milestone.effort
            sent = notify(
                recipient=effort.owner,
                key=f"efforts:milestone-late:{milestone.pk}",
                subject=_("Milestone late: %(title)s") % {"title": milestone.title},
                body=_("The milestone %(title)s of the effort %(effort)s was due %(due)s and is not done.")
                % {"title": milestone.title, "effort": effort.name, "due": prose_date(milestone.due)},
                url=reverse("efforts:detail", args=[effort.code]),
            )
            told += sent is not None
    return f"{told} late milestone(s) told to the efforts' owners"
