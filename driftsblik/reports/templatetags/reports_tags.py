"""`{% commentary_due user %}`: the count of committee-report commentary the person still owes."""

from __future__ import annotations

from django import template
from django.utils import timezone

from driftsblik.reports.commentary import owed_by

register = template.Library()


@register.inclusion_tag("reports/_commentary_due.html")
def commentary_due(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"missing": 0}
    owed = owed_by(user, today=timezone.localdate())
    return {"missing": sum(1 for *_, done in owed if not done)}
