"""`driftsblik indicators define FILE` and `driftsblik indicators compute ...`.

`define` loads indicator definitions (YAML or CSV). `compute` runs the register engine; its
arguments and work belong to `driftsblik.indicators.engine_commands`, imported only when needed
so that `define` works without the engine installed.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from driftsblik.core.tabular import ImportRejected

ENGINE_COMMANDS = "driftsblik.indicators.engine_commands"


def _import_engine() -> tuple[ModuleType | None, str]:
    """The engine's command module, or None and why: absent, or present with a missing dependency."""
    try:
        return importlib.import_module(ENGINE_COMMANDS), ""
    except ImportError as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _engine_commands() -> ModuleType | None:
    return _import_engine()[0]


class Command(BaseCommand):
    help = "Indicator definitions (define FILE) and register-based indicators (compute ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{define,compute}")
        define = subparsers.add_parser("define", help="Create or update indicator definitions from YAML or CSV.")
        define.add_argument("file", help="A .yaml/.yml file or a .csv/.xlsx table of definitions.")
        engine = _engine_commands()
        if engine is not None:
            engine.add_compute_parser(subparsers)
        else:
            # Without the engine its options are unknown: take every argument as plain text ("+" is no
            # prefix anyone writes), so that `handle` can say the engine is missing.
            compute = subparsers.add_parser(
                "compute",
                help="Compute register-based indicators (engine not installed).",
                prefix_chars="+",
                add_help=False,
            )
            compute.add_argument("rest", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "compute":
            engine = _engine_commands()
            if engine is None:
                self.stderr.write(
                    f"indicators compute: the register engine ({ENGINE_COMMANDS}) is not available "
                    f"({_import_engine()[1] or 'not installed'})"
                )
                sys.exit(1)
            code = engine.handle_compute(options, self.stdout, self.stderr)
            if code:
                sys.exit(code)
            return
        from driftsblik.indicators.services import indicators_define

        try:
            summary = indicators_define(path=options["file"])
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"indicators: {summary}")
