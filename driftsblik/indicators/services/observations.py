"""Monthly observations: imported from files or loaded from the engine, with revisions kept.

One code path checks and stores rows from both sources (`_RowChecker` and `_store`), so a file
and the engine's output obey the same rules:
- every row names a known indicator and unit and a month; numerator and denominator are >= 0;
- a count has a numerator only; a share or rate has a denominator too; a share's numerator is at
  most its denominator; a cell (indicator, unit, month) appears once;
- all or nothing: any problem and nothing is stored, with every problem reported;
- re-loading a cell with new figures replaces it and keeps the previous ones as an
  ObservationRevision stamped `replaced_at`; the same figures again are no change at all.

A plain CSV file (no quotes after the header, no blank lines) is read in blocks of columns by
pyarrow and checked column by column (`observation_blocks`); the columns only pick out the rows
that are certainly right, and `_RowChecker` words every other row, so the problems are the same
as row by row. On PostgreSQL its cells are copied into a temporary table and compared and written
by a few set-based statements at the end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from driftsblik.core.periods import Month, PeriodError
from driftsblik.core.tabular import ImportRejected, NotColumnar, Problem, column_blocks, stream_table
from driftsblik.indicators import rollup, suppression
from driftsblik.indicators.models import ImportBatch, Indicator, Measure, Observation, ObservationRevision
from driftsblik.indicators.services.common import CellKeys, ImportSummary, cell_text, parse_amount
from driftsblik.organisation.models import UNASSIGNED_UNIT_ID, Unit, UnitKind, UnitSpan, User

COLUMNS = ("indicator", "unit_id", "period", "numerator", "denominator")
BATCH = 2000
STREAM_BATCH = 10_000  # cells checked, compared with the stored ones and written at a time
AMOUNT_CACHE = 20_000
UNASSIGNED_NAME = "Ikke tilknyttet"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(slots=True)
class _Cell:
    """A checked row: one figure for an indicator at a unit in a month."""

    indicator: str
    unit_id: str
    period: dt.date
    numerator: Decimal
    denominator: Decimal | None

    @property
    def figures(self) -> tuple[Decimal, Decimal | None]:
        return self.numerator, self.denominator


@dataclass(frozen=True, slots=True)
class CellChange:
    """A cell an import created (old figures None) or changed: what a dry run prints."""

    indicator: str
    unit_id: str
    period: dt.date
    old_numerator: Decimal | None
    old_denominator: Decimal | None
    numerator: Decimal
    denominator: Decimal | None


class _RowChecker:
    """The row-level rules, shared by file imports and the engine's output."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.measures: dict[str, str] = dict(Indicator.objects.values_list("code", "measure"))
        self.units: set[str] = set(Unit.objects.values_list("id", flat=True))
        self.periods: dict[Any, dt.date | str] = {}
        self.amounts: dict[tuple[Any, bool, type], Decimal] = {}  # the same numbers recur in a large file
        self.problems: list[Problem] = []

    def _period(self, raw: Any) -> dt.date | str:
        """The month's first day, or the reason the value is no month."""
        cached = self.periods.get(raw)
        if cached is not None:
            return cached
        if isinstance(raw, dt.datetime):
            raw_date: Any = raw.date()
        else:
            raw_date = raw
        if isinstance(raw_date, dt.date):
            result: dt.date | str = (
                raw_date if raw_date.day == 1 else f"{raw_date.isoformat()} is no month (expected YYYY-MM)"
            )
        else:
            try:
                result = Month.parse(str(raw)).first
            except PeriodError as exc:
                result = str(exc)
        self.periods[raw] = result
        return result

    def _amount(self, number: int, column: str, raw: Any, decimal_comma: bool) -> Decimal | None:
        key = (raw, decimal_comma, type(raw))
        value = self.amounts.get(key)
        if value is None:
            if len(self.amounts) >= AMOUNT_CACHE:
                self.amounts.clear()  # memory stays flat in the file's size
            try:
                value = self.amounts[key] = parse_amount(raw, decimal_comma=decimal_comma)
            except ValueError as exc:
                self.problems.append(Problem(self.file, number, column, str(exc)))
                return None
        if value < 0:
            self.problems.append(Problem(self.file, number, column, f"{raw!r} is negative; figures are counts >= 0"))
            return None
        return value

    def check(self, number: int, values: dict[str, Any], *, decimal_comma: bool) -> _Cell | None:
        """The checked cell of one row, or None after recording every problem of the row."""
        before = len(self.problems)
        problem = self.problems.append
        code = cell_text(values.get("indicator"))
        unit_id = cell_text(values.get("unit_id"))
        measure = self.measures.get(code) if code is not None else None
        if code is None:
            problem(Problem(self.file, number, "indicator", "indicator is missing"))
        elif measure is None:
            problem(Problem(self.file, number, "indicator", f"unknown indicator {code!r}"))
        if unit_id is None:
            problem(Problem(self.file, number, "unit_id", "unit_id is missing"))
        elif unit_id not in self.units:
            problem(Problem(self.file, number, "unit_id", f"unknown unit {unit_id!r}"))
        raw_period = values.get("period")
        period: dt.date | str | None = None
        if raw_period in (None, ""):
            problem(Problem(self.file, number, "period", "period is missing (expected YYYY-MM)"))
        else:
            period = self._period(raw_period)
            if isinstance(period, str):
                problem(Problem(self.file, number, "period", period))
        raw_num, raw_den = values.get("numerator"), values.get("denominator")
        if isinstance(raw_den, str) and not raw_den.strip():
            raw_den = None
        numerator = denominator = None
        if raw_num is None or (isinstance(raw_num, str) and not raw_num.strip()):
            problem(Problem(self.file, number, "numerator", "numerator is missing"))
        else:
            numerator = self._amount(number, "numerator", raw_num, decimal_comma)
        if measure == Measure.COUNT:
            if raw_den is not None:
                problem(
                    Problem(
                        self.file,
                        number,
                        "denominator",
                        (f"{code} is a count: it has no denominator (leave the cell empty), got {raw_den!r}"),
                    )
                )
        elif measure is not None:
            if raw_den is None:
                problem(Problem(self.file, number, "denominator", f"{code} is a {measure}: the denominator is missing"))
            else:
                denominator = self._amount(number, "denominator", raw_den, decimal_comma)
                if (
                    measure == Measure.SHARE
                    and denominator is not None
                    and numerator is not None
                    and numerator > denominator
                ):
                    problem(
                        Problem(
                            self.file,
                            number,
                            "numerator",
                            (
                                f"numerator {numerator.normalize()} is above the denominator {denominator.normalize()} "
                                f"of the share {code}"
                            ),
                        )
                    )
        if len(self.problems) > before:
            return None
        assert code is not None and unit_id is not None and isinstance(period, dt.date) and numerator is not None
        return _Cell(code, unit_id, period, numerator, denominator)


