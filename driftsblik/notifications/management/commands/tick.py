"""`driftsblik tick [--today YYYY-MM-DD]`: the scheduled work, run by cron or a systemd timer.

Every app with scheduled work registers it as a `TickJob` (`driftsblik.core.hooks`): reminders and
escalations of challenges and actions, commentary rounds and due reports, late milestones. This
command runs the jobs in their order, then sends any e-mail a previous run could not deliver.
Running it twice sends nothing twice: every notification is keyed by its event.

Each job runs on its own: one that fails is reported (a line naming it and its error, the traceback
in the log) and the others still run; the command then exits non-zero, naming the failed jobs.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from driftsblik.core import hooks
from driftsblik.notifications.services import send_pending_email

log = logging.getLogger("driftsblik.tick")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today: {text!r} is not a date (YYYY-MM-DD)") from None


def _resend(*, today: dt.date) -> str:
    resent = send_pending_email()
    return f"sent {resent} that could not be delivered before" if resent else ""


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=_date, default=None, help="Run as on this day (default: today), e.g. to catch up."
        )

    def handle(self, *args: object, **options: object) -> None:
        today: dt.date = options["today"] or timezone.localdate()  # type: ignore[assignment]
        self.stdout.write(f"driftsblik tick for {today.isoformat()}")
        jobs = [*hooks.entries(hooks.TickJob), hooks.TickJob("e-mail", _resend)]
        failed = [job.name for job in jobs if not self._run(job, today)]
        if failed:
            names = ", ".join(failed)
            raise CommandError(f"{len(failed)} of {len(jobs)} tick jobs failed: {names} (see the log above)")

    def _run(self, job: hooks.TickJob, today: dt.date) -> bool:
        """Run one job; a failure is reported and logged, never passed on to the next job."""
        try:
            summary = job.run(today=today)
        except Exception as exc:
            log.exception("tick job %s failed on %s", job.name, today.isoformat())
            self.stderr.write(f"  {job.name}: FAILED: {type(exc).__name__}: {exc}")
            return False
        if summary:
            self.stdout.write(f"  {job.name}: {summary}")
        return True
