"""Ledger import: monthly budget and spending lines per unit and account, checked as a whole, stored at once.

The file (CSV or Excel) has the columns period (YYYY-MM), unit_id, account (hovedkonto.hovedfunktion.
funktion, e.g. 5.57.73), kind (oprindeligt budget, tillægsbevilling, forbrug), amount (DKK) and,
optionally, dranst (1-4) and art (e.g. 1.0). Rules:
- every row names a known unit, a function of the chart of accounts and a month of the file's budget
  year (`year`, or the year of the first row); the amount is a number (Danish `1.234.567,89` in
  semicolon files, `1234567.89` otherwise), at most two decimals;
- a line (period, unit, account, dranst, art, kind) appears once in a file;
- all or nothing: any problem and nothing is stored, with every problem named by file, row, column;
- the file replaces, for every (month, unit, kind) it holds, the lines stored for that month, unit
  and kind; other months, units and kinds are left alone. A month's spending file so replaces that
  month's spending of the units in it, and a corrected budget file the lines of the months it holds.

Two million lines a year are read, checked and staged in a stream, so memory stays flat in the
file's size: a plain CSV file in blocks of about 2 MB (`core.tabular.column_blocks`), each block
checked column by column (pyarrow) with each distinct code (month, unit, account, kind) checked
once in the whole file and amounts by regular expressions; only failing rows are turned into
messages. The lines whose key is right go into a temporary table of the import's transaction (COPY
on PostgreSQL, one prepared statement on SQLite); what needs the whole file is then a statement or
two over it: duplicate lines, the (month, unit, kind) cells to replace, the monthly totals the
follow-up reads. A workbook, or a CSV file the blocks cannot number exactly (quotes, blank lines),
is read whole by the shared reader (`read_table`) and checked as one block.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection, transaction
from django.utils import timezone

from driftsblik.budget.models import Account, LedgerImport, LedgerKind, LedgerLine, LedgerMonth
from driftsblik.budget.services.accounts import ensure_standard_accounts, normalise_account
from driftsblik.budget.services.rollup import ledger_rollup_refresh
from driftsblik.core.periods import Month, PeriodError
from driftsblik.core.tabular import ImportRejected, NotColumnar, Problem, column_blocks, read_table
from driftsblik.organisation.models import Unit, User

REQUIRED = ("period", "unit_id", "account", "kind", "amount")
OPTIONAL = ("dranst", "art")
KINDS = {
    "oprindeligt budget": LedgerKind.ORIGINAL,
    "oprindeligt_budget": LedgerKind.ORIGINAL,
    "original": LedgerKind.ORIGINAL,
    "tillægsbevilling": LedgerKind.SUPPLEMENTARY,
    "tillaegsbevilling": LedgerKind.SUPPLEMENTARY,
    "supplementary": LedgerKind.SUPPLEMENTARY,
    "forbrug": LedgerKind.SPENT,
    "spent": LedgerKind.SPENT,
}
DANISH_NUMBER = r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$"
DANISH_WITH_COMMA = r"^-?(\d{1,3}(\.\d{3})*|\d+),\d+$"
PLAIN_NUMBER = r"^[-+]?\d+(\.\d+)?$"
BATCH = 50_000

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class LedgerSummary:
    """What a ledger import did."""

    file: str
    year: int
    rows: int
    replaced: int = 0
    months: int = 0
    units: int = 0

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rows} line(s) for budget year {self.year} ({self.units} unit(s), "
            f"{self.months} month(s)); {self.replaced} earlier line(s) replaced"
        )


@dataclass
class _Columns:
    """Consecutive rows of a file as text columns, with the spreadsheet row number of each row."""

    name: str
    columns: dict[str, pa.Array]
    rows: np.ndarray
    decimal_comma: bool

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class _Read:
    """A file's header and its rows, a block of columns at a time (`blocks` yields them once)."""

    name: str
    columns: list[str]
    decimal_comma: bool
    blocks: Iterator[_Columns]
    total: int


