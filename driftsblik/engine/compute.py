"""Computing the register indicators: the engine's public entry point.

``compute(registers, start, end)`` opens and validates the registers, builds each requested
indicator as an Ibis expression on the chosen backend, and returns the engine output of
DESIGN.md: ``indicator, unit_id, period, numerator, denominator, value``, sorted by indicator,
unit and period. Only the data the months need is read (the 52 weeks before the first month,
two months before it for the youth status, 30 days after the last for readmissions), so
computing one new month costs about one month's work.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from driftsblik.engine import backends
from driftsblik.engine.contract import UNASSIGNED, open_registers
from driftsblik.engine.errors import EngineInputError, RegisterValidationError
from driftsblik.engine.indicators import INDICATORS, Context, IndicatorSpec, load_packs
from driftsblik.engine.periods import MonthRange, month_label
from driftsblik.engine.runner import Runner
from driftsblik.engine.validate import submit_checks
from driftsblik.engine.weeks import week_sets, week_span

OUTPUT_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("unit_id", pa.string()),
        ("period", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
        ("value", pa.float64()),
    ]
)

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, label)`` after each step of a run."""


def resolve_indicators(codes: list[str] | None) -> list[IndicatorSpec]:
    """The registered indicators named by ``codes`` (all of them when ``None``)."""
    load_packs()
    if not codes:
        return list(INDICATORS.values())
    unknown = [c for c in codes if c not in INDICATORS]
    if unknown:
        raise EngineInputError(f"unknown indicator(s) {', '.join(unknown)}; known: {', '.join(sorted(INDICATORS))}")
    return [INDICATORS[c] for c in dict.fromkeys(codes)]


