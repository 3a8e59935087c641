from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "driftsblik.sources"
    label = "sources"
    verbose_name = _("Public sources")
    default_auto_field = "django.db.models.BigAutoField"

    def tick(self, *, today: dt.date, say: Callable[[str], object]) -> str:
        """Fetch the public sources whose schedule (in their mapping file) says they are due."""
        from driftsblik.sources.schedule import fetch_due

        return fetch_due(today=today, say=say)
