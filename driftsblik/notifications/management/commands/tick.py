"""`driftsblik tick [--today YYYY-MM-DD]`: the scheduled work, run by cron or a systemd timer.

Every app that has scheduled work declares it as a `tick(*, today, say)` method on its AppConfig
(reminders and escalations of challenges and actions, commentary rounds and due reports); this
command runs them in the order of INSTALLED_APPS, then sends any e-mail a previous run could not
deliver. Running it twice sends nothing twice: every notification is keyed by its event.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from driftsblik.notifications.services import send_pending_email


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today: {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=_date, default=None, help="Run as on this day (default: today), e.g. to catch up."
        )

    def handle(self, *args: object, **options: object) -> None:
        today: dt.date = options["today"] or timezone.localdate()  # type: ignore[assignment]
        self.stdout.write(f"driftsblik tick for {today.isoformat()}")
        for config in apps.get_app_configs():
            tick = getattr(config, "tick", None)
            if callable(tick):
                summary = tick(today=today, say=self.stdout.write)
                self.stdout.write(f"  {config.label}: {summary}")
        resent = send_pending_email()
        if resent:
            self.stdout.write(f"  e-mail: sent {resent} that could not be delivered before")
