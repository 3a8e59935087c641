"""`driftsblik flush`: Django's flush (every row of every table deleted), with the append-only
tables' triggers lifted for that one transaction (core/appendonly.py): emptying the whole database
is the one time the audit log and the issued reports go. The test runner and `driftsblik demo`
empty databases through this command."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from driftsblik.core.appendonly import append_only_lifted


class Command(flush.Command):
    help = flush.Command.help + " The audit log and the issued reports go too."

    def handle(self, **options: Any) -> None:
        with append_only_lifted(options["database"]):
            super().handle(**options)
