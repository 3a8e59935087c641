from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "driftsblik.dialogue"
    label = "dialogue"
    default_auto_field = "django.db.models.BigAutoField"

    def tick(self, *, today: dt.date, say: Callable[[str], object]) -> str:
        """Remind overdue answers and actions to their owners, and escalate them after the grace period."""
        from driftsblik.dialogue.reminders import remind_overdue

        return remind_overdue(today=today)
