"""`driftsblik targets import FILE`: targets per indicator, unit and budget year (CSV or Excel)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from driftsblik.core.tabular import ImportRejected


class Command(BaseCommand):
    help = "Targets per indicator, unit and budget year (columns indicator, unit_id, year, target)."
    # Django's system checks import every view (the URL configuration), the register engine's
    # pandas and pyarrow among them: a file import needs none of it (`driftsblik check` runs them)
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        load = subparsers.add_parser("import", help="Import targets from a CSV or Excel file.")
        load.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        from driftsblik.indicators.services import targets_import

        try:
            summary = targets_import(path=options["file"])
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"targets: {summary}")