def _store_stream(
    checker: _RowChecker,
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    decimal_comma: bool,
    total: int,
    progress: Progress | None = None,
    retrieved_at: dt.datetime | None = None,
    changes: list[CellChange] | None = None,
) -> ImportSummary:
    """Check the rows as they come and store them in batches: new cells created, changed ones replaced
    (keeping the previous figures), equal ones left alone. Memory stays flat in the number of rows.

    All or nothing: every problem of every row is found (cells given twice after the stream), and
    ImportRejected is raised with them all, sorted by row; the caller's transaction then drops what
    was written. `retrieved_at` is written only for figures from a public source; a replaced
    figure's is kept in its revision. `changes`, when given, receives one entry per created or
    changed cell.
    """
    summary = ImportSummary(checker.file)
    keys = CellKeys()
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    retrieved = connection.ops.adapt_datetimefield_value(retrieved_at) if retrieved_at else None
    batch: list[_Cell] = []
    done = 0
    for done, (number, values) in enumerate(rows, start=1):  # noqa: B007 - done is read after the loop
        cell = checker.check(number, values, decimal_comma=decimal_comma)
        if cell is None:
            continue
        keys.add(cell.indicator, cell.unit_id, cell.period.year * 12 + cell.period.month - 1, number)
        if not checker.problems:  # after the first problem nothing more is written: it will be dropped
            batch.append(cell)
        if len(batch) >= STREAM_BATCH:
            distinct = len(set(keys.keys[-len(batch) :])) == len(batch)  # the batch's keys, while nothing is wrong
            _store_batch(batch, summary, stamp=stamp, retrieved=retrieved, changes=changes, distinct=distinct)
            batch = []
            if progress:
                progress("store", done, max(total, done))
    problems = checker.problems + keys.problems(checker.file, _duplicate_cell)
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.row or 0))
    _store_batch(batch, summary, stamp=stamp, retrieved=retrieved, changes=changes)
    if progress:
        progress("store", done, done)
    summary.rows = len(keys)
    return summary