# reading ------------------------------------------------------------------------------------


def _streamed(path: Path) -> _Read | None:
    """A plain CSV file read by pyarrow COLUMN_BLOCK_BYTES at a time, or None when only the careful
    reader can number its rows right (quotes, blank lines, a byte that is not UTF-8, a name given
    twice in the header). NotColumnar may still come while the blocks are read."""
    blocks = column_blocks(path)
    if blocks is None or len(set(blocks.columns)) != len(blocks.columns):
        return None

    def read() -> Iterator[_Columns]:
        for block in blocks.blocks:
            rows = np.arange(block.first_row, block.first_row + block.length, dtype=np.int64)
            yield _Columns(blocks.name, block.columns, rows, blocks.decimal_comma)

    return _Read(blocks.name, list(blocks.columns), blocks.decimal_comma, read(), blocks.total)


def _cell_text(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float):
        if column == "art":
            return f"{value:.1f}"
        if value.is_integer():
            return str(int(value))
        if abs(value * 100 - round(value * 100)) < 1e-6:
            return f"{value:.2f}"
        return repr(value)
    return str(value)


def _careful(path: Path) -> _Columns:
    """Any CSV or workbook through the shared reader (Excel cells become text as a person reads them)."""
    table = read_table(path)
    columns = {
        name: pa.array([_cell_text(name, row.values.get(name)) for row in table.rows], type=pa.string())
        for name in table.columns
        if name
    }
    rows = np.array([row.number for row in table.rows], dtype=np.int64)
    return _Columns(table.name, columns, rows, table.decimal_comma)


def _careful_read(path: Path) -> _Read:
    """Any CSV file or workbook through the shared reader, as one block."""
    whole = _careful(path)
    return _Read(whole.name, list(whole.columns), whole.decimal_comma, iter([whole]), len(whole))


def read_ledger(path: str | Path) -> _Read:
    """The file's blocks of rows; a file with columns missing is refused before any row is read."""
    path = Path(path)
    if not path.exists():
        raise ImportRejected([Problem(path.name, None, None, f"no such file: {path}")])
    read = _streamed(path) if path.suffix.lower() in {".csv", ".txt", ".tsv"} else None
    read = read or _careful_read(path)
    missing = [c for c in REQUIRED if c not in read.columns]
    if missing:
        found = ", ".join(read.columns) or "(none)"
        raise ImportRejected(
            [Problem(read.name, 1, None, f"missing column(s) {', '.join(missing)}; the header has: {found}")]
        )
    return read


# checking -----------------------------------------------------------------------------------


class _Codes:
    """A column of codes checked a block at a time, each distinct text once in the whole file."""

    def __init__(self, check: Callable[[str], tuple[Any, str | None]]) -> None:
        self.check = check
        self.seen: dict[str, tuple[Any, str | None]] = {}

    def block(self, column: pa.Array) -> _Coded:
        encoded = pc.utf8_trim_whitespace(column).dictionary_encode()
        results = []
        for text in encoded.dictionary.to_pylist():
            result = self.seen.get(text)
            if result is None:
                result = self.seen[text] = self.check(text)
            results.append(result)
        return _Coded(encoded.indices.to_numpy(zero_copy_only=False), results)


class _Coded:
    """A block's column of codes: per distinct text its value and reason (None when right), per row its text."""

    def __init__(self, index: np.ndarray, results: list[tuple[Any, str | None]]) -> None:
        self.index = index
        self.values = [value for value, _ in results]
        self.reasons = [reason for _, reason in results]
        ok = np.array([reason is None for reason in self.reasons], dtype=bool)
        self.ok = ok[index] if len(ok) else np.zeros(len(index), dtype=bool)

    def value(self, row: int) -> Any:
        return self.values[self.index[row]]

    def column(self, transform: Callable[[Any], Any], type_: pa.DataType, take: np.ndarray) -> pa.Array:
        lookup = pa.array(
            [transform(v) if r is None else None for v, r in zip(self.values, self.reasons, strict=True)], type=type_
        )
        return pc.take(lookup, pa.array(self.index[take]))


