"""A CSV file of observations checked column by column, a block of rows at a time (pyarrow).

The row checker (`observations._RowChecker`) stays the one that words every problem: the columns
only find the rows that are certainly right, and hand every other row to it as it is. A row is
certainly right when its indicator, unit and month are known (each distinct text of a block is
looked up once, through the row checker's own lookups), its numbers are plain (digits with at
most four decimals and at most 14 before the point, no sign: `^\\d+(\\.\\d+)?$`, or with a
decimal comma and thousands points in a semicolon file), a count has an empty denominator and
another measure a plain one, and a share's numerator is not above its denominator. So the problems
(file, row, column, reason) are those of reading the file row by row, and a row the columns find
odd but the row checker accepts (`1e3`, ` 12 `, `+5`) is stored as it would be.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection
from django.utils import timezone

from driftsblik.core.tabular import ColumnBlock, ColumnBlocks, ImportRejected, NotColumnar
from driftsblik.indicators.models import Measure, Observation, ObservationRevision
from driftsblik.indicators.services.common import CellKeys, ImportSummary, cell_text

PLAIN = r"^\d{1,14}(\.\d{1,4})?$"
DANISH = r"^(\d{1,14}|\d{1,3}(\.\d{3}){1,3})(,\d{1,4})?$"
AMOUNT = pa.decimal128(18, 4)
COUNT, SHARE, OTHER = 0, 1, 2


@dataclass
class CheckedBlock:
    """A block's rows that are certainly right, as columns (indicator, unit_id, period, numerator,
    denominator), and the cells of the other rows that the row checker accepted."""

    table: pa.Table
    cells: list[Any]

    def __len__(self) -> int:
        return int(self.table.num_rows) + len(self.cells)


class _Lookup:
    """Each distinct text of a code column checked once per block: per row, its position among
    the block's distinct texts, and per text whether it is right and what it stands for."""

    def __init__(self, column: pa.Array, check: Any) -> None:
        encoded = column.dictionary_encode()
        texts = encoded.dictionary.to_pylist()
        results = [check(text) for text in texts]
        self.values = [value for value, _ in results]
        self.ok = np.array([ok for _, ok in results], dtype=bool)
        self.index = encoded.indices.to_numpy(zero_copy_only=False)

    def row_ok(self) -> np.ndarray:
        return self.ok[self.index] if len(self.ok) else np.zeros(len(self.index), dtype=bool)