def _duplicate_cell(code: str, unit_id: str, month: int, first: int) -> str:
    return f"duplicate row for {code}, {unit_id}, {month // 12}-{month % 12 + 1:02d} (first at row {first})"


def _store_batch(
    cells: list[_Cell],
    summary: ImportSummary,
    *,
    stamp: Any,
    retrieved: Any,
    changes: list[CellChange] | None,
    distinct: bool = False,
) -> None:
    """Store one batch of checked cells (a cell given twice in it counts once; the import is refused anyway)."""
    unique = (
        cells if distinct else list({(c.indicator, c.unit_id, c.period): c for c in reversed(cells)}.values())[::-1]
    )
    plan = _plan(unique, _stored(unique), source=summary.file, stamp=stamp, retrieved=retrieved, changes=changes)
    _write(plan, with_retrieved=bool(retrieved), progress=None)
    summary.unchanged += plan.unchanged
    summary.created += len(plan.to_create)
    summary.updated += len(plan.to_update)
    summary.revisions += len(plan.revisions)
    summary.months_changed |= plan.months_changed


def _stored(cells: list[_Cell]) -> dict[tuple[str, str, dt.date], tuple[Any, ...]]:
    """The stored observations of the cells' indicators and months, by (indicator, unit, month):
    (id, numerator, denominator, loaded_at, source, retrieved_at)."""
    periods_by_indicator: dict[str, set[dt.date]] = defaultdict(set)
    units_by_indicator: dict[str, set[str]] = defaultdict(set)
    for cell in cells:
        periods_by_indicator[cell.indicator].add(cell.period)
        units_by_indicator[cell.indicator].add(cell.unit_id)
    existing: dict[tuple[str, str, dt.date], tuple[Any, ...]] = {}
    for code, periods in periods_by_indicator.items():
        rows = Observation.objects.filter(
            indicator_id=code, period__in=sorted(periods), unit_id__in=sorted(units_by_indicator[code])
        ).values_list("id", "unit_id", "period", "numerator", "denominator", "loaded_at", "source", "retrieved_at")
        for pk, unit_id, period, *stored in rows.iterator(chunk_size=10000):
            existing[(code, unit_id, period)] = (pk, *stored)
    return existing


@dataclass
class _Plan:
    """What storing the cells writes: rows to insert, rows to update with the revisions they replace."""

    to_create: list[tuple[Any, ...]] = field(default_factory=list)
    to_update: list[tuple[Any, ...]] = field(default_factory=list)
    revisions: list[tuple[Any, ...]] = field(default_factory=list)
    unchanged: int = 0
    months_changed: set[tuple[str, dt.date]] = field(default_factory=set)


def _plan(
    cells: list[_Cell],
    existing: dict[tuple[str, str, dt.date], tuple[Any, ...]],
    *,
    source: str,
    stamp: Any,
    retrieved: Any,
    changes: list[CellChange] | None,
) -> _Plan:
    """Sort the cells into new, changed (with the figures they replace) and unchanged; values are
    adapted for the connection once per distinct month."""
    plan = _Plan()
    dates: dict[dt.date, Any] = {}
    for cell in cells:
        period = dates.get(cell.period)
        if period is None:
            period = dates[cell.period] = connection.ops.adapt_datefield_value(cell.period)
        current = existing.get((cell.indicator, cell.unit_id, cell.period))
        if current is None or (current[1], current[2]) != cell.figures:
            plan.months_changed.add((cell.indicator, cell.period))
        if current is None:
            row = (cell.indicator, cell.unit_id, period, cell.numerator, cell.denominator, stamp, source)
            plan.to_create.append((*row, retrieved) if retrieved else row)
            if changes is not None:
                changes.append(CellChange(cell.indicator, cell.unit_id, cell.period, None, None, *cell.figures))
            continue
        pk, numerator, denominator, loaded_at, old_source, old_retrieved = current
        if numerator == cell.numerator and denominator == cell.denominator:
            plan.unchanged += 1
            continue
        if changes is not None:
            changes.append(CellChange(cell.indicator, cell.unit_id, cell.period, numerator, denominator, *cell.figures))
        plan.revisions.append(
            (
                cell.indicator,
                cell.unit_id,
                period,
                numerator,
                denominator,
                connection.ops.adapt_datetimefield_value(loaded_at),
                old_source,
                connection.ops.adapt_datetimefield_value(old_retrieved) if old_retrieved else None,
                stamp,
            )
        )
        plan.to_update.append((cell.numerator, cell.denominator, stamp, source, retrieved, pk))
    return plan