def _check_period(text: str) -> tuple[Any, str | None]:
    if not text:
        return None, "period is missing (expected YYYY-MM)"
    try:
        return Month.parse(text), None
    except PeriodError as exc:
        return None, str(exc)


def _check_kind(text: str) -> tuple[Any, str | None]:
    kind = KINDS.get(" ".join(text.lower().split()))
    if kind is None:
        if not text:
            return None, "kind is missing (oprindeligt budget, tillægsbevilling or forbrug)"
        return None, f"unknown kind {text!r} (expected oprindeligt budget, tillægsbevilling or forbrug)"
    return str(kind), None


def _check_dranst(text: str) -> tuple[Any, str | None]:
    if not text:
        return None, None
    cleaned = text[:-2] if text.endswith((".0", ",0")) else text
    if cleaned in {"1", "2", "3", "4"}:
        return int(cleaned), None
    return None, f"dranst {text!r} is not 1, 2, 3 or 4"


def _check_art(text: str) -> tuple[Any, str | None]:
    if not text:
        return "", None
    cleaned = text.replace(",", ".")
    if cleaned.isdigit() and len(cleaned) == 1:
        cleaned += ".0"
    head, _, tail = cleaned.partition(".")
    if len(head) == 1 and head.isdigit() and tail.isdigit() and len(tail) <= 2:
        return cleaned, None
    return None, f"art {text!r} is no art (expected e.g. 1.0, 4.0 or 5.9)"


def _amounts(column: pa.Array, decimal_comma: bool) -> tuple[pa.Array, np.ndarray, list[str]]:
    """Amounts as plain decimal text (1234567.89), and the rows that are no amount with the reason's kind."""
    text = pc.replace_substring(pc.replace_substring(pc.utf8_trim_whitespace(column), "\u00a0", ""), " ", "")
    danish = pc.match_substring_regex(text, DANISH_NUMBER if decimal_comma else DANISH_WITH_COMMA)
    as_plain = pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    if decimal_comma:
        normal = as_plain
        valid = danish
    else:
        normal = pc.if_else(danish, as_plain, text)
        valid = pc.or_(danish, pc.match_substring_regex(text, PLAIN_NUMBER))
    empty = pc.equal(text, "")
    many_decimals = pc.and_(valid, pc.match_substring_regex(normal, r"\.\d{3,}$"))
    too_large = pc.and_(valid, pc.match_substring_regex(normal, r"^[-+]?\d{14,}"))
    status = np.zeros(len(text), dtype=np.int8)  # 0 fine, 1 missing, 2 not a number, 3 decimals, 4 too large
    status[~valid.to_numpy(zero_copy_only=False)] = 2
    status[empty.to_numpy(zero_copy_only=False)] = 1
    status[many_decimals.to_numpy(zero_copy_only=False)] = 3
    status[too_large.to_numpy(zero_copy_only=False)] = 4
    reasons = [
        "",
        "amount is missing",
        "{raw!r} is not a number" + (" (amounts are written 1.234.567,89 in this file)" if decimal_comma else ""),
        "{raw!r} has more than two decimals (øre)",
        "{raw!r} is too large (at most 13 digits before the decimal point)",
    ]
    return normal, status, reasons


KEY = ("period", "unit_id", "account", "dranst", "art", "kind")
ORDER = {name: i for i, name in enumerate((*KEY, "amount"))}


