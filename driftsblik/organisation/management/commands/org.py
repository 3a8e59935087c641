"""`driftsblik org import FILE [FILE ...]`: units, leaders, committees, task areas and groups from files.

The files are imported in the order given, in one transaction: a problem in any of them stores
nothing from any of them. Every problem is printed on stderr (file, row, column, reason) and the
command exits 1.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from driftsblik.core.tabular import ImportRejected
from driftsblik.organisation.services import org_import


class Command(BaseCommand):
    help = "Organisation: `import FILE` reads units, leaders, committees, task areas and groups (CSV or .xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser(
            "import",
            help="import units with their validity spans and leaders, committees and task areas, groups",
        )
        importing.add_argument("files", nargs="+", metavar="FILE", help="a .csv file or an .xlsx workbook")

    def handle(self, *args: object, **options: object) -> None:
        files = options["files"]
        assert isinstance(files, list)  # noqa: S101 - argparse gives a list
        try:
            with transaction.atomic():
                summaries = [org_import(path=f) for f in files]
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s) in the file; nothing was stored") from None
        for summary in summaries:
            for line in summary.lines():
                self.stdout.write(line)
