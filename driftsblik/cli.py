"""The `driftsblik` console command.

Every verb is a Django management command (`driftsblik org import FILE` runs the `org`
command), so the docs, the tests and an operator's scripts use the same words, and every
command honours DATABASE_URL through the settings.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from driftsblik.conf import ConfigurationError

    args = list(sys.argv[1:] if argv is None else argv)
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
