"""The `driftsblik` console command.

Every verb is a Django management command (`driftsblik org import FILE` runs the `org`
command), so the docs, the tests and an operator's scripts use the same words, and every
command honours DATABASE_URL through the settings.

One exception keeps the register engine's batch runs lean: `driftsblik indicators compute`
without `--load` touches no database, so it runs the engine's own command line
(`driftsblik.engine.cli`, the same options and messages) without starting Django.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if engine_only(args):
        sys.exit(_engine_compute(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from driftsblik.conf import ConfigurationError

    try:
        execute_from_command_line(["driftsblik", *args])
    except ConfigurationError as exc:
        sys.stderr.write(f"driftsblik: configuration error: {exc}\n")
        sys.exit(2)
    except DatabaseError as exc:
        pending = _unapplied_migrations()
        if not pending:
            raise
        from driftsblik.core.schema import MIGRATE_HINT

        sys.stderr.write(
            f"driftsblik: the database lacks Driftsblik's tables ({len(pending)} migrations not applied; "
            f"the database said: {exc}): {MIGRATE_HINT} first\n"
        )
        sys.exit(2)


def engine_only(args: list[str]) -> bool:
    """True for `indicators compute ...` without `--load` (and without help, which Django's
    command prints with its own usage line)."""
    return (
        args[:2] == ["indicators", "compute"]
        and "--load" not in args
        and not {"-h", "--help"} & set(args)
        and not any(a.startswith("--settings") or a.startswith("--pythonpath") for a in args)
    )


def _engine_compute(args: list[str]) -> int:
    """`indicators compute` through the engine's command line alone."""
    import argparse

    from driftsblik.conf import ConfigurationError

    try:
        from driftsblik.engine.cli import add_compute_arguments, run_compute
    except ImportError as exc:
        sys.stderr.write(f"indicators compute: the register engine is not available ({type(exc).__name__}: {exc})\n")
        return 1
    parser = argparse.ArgumentParser(prog="driftsblik indicators compute")
    add_compute_arguments(parser)
    options = vars(parser.parse_args(args))
    try:
        return run_compute(options, sys.stdout, sys.stderr)
    except ConfigurationError as exc:
        sys.stderr.write(f"driftsblik: configuration error: {exc}\n")
        return 2


def _unapplied_migrations() -> list[str]:
    """The migrations the database lacks, asked on a fresh connection (the failed one may be in an
    aborted transaction); none when even that cannot be told."""
    from django.db import DatabaseError, connection

    from driftsblik.core.schema import unapplied_migrations

    connection.close()
    try:
        return unapplied_migrations()
    except DatabaseError:
        return []


if __name__ == "__main__":
    main()
