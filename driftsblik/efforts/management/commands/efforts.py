"""`driftsblik efforts define FILE | retire CODE [--on YYYY-MM-DD]`: cross-cutting efforts and methods
from a YAML file; retiring an effort the pages, the tick and new reports should no longer show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from driftsblik.core.tabular import ImportRejected


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--on: {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Cross-cutting efforts: define FILE (YAML with methods and efforts; all or nothing), "
        "retire CODE (kept with its history, no longer shown)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{define,retire}")
        define = subparsers.add_parser("define", help="Create or update efforts and methods from a YAML file.")
        define.add_argument("file", help="A .yaml/.yml file of methods and efforts.")
        retire = subparsers.add_parser(
            "retire", help="Retire an effort: pages, tick and new reports leave it out; its history is kept."
        )
        retire.add_argument("code", help="The effort's code.")
        retire.add_argument("--on", type=_date, default=None, help="The day it is retired (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retire":
            self._retire(options["code"], options["on"] or timezone.localdate())
            return
        from driftsblik.efforts.define import efforts_define

        try:
            summary = efforts_define(path=options["file"])
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"efforts: {summary}")

    def _retire(self, code: str, day: dt.date) -> None:
        from driftsblik.efforts.services import effort_retire

        try:
            effort = effort_retire(code=code, day=day)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"efforts: {effort.code} retired on {effort.retired}; its history is kept")
