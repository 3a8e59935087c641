"""`driftsblik efforts define FILE`: create or update cross-cutting efforts and methods from a YAML file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from driftsblik.core.tabular import ImportRejected


class Command(BaseCommand):
    help = "Cross-cutting efforts: define FILE (YAML with methods and efforts; all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{define}")
        define = subparsers.add_parser("define", help="Create or update efforts and methods from a YAML file.")
        define.add_argument("file", help="A .yaml/.yml file of methods and efforts.")

    def handle(self, *args: Any, **options: Any) -> None:
        from driftsblik.efforts.define import efforts_define

        try:
            summary = efforts_define(path=options["file"])
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"efforts: {summary}")