_REVISION_FIELDS = [
    "indicator",
    "unit",
    "period",
    "numerator",
    "denominator",
    "loaded_at",
    "source",
    "retrieved_at",
    "replaced_at",
]


def _write(plan: _Plan, *, with_retrieved: bool, progress: Progress | None) -> None:
    """Insert the new observations, then update the changed ones and keep what they replaced, in batches."""
    total, done = len(plan.to_create) + len(plan.to_update), 0
    created_fields = ["indicator", "unit", "period", "numerator", "denominator", "loaded_at", "source"]
    if with_retrieved:
        created_fields.append("retrieved_at")
    observations = _Writer(Observation)
    history = _Writer(ObservationRevision)
    for start in range(0, len(plan.to_create), BATCH):
        chunk = plan.to_create[start : start + BATCH]
        observations.insert(created_fields, chunk)
        done += len(chunk)
        if progress:
            progress("store", done, total)
    for start in range(0, len(plan.to_update), BATCH):
        chunk = plan.to_update[start : start + BATCH]
        observations.update(["numerator", "denominator", "loaded_at", "source", "retrieved_at"], chunk)
        history.insert(_REVISION_FIELDS, plan.revisions[start : start + BATCH])
        done += len(chunk)
        if progress:
            progress("store", done, total)


