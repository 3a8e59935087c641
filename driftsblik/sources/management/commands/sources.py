"""`driftsblik sources list | fetch NAME [--from YYYY-MM] [--to YYYY-MM] [--dry-run]`: the public sources."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from driftsblik.core.periods import Month, PeriodError


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except PeriodError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Public sources (Statistikbanken, Jobindsats, OS2mo): list the configured mapping files, or fetch "
        "one (all or nothing; --dry-run prints what would change and stores nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{list,fetch}")
        actions.add_parser("list", help="The sources in DRIFTSBLIK_SOURCES_DIR, their schedule and last fetch.")
        fetch = actions.add_parser("fetch", help="Fetch one source now.")
        fetch.add_argument("name", help="The source's name: its mapping file's name without .yaml.")
        fetch.add_argument("--from", dest="first", type=_month, help="First month (YYYY-MM).")
        fetch.add_argument("--to", dest="last", type=_month, help="Last month (YYYY-MM), default this month.")
        fetch.add_argument("--dry-run", action="store_true", help="Print what would change; store nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
        else:
            self._fetch(options["name"], options["first"], options["last"], options["dry_run"])

    def _list(self) -> None:
        from driftsblik.sources.mapping import EXAMPLES, MappingError, configured_sources
        from driftsblik.sources.models import RunStatus, SourceRun

        try:
            sources = configured_sources()
        except MappingError as exc:
            raise CommandError(str(exc)) from None
        if not sources:
            self.stdout.write(
                f"No sources are configured: set DRIFTSBLIK_SOURCES_DIR to a folder of mapping files "
                f"(examples: {EXAMPLES})."
            )
            return
        for source in sources:
            if isinstance(source, MappingError):
                self.stdout.write(f"{source.path.stem}: NOT USABLE: {'; '.join(source.reasons)}")
                continue
            schedule = source.mapping.schedule
            when = f"every {schedule.every}" + (f" (day {schedule.day})" if schedule.every != "day" else "")
            runs = SourceRun.objects.filter(name=source.name).exclude(status=RunStatus.DRY_RUN)
            last = runs.first()
            last_ok = runs.filter(status=RunStatus.OK).first()
            self.stdout.write(
                f"{source.name}: {source.connector.label} ({source.connector.kind}): {source.mapping.title}; "
                f"{when if schedule else 'no schedule'}"
            )
            if last_ok:
                self.stdout.write(f"  last fetched {timezone.localtime(last_ok.started_at):%Y-%m-%d %H:%M}")
            if last and last.status == RunStatus.FAILED:
                self.stdout.write(
                    f"  last attempt {timezone.localtime(last.started_at):%Y-%m-%d %H:%M} failed: {last.message}"
                )

    def _fetch(self, name: str, first: Month | None, last: Month | None, dry_run: bool) -> None:
        from driftsblik.sources.mapping import MappingError, source_named
        from driftsblik.sources.services import FetchFailed, source_fetch

        try:
            source = source_named(name)
            report = source_fetch(source=source, first=first, last=last, dry_run=dry_run)
        except (MappingError, FetchFailed) as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
