"""`driftsblik registers generate ...` and `driftsblik registers import-dream ...`.

Thin: the options and the work belong to `driftsblik.engine.cli`.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

from driftsblik.engine.cli import (
    add_generate_arguments,
    add_import_dream_arguments,
    run_generate,
    run_import_dream,
)


class Command(BaseCommand):
    help = "Person-level registers: generate synthetic ones, or import benefit weeks from DREAM."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{generate,import-dream}")
        add_generate_arguments(
            sub.add_parser("generate", help="Generate a deterministic synthetic population's registers.")
        )
        add_import_dream_arguments(
            sub.add_parser("import-dream", help="Turn a DREAM file (y_YYWW columns) into benefit_weeks.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = run_generate if options["action"] == "generate" else run_import_dream
        code = run(options, cast(TextIO, self.stdout), cast(TextIO, self.stderr))
        if code:
            sys.exit(code)