class _Checker:
    """The checks of a file's blocks: problems collected as (row, column order, column, reason); the
    rows whose line (period, unit, account, dranst, art, kind) is right staged for the checks of the
    whole file (duplicates) and, when there is no problem at all, for storing."""

    def __init__(self, name: str, columns: list[str], *, year: int | None, staging: _Staging) -> None:
        units = set(Unit.objects.values_list("id", flat=True))
        accounts = set(Account.objects.values_list("code", flat=True))

        def unit(text: str) -> tuple[Any, str | None]:
            if not text:
                return None, "unit_id is missing"
            return (text, None) if text in units else (None, f"unknown unit {text!r}")

        def account(text: str) -> tuple[Any, str | None]:
            if not text:
                return None, "account is missing (expected e.g. 5.57.73)"
            code = normalise_account(text)
            if code is None:
                return None, f"{text!r} is no account (expected hovedkonto.hovedfunktion.funktion, e.g. 5.57.73)"
            if code not in accounts:
                return None, (
                    f"unknown account {code!r}: not in the chart of accounts (add it with "
                    "`driftsblik budget accounts import FILE`)"
                )
            return code, None

        checks = {
            "period": _check_period,
            "unit_id": unit,
            "account": account,
            "dranst": _check_dranst,
            "art": _check_art,
            "kind": _check_kind,
        }
        self.name = name
        self.codes = {n: _Codes(check) for n, check in checks.items() if n in REQUIRED or n in columns}
        self.year = year
        self.staging = staging
        self.rows = 0
        self.found: list[tuple[int, int, str | None, str]] = []

    def check(self, block: _Columns) -> None:
        cols = block.columns
        coded = {name: codes.block(cols[name]) for name, codes in self.codes.items()}
        for name, column in coded.items():
            for index in np.flatnonzero(~column.ok).tolist():
                self.found.append(
                    (int(block.rows[index]), ORDER[name], name, column.reasons[column.index[index]] or "")
                )
        periods = coded["period"]
        if self.year is None and periods.ok.any():
            self.year = periods.value(int(np.argmax(periods.ok))).year
        if self.year is not None:
            outside = np.array(
                [r is None and v.year != self.year for v, r in zip(periods.values, periods.reasons, strict=True)],
                dtype=bool,
            )
            if outside.any():
                for index in np.flatnonzero(outside[periods.index]).tolist():
                    month = periods.value(index)
                    reason = f"{month} is outside the budget year {self.year} (a ledger file holds one budget year)"
                    self.found.append((int(block.rows[index]), 0, "period", reason))
        normal, status, reasons = _amounts(cols["amount"], block.decimal_comma)
        for index in np.flatnonzero(status).tolist():
            raw = cols["amount"][index].as_py()
            self.found.append(
                (int(block.rows[index]), ORDER["amount"], "amount", reasons[status[index]].format(raw=raw))
            )
        keyed = np.ones(len(block), dtype=bool)
        for column in coded.values():
            keyed &= column.ok
        take = np.flatnonzero(keyed)
        amount = pc.if_else(pa.array(status[take] == 0), normal.take(pa.array(take)), pa.scalar(None, pa.string()))
        dranst, art = coded.get("dranst"), coded.get("art")
        self.staging.add(
            pa.table(
                {
                    "line": pa.array(block.rows[take]),
                    "period": periods.column(_month_text, pa.string(), take),
                    "unit": coded["unit_id"].column(str, pa.string(), take),
                    "account": coded["account"].column(str, pa.string(), take),
                    "dranst": dranst.column(lambda v: v, pa.int16(), take)
                    if dranst
                    else pa.nulls(len(take), pa.int16()),
                    "art": art.column(str, pa.string(), take) if art else pa.array([""] * len(take), pa.string()),
                    "kind": coded["kind"].column(str, pa.string(), take),
                    "amount": amount,
                }
            )
        )
        self.rows += len(block)

    def problems(self) -> list[Problem]:
        """Every problem of the file, the duplicate lines found in the staged rows among them, by row."""
        found = self.found + self.staging.duplicates()
        found.sort(key=lambda p: (p[0], p[1]))
        return [Problem(self.name, row, column, reason) for row, _, column, reason in found]


