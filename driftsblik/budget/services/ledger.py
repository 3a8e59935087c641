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

Two million lines a year are checked column by column (pyarrow): each distinct code (month, unit,
account, kind) is checked once, amounts by regular expressions over the whole column, duplicates
by one sort; only failing rows are turned into messages. Lines go in by COPY on PostgreSQL and by
one prepared statement on SQLite; the monthly totals the follow-up reads are summed from the file.
"""

from __future__ import annotations

import csv
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
from driftsblik.core.tabular import ImportRejected, Problem, read_table
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
    """A file's cells as text, column by column, with the spreadsheet row number of each row."""

    name: str
    columns: dict[str, pa.Array]
    rows: np.ndarray
    decimal_comma: bool

    def __len__(self) -> int:
        return len(self.rows)


# reading ------------------------------------------------------------------------------------


def _fast_csv(path: Path) -> _Columns | None:
    """The CSV file read by pyarrow, or None when only the careful reader can number its rows right."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    header_line = data.split(b"\n", 1)[0]
    try:
        header_text = header_line.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    counts = {d: header_text.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    names = next(csv.reader([header_text], delimiter=delimiter), [])
    if not names or len(set(names)) != len(names):
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows != lines - 1:  # blank lines or line breaks inside cells: let the careful reader number them
        return None
    columns = {n.strip().lower(): table.column(i).combine_chunks() for i, n in enumerate(names)}
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return _Columns(path.name, columns, rows, decimal_comma=delimiter == ";")


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


def read_ledger(path: str | Path) -> _Columns:
    path = Path(path)
    if not path.exists():
        raise ImportRejected([Problem(path.name, None, None, f"no such file: {path}")])
    read = None
    if path.suffix.lower() in {".csv", ".txt", ".tsv"}:
        read = _fast_csv(path)
    read = read or _careful(path)
    missing = [c for c in REQUIRED if c not in read.columns]
    if missing:
        found = ", ".join(read.columns) or "(none)"
        raise ImportRejected(
            [Problem(read.name, 1, None, f"missing column(s) {', '.join(missing)}; the header has: {found}")]
        )
    if not len(read):
        raise ImportRejected([Problem(read.name, None, None, "the file has no rows: only a header")])
    return read


# checking -----------------------------------------------------------------------------------


class _Coded:
    """A column of codes: each distinct text checked once; per row the id of its value, or -1 with a reason."""

    def __init__(self, column: pa.Array, check: Callable[[str], tuple[Any, str | None]]) -> None:
        encoded = pc.utf8_trim_whitespace(column).dictionary_encode()
        texts = encoded.dictionary.to_pylist()
        self.values: list[Any] = []
        ids: dict[Any, int] = {}
        self.reasons: list[str | None] = []
        mapping = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            value, reason = check(text)
            self.reasons.append(reason)
            if reason is not None:
                mapping[i] = -1
                continue
            mapping[i] = ids.setdefault(value, len(ids))
            if mapping[i] == len(self.values):
                self.values.append(value)
        self.raw_index = encoded.indices.to_numpy(zero_copy_only=False)
        self.ids = mapping[self.raw_index] if len(texts) else np.empty(0, dtype=np.int64)

    def bad(self) -> np.ndarray:
        return np.flatnonzero(self.ids < 0)

    def reason(self, row: int) -> str:
        return self.reasons[self.raw_index[row]] or ""


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


@dataclass
class _Checked:
    year: int
    periods: _Coded
    units: _Coded
    accounts: _Coded
    kinds: _Coded
    dranst: _Coded | None
    art: _Coded | None
    amounts: pa.Array


def check_ledger(read: _Columns, *, year: int | None) -> _Checked:
    """Every problem of the file, or the checked columns."""
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

    cols = read.columns
    checked = {
        "period": _Coded(cols["period"], _check_period),
        "unit_id": _Coded(cols["unit_id"], unit),
        "account": _Coded(cols["account"], account),
        "kind": _Coded(cols["kind"], _check_kind),
    }
    for name, check in (("dranst", _check_dranst), ("art", _check_art)):
        if name in cols:
            checked[name] = _Coded(cols[name], check)
    normal, status, amount_reasons = _amounts(cols["amount"], read.decimal_comma)

    periods = checked["period"]
    good_periods = np.flatnonzero(periods.ids >= 0)
    if year is None and len(good_periods):
        year = periods.values[periods.ids[good_periods[0]]].year
    found: list[tuple[int, int, str | None, str]] = []  # (row index, column order, column, reason)
    order = {name: i for i, name in enumerate(("period", "unit_id", "account", "dranst", "art", "kind", "amount"))}
    for name, coded in checked.items():
        for index in coded.bad():
            found.append((int(index), order[name], name, coded.reason(int(index))))
    if year is not None:
        outside = [i for i, month in enumerate(periods.values) if month.year != year]
        if outside:
            for index in np.flatnonzero(np.isin(periods.ids, outside)):
                month = periods.values[periods.ids[index]]
                found.append(
                    (
                        int(index),
                        0,
                        "period",
                        f"{month} is outside the budget year {year} (a ledger file holds one budget year)",
                    )
                )
    raw_amounts = None
    for index in np.flatnonzero(status):
        if raw_amounts is None:
            raw_amounts = cols["amount"]
        raw = raw_amounts[int(index)].as_py()
        found.append((int(index), order["amount"], "amount", amount_reasons[status[index]].format(raw=raw)))
    found.extend(_duplicates(read, checked))
    if found:
        found.sort(key=lambda p: (p[0], p[1]))
        raise ImportRejected([Problem(read.name, int(read.rows[i]), column, reason) for i, _, column, reason in found])
    assert year is not None
    return _Checked(
        year,
        periods,
        checked["unit_id"],
        checked["account"],
        checked["kind"],
        checked.get("dranst"),
        checked.get("art"),
        normal,
    )


def _duplicates(read: _Columns, checked: dict[str, _Coded]) -> list[tuple[int, int, str | None, str]]:
    """Rows whose (period, unit, account, dranst, art, kind) came before in the file."""
    parts = [checked[n] for n in ("period", "unit_id", "account", "dranst", "art", "kind") if n in checked]
    valid = np.ones(len(read), dtype=bool)
    key = np.zeros(len(read), dtype=np.int64)
    for coded in parts:
        valid &= coded.ids >= 0
        key = key * (len(coded.values) + 1) + np.maximum(coded.ids, 0)
    rows = np.flatnonzero(valid)
    if not len(rows):
        return []
    _, first, inverse, counts = np.unique(key[rows], return_index=True, return_inverse=True, return_counts=True)
    repeated = np.flatnonzero((counts[inverse] > 1) & (np.arange(len(rows)) != first[inverse]))
    problems = []
    for position in repeated:
        index = int(rows[position])
        first_row = int(read.rows[rows[first[inverse[position]]]])
        described = ", ".join(
            str(coded.values[coded.ids[index]]) for coded in parts if coded.values[coded.ids[index]] not in ("", None)
        )
        problems.append((index, 9, None, f"duplicate line {described} (first at row {first_row})"))
    return problems


# storing ------------------------------------------------------------------------------------


def _month_text(month: Month) -> str:
    return month.first.isoformat()


def _insert(model: type, fields: list[str], table: pa.Table) -> None:
    """Rows of an arrow table (columns in `fields` order) into the model's table: COPY or executemany."""
    if not table.num_rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(include_header=False))
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                view = buffer.getbuffer()
                for start in range(0, len(view), 1 << 22):
                    copy.write(view[start : start + (1 << 22)])
            return
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        for start in range(0, table.num_rows, BATCH):
            chunk = table.slice(start, BATCH)
            cursor.executemany(sql, zip(*(chunk.column(i).to_pylist() for i in range(chunk.num_columns)), strict=True))


