"""`driftsblik dialogue import FILE`: challenges with their answers, actions and closing, from a YAML file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from driftsblik.core.tabular import ImportRejected


class Command(BaseCommand):
    help = "Dialogue threads: import FILE (YAML; replayed through the dialogue's rules; all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        load = subparsers.add_parser("import", help="Raise and replay the threads of a YAML file.")
        load.add_argument("file", help="A .yaml/.yml file with a list 'threads'.")

    def handle(self, *args: Any, **options: Any) -> None:
        from driftsblik.dialogue.imports import threads_import

        try:
            summary = threads_import(path=options["file"])
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"dialogue: {summary}")