def _params_for(spec: IndicatorSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    known = spec.parameters
    return {k: v for k, v in params.items() if k in known}


def _check_params(specs: list[IndicatorSpec], params: Mapping[str, Any]) -> None:
    known = {k for s in specs for k in s.parameters}
    unknown = sorted(set(params) - known)
    if unknown:
        raise EngineInputError(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def finish(spec: IndicatorSpec, raw: pa.Table, months: MonthRange) -> pa.Table:
    """Turn a builder's per-unit counts into output rows for ``spec``.

    Counts: numerator is the count, denominator empty, value the count; a row for
    ``_unassigned`` in every month (0 when nobody). Shares: 100 * num / den; per-1000 rates:
    1000 * num / den; rows whose denominator is 0 are left out.
    """
    rows = [r for r in raw.to_pylist() if months.first <= r["month_idx"] <= months.last]
    out: list[dict[str, Any]] = []
    if spec.measure == "count":
        seen = {r["month_idx"] for r in rows if r["unit_id"] == UNASSIGNED}
        rows += [
            {"unit_id": UNASSIGNED, "month_idx": m, "numerator": 0, "denominator": 0}
            for m in months.indices
            if m not in seen
        ]
        for r in rows:
            n = int(r["numerator"] or 0)
            out.append(
                {
                    "unit_id": r["unit_id"],
                    "month_idx": r["month_idx"],
                    "numerator": n,
                    "denominator": None,
                    "value": float(n),
                }
            )
    else:
        scale = 100.0 if spec.measure == "share" else 1000.0
        for r in rows:
            n, d = int(r["numerator"] or 0), int(r["denominator"] or 0)
            if d > 0:
                out.append(
                    {
                        "unit_id": r["unit_id"],
                        "month_idx": r["month_idx"],
                        "numerator": n,
                        "denominator": d,
                        "value": scale * n / d,
                    }
                )
    return pa.Table.from_pylist(
        [
            {
                "indicator": spec.code,
                "unit_id": r["unit_id"],
                "period": month_label(r["month_idx"]),
                "numerator": r["numerator"],
                "denominator": r["denominator"],
                "value": r["value"],
            }
            for r in out
        ],
        schema=OUTPUT_SCHEMA,
    )


def sort_output(table: pa.Table) -> pa.Table:
    """The output sorted by indicator, unit and period."""
    return table.sort_by([("indicator", "ascending"), ("unit_id", "ascending"), ("period", "ascending")])


def compute(
    registers: str | Path,
    start: str,
    end: str,
    indicators: list[str] | None = None,
    backend: str = backends.DEFAULT_BACKEND,
    params: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    *,
    con: Any = None,
    validate: bool = True,
    timings: dict[str, float] | None = None,
) -> pa.Table:
    """The register indicators for the months ``start``..``end`` ('YYYY-MM', inclusive).

    ``registers`` is a folder of Parquet or CSV files, or ``"db:"``/``"db:<schema>"`` for tables in
    the backend's database. ``indicators`` limits the run to some codes; ``params`` overrides
    thresholds by name (for example ``{"weeks_required": 40}``). ``con`` reuses an open Ibis
    connection to ``backend``. ``timings`` receives the seconds from the start of the run until
    each step (``open_validate``, then each indicator's code) was done. Raises
    :class:`RegisterValidationError` when the registers break the contract,
    :class:`EngineInputError` on bad arguments.
    """
    months = MonthRange.parse(start, end)
    specs = resolve_indicators(indicators)
    params = dict(params or {})
    _check_params(specs, params)
    if backend not in backends.BACKENDS:
        raise EngineInputError(f"unknown backend {backend!r}; choose one of {', '.join(backends.BACKENDS)}")
    own = con is None
    if own:
        con = backends.connect(backend)
    try:
        with Runner(con, backend) as runner:
            return _run(runner, registers, months, specs, params, progress, validate, timings)
    finally:
        if own:
            backends.close(con, backend)


def _run(
    runner: Runner,
    registers: str | Path,
    months: MonthRange,
    specs: list[IndicatorSpec],
    params: Mapping[str, Any],
    progress: Progress | None,
    validate: bool,
    timings: dict[str, float] | None,
) -> pa.Table:
    """The steps of :func:`compute`. Every statement goes through ``runner``: with a worker
    (DuckDB) the checks and all the indicators are handed over before the first result is waited
    for, so that the backend works while the next expressions are built; the checks still come
    first, and bad registers stop the run before any result is used."""
    t0 = time.perf_counter()
    total = len(specs) + 1

    def done(step: int, label: str) -> None:
        if timings is not None:
            timings[label] = time.perf_counter() - t0
        if progress:
            progress(step, total, "registers checked" if step == 1 else label)

    con, backend = runner.con, runner.backend
    # the week span (needed to build anything on the benefit weeks) runs before the register
    # copies, so that building goes on while they are made
    with runner.held():
        regs, problems = open_registers(registers, con, backend, runner)
        if regs is None:
            raise RegisterValidationError(problems)
        ctx = Context(regs, months, con, backend, runner=runner)
        cash_weeks: tuple[int, int] | None = None
        for spec in specs:
            spec_params = _params_for(spec, params)
            if spec.hours is not None:
                family, reader = spec.hours(ctx, **spec_params)
                ctx.hours_readers[family] = reader
            if spec.weeks is not None:
                lo, hi = spec.weeks(ctx, **spec_params)
                cash_weeks = (lo, hi) if cash_weeks is None else (min(lo, cash_weeks[0]), max(hi, cash_weeks[1]))
        weeks_needed = validate or cash_weeks is not None
        span = week_span(regs.benefit_weeks, runner) if weeks_needed else None
    if weeks_needed:
        # the benefit weeks grouped by person once, for the duplicate check and the cash benefit
        ctx.week_sets = week_sets(regs.benefit_weeks, runner, cash_weeks, span)
    found = submit_checks(regs, runner, ctx.week_sets) if validate else list

    def checked() -> None:
        problems = found()
        if problems:
            raise RegisterValidationError(problems)
        done(1, "open_validate")

    parts = []
    if not runner.background:
        # each statement runs as it is submitted: stop before computing anything, and report
        # each indicator when it is done
        checked()
        for i, spec in enumerate(specs, start=2):
            parts.append(finish(spec, runner.fetch(spec(ctx, **_params_for(spec, params))).result(), months))
            done(i, spec.code)
    else:
        results = [(spec, runner.fetch(spec(ctx, **_params_for(spec, params)))) for spec in specs]
        checked()
        for i, (spec, result) in enumerate(results, start=2):
            parts.append(finish(spec, result.result(), months))
            done(i, spec.code)
    return sort_output(pa.concat_tables(parts) if parts else OUTPUT_SCHEMA.empty_table())


def csv_text(table: pa.Table) -> str:
    """Engine output as CSV text: empty denominators stay empty, values rounded to 6 decimals."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.schema.names)
    for r in table.to_pylist():
        value = round(r["value"], 6)
        writer.writerow(
            [
                r["indicator"],
                r["unit_id"],
                r["period"],
                r["numerator"],
                "" if r["denominator"] is None else r["denominator"],
                int(value) if value.is_integer() else value,
            ]
        )
    return buf.getvalue()


def write_output(table: pa.Table, path: str | Path) -> Path:
    """Write engine output to ``path`` (.csv or .parquet)."""
    path = Path(path)
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    elif path.suffix == ".csv":
        path.write_text(csv_text(table))
    else:
        raise EngineInputError(f"--out must end in .csv or .parquet: {path}")
    return path