# storing ------------------------------------------------------------------------------------

STAGING = "_import_ledger"
WORK_MEM = "256MB"  # PostgreSQL's, in the server, for the import's transaction (the default 4 MB sorts on disk)


def _month_text(month: Month) -> str:
    return month.first.isoformat()


class _Staging:
    """The staged lines of an import in a temporary table of the transaction: COPY on PostgreSQL,
    one prepared statement on SQLite (with the amount in øre too: SQLite sums exactly only integers)."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        amount = "amount numeric(15, 2)" if self.postgres else "amount text, cents integer"
        self.work_mem: str | None = None
        with connection.cursor() as cursor:
            if self.postgres:  # the statements over the whole file sort in memory rather than on disk
                cursor.execute("SHOW work_mem")
                self.work_mem = cursor.fetchone()[0]
                cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (line bigint NOT NULL, period date NOT NULL, unit text NOT NULL, "
                f"account text NOT NULL, dranst smallint, art text NOT NULL, kind text NOT NULL, {amount})"
            )

    def add(self, lines: pa.Table) -> None:
        if not lines.num_rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.BytesIO()
                pacsv.write_csv(lines, buffer, write_options=pacsv.WriteOptions(include_header=False))
                with cursor.cursor.copy(f"COPY {STAGING} FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(buffer.getbuffer())
                return
            cents = pc.cast(
                pc.multiply(pc.cast(lines["amount"], pa.decimal128(17, 2)), pa.scalar(100, pa.decimal128(3, 0))),
                pa.int64(),
            )
            columns = [lines.column(i).to_pylist() for i in range(lines.num_columns)]
            cursor.executemany(
                f"INSERT INTO {STAGING} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                zip(*columns, cents.to_pylist(), strict=True),
            )

    def duplicates(self) -> list[tuple[int, int, str | None, str]]:
        """The rows whose line (period, unit, account, dranst, art, kind) came before in the file."""
        key = "period, unit, account, dranst, art, kind"
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(f"ANALYZE {STAGING}")
            cursor.execute(
                f"SELECT line, first_line, {key} FROM (SELECT line, min(line) OVER (PARTITION BY {key}) AS first_line, "  # noqa: S608
                f"{key} FROM {STAGING}) staged WHERE line <> first_line"
            )
            found = []
            for row, first, period, *rest in cursor.fetchall():
                described = ", ".join(str(v) for v in (str(period)[:7], *rest) if v not in ("", None))
                found.append((int(row), 9, None, f"duplicate line {described} (first at row {first})"))
        return found

    def store(self, year: int, *, progress: Progress | None) -> tuple[int, int, int, list[dt.date]]:
        """Replace the (month, unit, kind) cells of the staged lines; returns (lines stored, lines replaced,
        units, months)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), count(DISTINCT unit) FROM {STAGING}")  # noqa: S608
            rows, units = cursor.fetchone()
            cursor.execute(f"SELECT DISTINCT period, kind, unit FROM {STAGING}")  # noqa: S608
            cells: dict[tuple[dt.date, str], list[str]] = {}
            for period, kind, unit in cursor.fetchall():
                day = period if isinstance(period, dt.date) else dt.date.fromisoformat(period)
                cells.setdefault((day, kind), []).append(unit)
        replaced = 0
        for (day, kind), cell_units in sorted(cells.items()):
            cell_units.sort()
            for start in range(0, len(cell_units), 500):
                part = cell_units[start : start + 500]
                replaced += _delete(LedgerLine, day, kind, part)
                _delete(LedgerMonth, day, kind, part)
        if progress:
            progress("store", 0, rows)
        # in the order of the (period, kind, unit) index: every index entry lands at its right edge, which
        # made a 500,000-line COPY on PostgreSQL 2.6 times faster than the file's own order
        fields = ["year", "period", "unit", "account", "dranst", "art", "kind", "amount"]
        select = f"SELECT {int(year)}, period, unit, account, dranst, art, kind, amount FROM {STAGING} "  # noqa: S608
        select += "ORDER BY period, kind, unit"
        self._insert_select(LedgerLine, fields, select, [])
        if progress:
            progress("store", rows, rows)
        if self.postgres:
            total = "sum(amount)"
        else:  # øre summed exactly, written as decimal text as the amounts are
            total = (
                "CASE WHEN sum(cents) < 0 THEN '-' ELSE '' END || (abs(sum(cents)) / 100) || '.' "
                "|| printf('%%02d', abs(sum(cents)) %% 100)"
            )
        self._insert_select(
            LedgerMonth,
            ["year", "period", "unit", "account", "kind", "amount"],
            f"SELECT %s, period, unit, account, kind, {total} FROM {STAGING} GROUP BY period, unit, account, kind",  # noqa: S608
            [year],
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {STAGING}")
            if self.work_mem is not None:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [self.work_mem])
        return rows, replaced, units, sorted({day for day, _ in cells})

    @staticmethod
    def _insert_select(model: type, fields: list[str], select: str, params: list[Any]) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({columns}) {select}", params)  # noqa: S608


