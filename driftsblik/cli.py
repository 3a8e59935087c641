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

    from driftsblik.conf import ConfigurationError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        execute_from_command_line(["driftsblik", *args])
    except ConfigurationError as exc:
        sys.stderr.write(f"driftsblik: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