class BlockChecker:
    """The checks of a file's blocks; problems go to the row checker's list, keys to `keys`."""

    def __init__(self, checker: Any, keys: CellKeys, *, decimal_comma: bool) -> None:
        self.checker = checker
        self.keys = keys
        self.decimal_comma = decimal_comma
        self.rows = 0  # rows with anything in them

    def _indicator(self, text: str) -> tuple[Any, bool]:
        code = cell_text(text)
        measure = self.checker.measures.get(code) if code is not None else None
        if code is None or measure is None:
            return None, False
        kind = COUNT if measure == Measure.COUNT else SHARE if measure == Measure.SHARE else OTHER
        return (code, kind, self.keys.codes.setdefault(code, len(self.keys.codes))), True

    def _unit(self, text: str) -> tuple[Any, bool]:
        unit_id = cell_text(text)
        if unit_id is None or unit_id not in self.checker.units:
            return None, False
        return (unit_id, self.keys.units.setdefault(unit_id, len(self.keys.units))), True

    def _period(self, text: str) -> tuple[Any, bool]:
        period = self.checker._period(text) if text else None
        if not isinstance(period, dt.date):
            return None, False
        return period, True

    def _amounts(self, column: pa.Array) -> tuple[pa.Array, np.ndarray]:
        """The column as plain decimal text, and which rows are certainly a right amount."""
        if not self.decimal_comma:
            return column, pc.match_substring_regex(column, PLAIN).to_numpy(zero_copy_only=False)
        ok = pc.match_substring_regex(column, DANISH).to_numpy(zero_copy_only=False)
        return pc.replace_substring(pc.replace_substring(column, ".", ""), ",", "."), ok

    def check(self, block: ColumnBlock) -> CheckedBlock:
        """The block's cells; every problem of its rows recorded, the keys of its cells added."""
        columns = block.columns
        indicators = _Lookup(columns["indicator"], self._indicator)
        units = _Lookup(columns["unit_id"], self._unit)
        periods = _Lookup(columns["period"], self._period)
        kinds = np.array([v[1] if v else COUNT for v in indicators.values], dtype=np.int8)[indicators.index]
        numerators, numerator_ok = self._amounts(columns["numerator"])
        denominators, denominator_ok = self._amounts(columns["denominator"])
        empty = pc.equal(columns["denominator"], "").to_numpy(zero_copy_only=False)
        ok = indicators.row_ok() & units.row_ok() & periods.row_ok() & numerator_ok
        ok &= np.where(kinds == COUNT, empty, denominator_ok)
        take = np.flatnonzero(ok)
        numerator = pc.cast(numerators.take(take), AMOUNT)
        denominator_text = denominators.take(take)
        blank = pc.equal(denominator_text, "")  # a count's, the only empty ones left
        denominator = pc.cast(pc.if_else(blank, pa.scalar(None, pa.string()), denominator_text), AMOUNT)
        shares = kinds[take] == SHARE
        if shares.any():
            above = pc.fill_null(pc.greater(numerator, denominator), False).to_numpy(zero_copy_only=False) & shares
            if above.any():  # the row checker words it
                ok[take[above]] = False
                keep = np.flatnonzero(~above)
                take, numerator, denominator = take[keep], numerator.take(keep), denominator.take(keep)
        table = self._table(block, indicators, units, periods, take, numerator, denominator)
        cells = self._rest(block, np.flatnonzero(~ok), indicators)
        self.rows += table.num_rows
        return CheckedBlock(table, cells)

    def _table(
        self,
        block: ColumnBlock,
        indicators: _Lookup,
        units: _Lookup,
        periods: _Lookup,
        take: np.ndarray,
        numerator: pa.Array,
        denominator: pa.Array,
    ) -> pa.Table:
        """The right rows as columns, their keys added to `keys`."""
        code_ids = np.array([v[2] if v else -1 for v in indicators.values], dtype=np.int64)[indicators.index[take]]
        unit_ids = np.array([v[1] if v else -1 for v in units.values], dtype=np.int64)[units.index[take]]
        slots = np.array([p.year * 12 + p.month - 1 if p else 0 for p in periods.values], dtype=np.int64)
        self.keys.extend(code_ids, unit_ids, slots[periods.index[take]], take + block.first_row)
        codes = pa.array([v[0] if v else "" for v in indicators.values], type=pa.string())
        unit_texts = pa.array([v[0] if v else "" for v in units.values], type=pa.string())
        days = pa.array([p or dt.date(1900, 1, 1) for p in periods.values], type=pa.date32())
        index = pa.array(take)
        return pa.table(
            {
                "indicator": codes.take(pa.array(indicators.index).take(index)),
                "unit_id": unit_texts.take(pa.array(units.index).take(index)),
                "period": days.take(pa.array(periods.index).take(index)),
                "numerator": numerator,
                "denominator": denominator,
            }
        )

    def _rest(self, block: ColumnBlock, rows: np.ndarray, indicators: _Lookup) -> list[Any]:
        """The other rows through the row checker (a row of empty cells is skipped, as when read row by row)."""
        cells = []
        names = list(block.columns)
        for index in rows.tolist():
            values = {name: block.columns[name][index].as_py() for name in names}
            if indicators.values[indicators.index[index]] is None and not "".join(values.values()).strip():
                continue
            number = block.first_row + index
            cell = self.checker.check(number, values, decimal_comma=self.decimal_comma)
            self.rows += 1
            if cell is not None:
                self.keys.add(cell.indicator, cell.unit_id, cell.period.year * 12 + cell.period.month - 1, number)
                cells.append(cell)
        return cells


def store_blocks(blocks: ColumnBlocks, checker: Any, *, progress: Any = None) -> ImportSummary:
    """Check a file's blocks and store their cells, all or nothing, as `observations._store_stream`
    does row by row: every problem of every row is found (a cell given twice after the last block)
    and raised sorted by row; nothing more is written after the first. NotColumnar when the file
    turns out to need the row-by-row reader (the caller then drops what was written)."""
    from driftsblik.indicators.services.observations import _duplicate_cell

    summary = ImportSummary(checker.file)
    keys = CellKeys()
    check = BlockChecker(checker, keys, decimal_comma=blocks.decimal_comma)
    sink: _Staged | _Batched = _Staged() if connection.vendor == "postgresql" else _Batched(summary)
    done = 0
    for block in blocks.blocks:
        checked = check.check(block)
        done += block.length
        if not checker.problems:  # after the first problem nothing more is written: it will be dropped
            sink.add(checked)
        if progress:
            progress("store", done, max(blocks.total, done))
    if not check.rows:
        raise NotColumnar("no rows")  # the row-by-row reader words it
    problems = checker.problems + keys.problems(checker.file, _duplicate_cell)
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.row or 0))
    sink.finish(summary)
    summary.rows = len(keys)
    return summary