def _values(coded: _Coded, transform: Callable[[Any], Any], type_: pa.DataType) -> pa.Array:
    lookup = pa.array([transform(v) for v in coded.values], type=type_)
    return pc.take(lookup, pa.array(coded.ids))


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


def _insert_lines(lines: pa.Table, fields: list[str]) -> None:
    # in the order of the (period, kind, unit) index: every index entry lands at its right edge, which
    # made a 500,000-line COPY on PostgreSQL 2.6 times faster than the file's own order
    _insert(LedgerLine, fields, lines.sort_by([("period", "ascending"), ("kind", "ascending"), ("unit", "ascending")]))


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


def _store(checked: _Checked, *, progress: Progress | None) -> tuple[int, int, int]:
    """Replace the (month, unit, kind) cells of the file; returns (lines replaced, months, units)."""
    rows = len(checked.periods.ids)
    lines = pa.table(
        {
            "year": pa.array(np.full(rows, checked.year, dtype=np.int16)),
            "period": _values(checked.periods, _month_text, pa.string()),
            "unit": _values(checked.units, str, pa.string()),
            "account": _values(checked.accounts, str, pa.string()),
            "dranst": _values(checked.dranst, lambda v: v, pa.int16())
            if checked.dranst
            else pa.nulls(rows, pa.int16()),
            "art": _values(checked.art, str, pa.string()) if checked.art else pa.array([""] * rows),
            "kind": _values(checked.kinds, str, pa.string()),
            "amount": checked.amounts,
        }
    )
    cells = pa.table({"period": lines["period"], "kind": lines["kind"], "unit": lines["unit"]}).group_by(
        ["period", "kind"]
    )
    by_period_kind = cells.aggregate([("unit", "distinct")]).to_pylist()
    replaced = 0
    for entry in by_period_kind:
        units = sorted(entry["unit_distinct"])
        for start in range(0, len(units), 500):
            part = units[start : start + 500]
            day = dt.date.fromisoformat(entry["period"])
            replaced += _delete(LedgerLine, day, entry["kind"], part)
            _delete(LedgerMonth, day, entry["kind"], part)
    if progress:
        progress("store", 0, rows)
    fields = ["year", "period", "unit", "account", "dranst", "art", "kind", "amount"]
    _insert_lines(lines, fields)
    if progress:
        progress("store", rows, rows)
    sums = (
        pa.table(
            {
                "period": lines["period"],
                "unit": lines["unit"],
                "account": lines["account"],
                "kind": lines["kind"],
                "amount": pc.cast(lines["amount"], pa.decimal128(17, 2)),
            }
        )
        .group_by(["period", "unit", "account", "kind"])
        .aggregate([("amount", "sum")])
    )
    monthly = pa.table(
        {
            "year": pa.array(np.full(sums.num_rows, checked.year, dtype=np.int16)),
            "period": sums["period"],
            "unit": sums["unit"],
            "account": sums["account"],
            "kind": sums["kind"],
            "amount": pc.cast(pc.cast(sums["amount_sum"], pa.decimal128(20, 2)), pa.string()),
        }
    )
    _insert(LedgerMonth, ["year", "period", "unit", "account", "kind", "amount"], monthly)
    return replaced, len(checked.periods.values), len(checked.units.values)


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
    read = read_ledger(path)
    if progress:
        progress("check", 0, len(read))
    checked = check_ledger(read, year=year)
    if progress:
        progress("check", len(read), len(read))
    with _large_cache():
        replaced, months, units = _store(checked, progress=progress)
        ledger_rollup_refresh(months=[month.first for month in checked.periods.values])
    LedgerImport.objects.create(
        year=checked.year,
        file_name=read.name[:300],
        rows=len(read),
        replaced=replaced,
        created_at=timezone.now(),
        created_by=user,
    )
    return LedgerSummary(read.name, checked.year, len(read), replaced, months, units)
