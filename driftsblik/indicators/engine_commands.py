"""The `compute` subcommand of `driftsblik indicators`: thin glue between Django and the engine.

The options and the work live in `driftsblik.engine.cli` (no Django there); `--load` hands the
figures to `driftsblik.indicators.services.observations_replace_engine_output`, which replaces
exactly those cells in one transaction.
"""

from __future__ import annotations

from typing import Any, TextIO

from driftsblik.engine.cli import add_compute_arguments, run_compute


def add_compute_parser(subparsers: Any) -> Any:
    """Add `compute --registers DIR --from M --to M [--indicator C ...] [--backend B] [--out F] [--load]`."""
    parser = subparsers.add_parser(
        "compute",
        help="Compute register-based indicators with the engine (DuckDB, PostgreSQL, Spark or polars).",
    )
    add_compute_arguments(parser)
    return parser


def _load(rows: list[dict[str, Any]], source: str) -> int:
    from driftsblik.indicators.services import observations_replace_engine_output

    return int(observations_replace_engine_output(rows=rows, source=source))


def handle_compute(options: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    """Run the engine with the parsed options; returns the exit code."""
    from driftsblik.core.tabular import ImportRejected

    try:
        return run_compute(options, stdout, stderr, load=_load)
    except ImportRejected as exc:
        stderr.write(f"indicators compute --load: {exc}\n")
        return 1