class _Batched:
    """Cells stored STREAM_BATCH at a time by the row-by-row import's own writer (SQLite)."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        self.batch: list[Any] = []

    def add(self, checked: CheckedBlock) -> None:
        from driftsblik.indicators.services import observations

        columns = checked.table.to_pydict()
        self.batch.extend(
            observations._Cell(*values) for values in zip(*(columns[c] for c in STAGED_COLUMNS), strict=True)
        )
        self.batch.extend(checked.cells)
        while len(self.batch) >= observations.STREAM_BATCH:
            part, self.batch = self.batch[: observations.STREAM_BATCH], self.batch[observations.STREAM_BATCH :]
            self._store(part)

    def _store(self, cells: list[Any]) -> None:
        from driftsblik.indicators.services.observations import _store_batch

        _store_batch(cells, self.summary, stamp=self.stamp, retrieved=None, changes=None)

    def finish(self, summary: ImportSummary) -> None:
        self._store(self.batch)
        self.batch = []


STAGED_COLUMNS = ("indicator", "unit_id", "period", "numerator", "denominator")
STAGING = "_import_observations"


class _Staged:
    """PostgreSQL: every cell copied into a temporary table (COPY), then compared with the stored
    observations and written by a few set-based statements at the end: the revisions of the changed
    cells, their new figures, the new cells (in the file's order)."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (indicator text NOT NULL, unit_id text NOT NULL, "
                "period date NOT NULL, numerator numeric(18, 4) NOT NULL, denominator numeric(18, 4)) ON COMMIT DROP"
            )

    def add(self, checked: CheckedBlock) -> None:
        import pyarrow.csv as pacsv

        buffer = io.BytesIO()
        pacsv.write_csv(checked.table, buffer, write_options=pacsv.WriteOptions(include_header=False))
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {STAGING} FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(buffer.getbuffer())
            if checked.cells:
                with cursor.cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
                    for cell in checked.cells:
                        copy.write_row((cell.indicator, cell.unit_id, cell.period, cell.numerator, cell.denominator))

    def finish(self, summary: ImportSummary) -> None:
        stamp = timezone.now()
        observation, revision = Observation._meta.db_table, ObservationRevision._meta.db_table
        key = "o.indicator_id = s.indicator AND o.unit_id = s.unit_id AND o.period = s.period"
        changed = "(o.numerator <> s.numerator OR o.denominator IS DISTINCT FROM s.denominator)"
        figures = "indicator_id, unit_id, period, numerator, denominator"
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {STAGING}")
            cursor.execute(
                f"SELECT s.indicator, s.period, count(*) FILTER (WHERE o.id IS NULL), "  # noqa: S608
                f"count(*) FILTER (WHERE o.id IS NOT NULL AND {changed}), count(*) "
                f"FROM {STAGING} s LEFT JOIN {observation} o ON {key} GROUP BY s.indicator, s.period"
            )
            for code, period, created, updated, cells in cursor.fetchall():
                summary.created += created
                summary.updated += updated
                summary.unchanged += cells - created - updated
                if created or updated:
                    summary.months_changed.add((code, period))
            if summary.updated:
                cursor.execute(
                    f"INSERT INTO {revision} ({figures}, loaded_at, source, retrieved_at, replaced_at) "  # noqa: S608
                    f"SELECT o.indicator_id, o.unit_id, o.period, o.numerator, o.denominator, o.loaded_at, "
                    f"o.source, o.retrieved_at, %s FROM {STAGING} s JOIN {observation} o ON {key} WHERE {changed}",
                    [stamp],
                )
                cursor.execute(
                    f"UPDATE {observation} o SET numerator = s.numerator, denominator = s.denominator, "  # noqa: S608
                    f"loaded_at = %s, source = %s, retrieved_at = NULL FROM {STAGING} s WHERE {key} AND {changed}",
                    [stamp, summary.file],
                )
            summary.revisions = summary.updated
            if summary.created:
                cursor.execute(
                    f"INSERT INTO {observation} ({figures}, loaded_at, source) "  # noqa: S608
                    f"SELECT s.indicator, s.unit_id, s.period, s.numerator, s.denominator, %s, %s FROM {STAGING} s "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {observation} o WHERE {key})",
                    [stamp, summary.file],
                )
            cursor.execute(f"DROP TABLE {STAGING}")
