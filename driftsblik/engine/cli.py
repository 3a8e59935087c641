"""Command-line plumbing for the engine: argparse options and the work behind them.

The Django management commands (``driftsblik indicators compute``, ``driftsblik registers
generate|import-dream``) stay thin: they add these options and call these functions, which know
nothing of Django. Every function returns an exit code and writes clear messages on bad input.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa

from driftsblik.engine.backends import BACKENDS, DEFAULT_BACKEND
from driftsblik.engine.errors import EngineInputError, RegisterValidationError

Loader = Callable[[list[dict[str, Any]], str], int]


def add_compute_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``indicators compute``."""
    parser.add_argument(
        "--registers",
        required=True,
        metavar="DIR",
        help="Folder of register files (Parquet or CSV), or db:[SCHEMA] for database tables.",
    )
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM", help="First month.")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM", help="Last month.")
    parser.add_argument(
        "--indicator",
        dest="indicator",
        action="extend",
        nargs="+",
        metavar="CODE",
        help="Only these indicators (default: all registered).",
    )
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=DEFAULT_BACKEND,
        help="Where to compute (default duckdb; postgres uses DATABASE_URL; pyspark uses SPARK_MASTER or local[2]).",
    )
    parser.add_argument(
        "--param",
        dest="param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Override a threshold, e.g. --param weeks_required=40.",
    )
    parser.add_argument("--out", metavar="FILE", help="Write the output to FILE (.csv or .parquet).")
    parser.add_argument(
        "--load", action="store_true", help="Store the figures as observations in the application database."
    )


def parse_params(items: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` strings as a dict (integers and decimals become numbers)."""
    params: dict[str, Any] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise EngineInputError(f"--param wants NAME=VALUE, got {item!r}")
        number: Any
        try:
            number = int(value)
        except ValueError:
            try:
                number = float(value)
            except ValueError as exc:
                raise EngineInputError(f"--param {name}: {value!r} is not a number") from exc
        params[name.strip()] = number
    return params


@contextlib.contextmanager
def rich_progress(stderr: TextIO, label: str) -> Iterator[Callable[[int, int, str], None]]:
    """A Rich progress bar on ``stderr``; yields the engine's ``progress(done, total, label)``."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=getattr(stderr, "_out", stderr))
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    task = bar.add_task(label, total=None)
    with bar:

        def progress(done: int, total: int, step: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{label}: {step}")

        yield progress


def output_rows(table: pa.Table) -> list[dict[str, Any]]:
    """Engine output as dicts for loading (indicator, unit_id, period, numerator, denominator)."""
    cols = ["indicator", "unit_id", "period", "numerator", "denominator"]
    rows: list[dict[str, Any]] = table.select(cols).to_pylist()
    return rows


def run_compute(options: dict[str, Any], stdout: TextIO, stderr: TextIO, load: Loader | None = None) -> int:
    """Compute the indicators; write ``--out`` (or CSV to stdout) and, with ``--load``, call ``load``."""
    from driftsblik.engine.compute import compute, csv_text, write_output

    out = options.get("out")
    try:
        if out and Path(out).suffix not in (".csv", ".parquet"):
            raise EngineInputError(f"--out must end in .csv or .parquet: {out}")
        params = parse_params(options.get("param") or [])
        with rich_progress(stderr, "indicators") as progress:
            table = compute(
                options["registers"],
                options["start"],
                options["end"],
                indicators=options.get("indicator") or None,
                backend=options.get("backend") or DEFAULT_BACKEND,
                params=params,
                progress=progress,
            )
    except RegisterValidationError as exc:
        stderr.write(exc.report() + "\n")
        return 1
    except EngineInputError as exc:
        stderr.write(f"indicators compute: {exc}\n")
        return 2
    if out:
        write_output(table, out)
        stderr.write(f"wrote {table.num_rows} rows to {out}\n")
    if options.get("load"):
        if load is None:
            stderr.write("indicators compute: --load is not available here\n")
            return 2
        n = load(output_rows(table), f"engine:{options['registers']}")
        stderr.write(f"loaded {n} observations\n")
    if not out and not options.get("load"):
        stdout.write(csv_text(table))
    return 0


def add_generate_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``registers generate``."""
    parser.add_argument("--persons", type=int, default=64_000, help="Residents to generate (default 64000).")
    parser.add_argument(
        "--from",
        dest="start",
        default="2025-01",
        metavar="YYYY-MM",
        help="First month of the figures (history of 52 weeks is added before it).",
    )
    parser.add_argument("--to", dest="end", default="2025-12", metavar="YYYY-MM", help="Last month.")
    parser.add_argument("--out", required=True, metavar="DIR", help="Folder to write the Parquet files to.")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same registers).")
    parser.add_argument("--units", metavar="FILE", help="CSV of domain,unit_id rows (default: the demo's units).")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="File format.")


def run_generate(options: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    """Generate synthetic registers."""
    from driftsblik.engine.generate import generate, read_units

    try:
        units = read_units(options["units"]) if options.get("units") else None
        counts = generate(
            options["out"],
            persons=int(options["persons"]),
            start=options["start"],
            end=options["end"],
            seed=int(options["seed"]),
            units=units,
            file_format=options.get("format") or "parquet",
        )
    except EngineInputError as exc:
        stderr.write(f"registers generate: {exc}\n")
        return 2
    stdout.write(", ".join(f"{name}: {n} rows" for name, n in counts.items()) + f" -> {options['out']}\n")
    return 0


def add_import_dream_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``registers import-dream``."""
    parser.add_argument("file", help="DREAM file (CSV or Parquet): person_id and y_YYWW columns.")
    parser.add_argument(
        "--codes",
        required=True,
        metavar="MAPPING",
        help="CSV with columns code,benefit mapping DREAM codes to the contract's benefits.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="Register folder to write benefit_weeks to.")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="File format.")


def run_import_dream(options: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    """Turn a DREAM file into ``benefit_weeks``."""
    from driftsblik.engine.dream import import_dream

    try:
        path, n = import_dream(
            options["file"], options["codes"], options["out"], file_format=options.get("format") or "parquet"
        )
    except (EngineInputError, RegisterValidationError) as exc:
        stderr.write(f"registers import-dream: {exc}\n")
        return 1
    stdout.write(f"wrote {n} benefit weeks to {path}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m driftsblik.engine.cli {compute,generate,import-dream} ...`` without Django."""
    import sys

    parser = argparse.ArgumentParser(prog="driftsblik-engine")
    sub = parser.add_subparsers(dest="action", required=True)
    add_compute_arguments(sub.add_parser("compute", help="Compute register indicators."))
    add_generate_arguments(sub.add_parser("generate", help="Generate synthetic registers."))
    add_import_dream_arguments(sub.add_parser("import-dream", help="DREAM wide format to benefit_weeks."))
    options = vars(parser.parse_args(argv))
    runners = {"compute": run_compute, "generate": run_generate, "import-dream": run_import_dream}
    return runners[options["action"]](options, sys.stdout, sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
