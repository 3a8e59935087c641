from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "driftsblik.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def tick(self, *, today: dt.date, say: Callable[[str], object]) -> str:
        """Open commentary rounds are announced to the responsible leaders; missing commentary is
        reminded and escalated (each once)."""
        from driftsblik.reports.commentary import chase

        opened, sent = chase(today=today)
        return f"{opened} commentary requests, {sent} reminders and escalations"
