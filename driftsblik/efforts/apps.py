from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.apps import AppConfig


class EffortsConfig(AppConfig):
    name = "driftsblik.efforts"
    label = "efforts"
    default_auto_field = "django.db.models.BigAutoField"

    def tick(self, *, today: dt.date, say: Callable[[str], object]) -> str:
        """Tell the efforts' owners about milestones past their due date and not done (once each)."""
        from driftsblik.efforts.reminders import remind_late_milestones

        return remind_late_milestones(today=today)
