"""`driftsblik budget import FILE [--year YYYY]` and `driftsblik budget accounts import FILE`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from driftsblik.core.tabular import ImportRejected


class Command(BaseCommand):
    help = "Budget: import a ledger file (CSV or Excel) or extend the chart of accounts."
    # Django's system checks import every view (the URL configuration), the register engine's
    # pandas and pyarrow among them: a file import needs none of it (`driftsblik check` runs them)
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser(
            "import",
            help="Import ledger lines (period, unit_id, account, dranst, art, kind, amount) of one budget year.",
        )
        load.add_argument("file")
        load.add_argument("--year", type=int, help="The budget year of the file (default: the year of its first row).")
        accounts = actions.add_parser("accounts", help="The chart of accounts.")
        accounts_actions = accounts.add_subparsers(dest="accounts_action", required=True)
        add = accounts_actions.add_parser("import", help="Add or rename functions (columns function, name).")
        add.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        from driftsblik.budget.services import accounts_import, ledger_import

        started = time.perf_counter()
        try:
            if options["action"] == "import":
                summary = ledger_import(path=options["file"], year=options["year"], progress=self._progress)
                self.stdout.write(f"budget: {summary} in {time.perf_counter() - started:.1f} s")
            else:
                created, renamed = accounts_import(path=options["file"])
                self.stdout.write(f"accounts: {created} function(s) added, {renamed} renamed")
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None

    def _progress(self, stage: str, done: int, total: int) -> None:
        if total >= 100_000 and done in (0, total):
            word = {"check": "checking", "store": "storing"}.get(stage, stage)
            self.stderr.write(f"{word} {total} line(s): {'done' if done else 'started'}")