@contextmanager
def _large_cache() -> Iterator[None]:
    """On SQLite, a page cache of 256 MB for the length of the load (the default 2 MB made the index
    of two million lines spill to disk: 500,000 lines took 2.4 times as long)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _delete(model: type, day: dt.date, kind: str, units: list[str]) -> int:
    """Delete a month's lines of one kind for the units, in one statement; returns how many.

    Plain SQL rather than QuerySet.delete(), which turns into a read of every row when any
    delete signal is connected (two million rows on a re-import).
    """
    meta = model._meta
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(units))
    sql = (
        f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('period').column)} = %s "  # noqa: S608
        f"AND {quote(meta.get_field('kind').column)} = %s AND {quote(meta.get_field('unit').column)} IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(day), kind, *units])
        return max(cursor.rowcount, 0)


def _check(read: _Read, *, year: int | None, progress: Progress | None) -> _Checker:
    """Every block of the file checked and its keyed lines staged."""
    checker = _Checker(read.name, read.columns, year=year, staging=_Staging())
    for block in read.blocks:
        checker.check(block)
        if progress:
            progress("check", checker.rows, max(read.total, checker.rows))
    return checker


@transaction.atomic
def ledger_import(
    *, path: str | Path, year: int | None = None, user: User | None = None, progress: Progress | None = None
) -> LedgerSummary:
    """Load a ledger file (CSV or Excel) of one budget year; all or nothing.

    Every problem is reported with file, row, column and reason, and nothing is stored. The lines
    replace those stored for the same month, unit and kind; the roll-up up the tree
    (`LedgerRollup`) of the months loaded is computed again in the same transaction; a LedgerImport records the load.
    """
    ensure_standard_accounts()
    path = Path(path)
    read = read_ledger(path)
    if progress:
        progress("check", 0, read.total)
    try:
        with transaction.atomic():
            checker = _check(read, year=year, progress=progress)
    except NotColumnar:  # a block pyarrow cannot read as the careful reader would: that reader words it
        read = _careful_read(path)
        checker = _check(read, year=year, progress=progress)
    if not checker.rows:
        raise ImportRejected([Problem(read.name, None, None, "the file has no rows: only a header")])
    problems = checker.problems()
    if problems:
        raise ImportRejected(problems)
    assert checker.year is not None
    with _large_cache():
        rows, replaced, units, months = checker.staging.store(checker.year, progress=progress)
        ledger_rollup_refresh(months=months)
    LedgerImport.objects.create(
        year=checker.year,
        file_name=read.name[:300],
        rows=rows,
        replaced=replaced,
        created_at=timezone.now(),
        created_by=user,
    )
    return LedgerSummary(read.name, checker.year, rows, replaced, len(months), units)
