"""The committee reports on other apps' pages: the commentary a leader still owes, in "For me".

Registered as an `OverviewSection` in `ReportsConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from driftsblik.reports.commentary import owed_by


def commentary_due(page: template.Context) -> dict[str, Any]:
    """The count of committee-report commentary the person still owes."""
    user = page["request"].user
    if not user.is_authenticated:
        return {"missing": 0}
    owed = owed_by(user, today=timezone.localdate())
    return {"missing": sum(1 for *_, done in owed if not done)}