class _Writer:
    """Many rows into one table in a few statements.

    Building a model instance per row made a 300,000-row load spend most of its time in the ORM;
    these statements take values already adapted by the connection's own operations. SQLite is
    fastest with one prepared statement run many times; PostgreSQL with COPY (into the table, or
    into a temporary table that one UPDATE then reads).
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.meta = model._meta
        self.quote = connection.ops.quote_name
        self.table = self.quote(self.meta.db_table)
        self.copy = connection.vendor == "postgresql"

    def _column(self, name: str) -> str:
        return self.quote(str(self.meta.get_field(name).column))  # type: ignore[union-attr]

    def insert(self, fields: list[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = ", ".join(self._column(f) for f in fields)
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", rows)  # noqa: S608

    def update(self, fields: list[str], rows: list[tuple[Any, ...]]) -> None:
        """rows hold the new values of `fields` and the primary key last."""
        if not rows:
            return
        pk = self._column("id")
        with connection.cursor() as cursor:
            if not self.copy:
                assignments = ", ".join(f"{self._column(f)} = %s" for f in fields)
                cursor.executemany(f"UPDATE {self.table} SET {assignments} WHERE {pk} = %s", rows)  # noqa: S608
                return
            staging = self.quote(f"_staging_{self.meta.db_table}")
            columns = [self._column(f) for f in fields]
            definitions = ", ".join(
                f"{column} {self.meta.get_field(f).db_type(connection)}"  # type: ignore[union-attr]
                for f, column in zip(fields, columns, strict=True)
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definitions}, pk bigint) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY {staging} ({', '.join(columns)}, pk) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            assignments = ", ".join(f"{column} = s.{column}" for column in columns)
            cursor.execute(f"UPDATE {self.table} SET {assignments} FROM {staging} s WHERE {self.table}.{pk} = s.pk")  # noqa: S608
            cursor.execute(f"DROP TABLE {staging}")


def _record_batch(summary: ImportSummary, *, kind: str, name: str, user: User | None) -> None:
    """The end of every import: the batch that records it, the months it changed rolled up again and
    the suppression patterns of what it changed computed, in its transaction (so every worker reads
    the new figures, and hides what they say must be hidden, from the moment they are committed)."""
    if summary.changed:
        ImportBatch.objects.create(
            kind=kind, file_name=name[:300], rows=summary.rows, created_at=timezone.now(), created_by=user
        )
        suppression.prepare(rollup.refresh(summary.months_changed))


@transaction.atomic
def observations_import(
    *, path: str | Path, user: User | None = None, progress: Progress | None = None
) -> ImportSummary:
    """Load monthly observations from a CSV or Excel file (indicator, unit_id, period, numerator, denominator).

    Read, checked and written as a stream, so memory stays flat however large the file: a plain CSV
    file in blocks of columns (`observation_blocks`), any other file row by row (batches of
    STREAM_BATCH cells). All or nothing: every problem is reported with file, row, column and
    reason, and nothing is stored. Cells in the file replace the stored ones (previous figures kept as revisions); other
    cells are left alone. An ImportBatch records the load when anything changed.
    """
    table = stream_table(path)
    table.require_columns(COLUMNS)
    summary = _store_columns(path, progress=progress)
    if summary is None:
        checker = _RowChecker(table.name)
        summary = _store_stream(
            checker, table.rows, decimal_comma=table.decimal_comma, total=table.total, progress=progress
        )
    _record_batch(summary, kind="observations", name=table.name, user=user)
    return summary


def _store_columns(path: str | Path, *, progress: Progress | None) -> ImportSummary | None:
    """A CSV file checked and stored block by block (`observation_blocks`), or None when it must be
    read row by row (a workbook, quotes, blank lines, a row of the wrong width, a byte that is not
    UTF-8): then whatever was written is dropped and the row-by-row import words the problems."""
    blocks = column_blocks(path)
    if blocks is None:
        return None
    from driftsblik.indicators.services.observation_blocks import store_blocks

    try:
        with transaction.atomic():
            return store_blocks(blocks, _RowChecker(blocks.name), progress=progress)
    except NotColumnar:
        return None


def ensure_unassigned_unit() -> Unit:
    """The unit `_unassigned` ("Ikke tilknyttet") under the root, so persons without a unit still count.

    Its span runs from the earliest day of the root's spans, so every month rolls it up to the root.
    """
    unit, _ = Unit.objects.get_or_create(id=UNASSIGNED_UNIT_ID)
    if UnitSpan.objects.filter(unit=unit).exists():
        return unit
    roots = list(
        UnitSpan.objects.filter(parent__isnull=True)
        .exclude(unit_id=UNASSIGNED_UNIT_ID)
        .order_by("-valid_to", "valid_from")
        .values_list("unit_id", "valid_from", "valid_to")
    )
    if not roots:
        raise ImportRejected(
            [
                Problem(
                    "organisation",
                    None,
                    None,
                    ("there is no organisation to attach the unit _unassigned to; run `driftsblik org import` first"),
                )
            ]
        )
    open_roots = [r for r in roots if r[2] is None] or roots
    root = open_roots[0][0]
    start = min(r[1] for r in roots if r[0] == root)
    UnitSpan.objects.create(unit=unit, parent_id=root, name=UNASSIGNED_NAME, kind=UnitKind.TEAM, valid_from=start)
    return unit


def _load_rows(
    rows: list[dict[str, Any]],
    *,
    source: str,
    kind: str,
    retrieved_at: dt.datetime | None = None,
    changes: list[CellChange] | None = None,
) -> ImportSummary:
    """Check and store rows that come from a program, not a file; problems name `source` and the row."""
    checker = _RowChecker(source)
    summary = _store_stream(
        checker,
        enumerate(rows, start=1),
        decimal_comma=False,
        total=len(rows),
        retrieved_at=retrieved_at,
        changes=changes,
    )
    _record_batch(summary, kind=kind, name=source, user=None)
    return summary


@transaction.atomic
def observations_replace_engine_output(*, rows: list[dict[str, Any]], source: str) -> int:
    """Load the engine's aggregated rows (indicator, unit_id, period 'YYYY-MM', numerator, denominator).

    The same rules, replacement and revisions as a file import, in one transaction; makes sure
    the unit `_unassigned` exists first. Returns the number of cells created or changed.
    """
    ensure_unassigned_unit()
    summary = _load_rows(rows, source=source, kind="engine")
    return summary.created + summary.updated


@transaction.atomic
def observations_load(
    *,
    rows: list[dict[str, Any]],
    source: str,
    retrieved_at: dt.datetime,
    kind: str = "source",
    changes: list[CellChange] | None = None,
) -> ImportSummary:
    """Load figures a public source gave (indicator, unit_id, period 'YYYY-MM', numerator, denominator).

    The same checks, replacement, revisions and all-or-nothing as a file import; every stored
    figure records `source` (the source and its table) and `retrieved_at` (when the source gave it).
    Problems are reported with `source` as the file and the row's position as its row.
    """
    return _load_rows(rows, source=source, kind=kind, retrieved_at=retrieved_at, changes=changes)
