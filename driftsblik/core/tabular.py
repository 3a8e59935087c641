"""Reading tabular import files (CSV or Excel) into rows, with errors that name file, row and column.

Every import in Driftsblik goes through `read_table`: it accepts UTF-8 CSV separated by `,`,
`;` (what Danish Excel writes, with decimal commas) or tabs, and .xlsx workbooks. Rows are
numbered as a person sees them in a spreadsheet: the header is row 1. A file with a header and no
rows is refused, and so is a workbook that would unpack beyond `DRIFTSBLIK_IMPORT_MAX_UNPACKED_MB`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file, at a row and column."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class ImportRejected(Exception):
    """An import file was refused; nothing was stored. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s), nothing was stored:\n{shown}{more}")


@dataclass
class Row:
    """One data row: values by lower-cased column name, its spreadsheet row number and file."""

    number: int
    values: dict[str, Any]
    table: Table

    def get(self, column: str) -> Any:
        value = self.values.get(column)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def problem(self, column: str | None, reason: str) -> Problem:
        return Problem(self.table.name, self.number, column, reason)


@dataclass
class Table:
    """The rows of one CSV file or workbook sheet, with how its numbers are written."""

    name: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    decimal_comma: bool = False

    def require_columns(self, required: Iterable[str]) -> None:
        missing = [c for c in required if c not in self.columns]
        if missing:
            found = ", ".join(self.columns) or "(none)"
            raise ImportRejected(
                [
                    Problem(
                        self.name,
                        1,
                        None,
                        f"missing column(s) {', '.join(missing)}; the header has: {found}. "
                        "Columns are separated by comma, semicolon or tab.",
                    )
                ]
            )


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                Problem(
                    path.name,
                    line,
                    None,
                    f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at row {line}); "
                    "save it from Excel as 'CSV UTF-8 (kommasepareret)' or as .xlsx",
                )
            ]
        ) from None


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path) -> Table:
    text = _decode(path, path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([Problem(path.name, None, None, "the file is empty")]) from None
    columns = [h.strip().lower() for h in header]
    table = Table(path.name, columns, decimal_comma=delimiter == ";")
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise ImportRejected(
                    [
                        Problem(
                            path.name, number, None, f"{len(cells)} cells where the header has {len(columns)} columns"
                        )
                    ]
                )
            table.rows.append(Row(number, dict(zip(columns, cells, strict=True)), table))
    except csv.Error as exc:
        raise ImportRejected([Problem(path.name, reader.line_num, None, f"not valid CSV: {exc}")]) from None
    return table


def check_unpacked_size(path: Path, limit_mb: int | None = None) -> None:
    """Refuse a workbook whose parts unpack beyond `DRIFTSBLIK_IMPORT_MAX_UNPACKED_MB` (a zip bomb: a
    1 MB file can unpack to gigabytes) before anything is unpacked. The sizes are those the zip's
    directory declares; Python's zip reader never unpacks a part beyond its declared size."""
    import zipfile

    from django.conf import settings

    limit = (limit_mb if limit_mb is not None else settings.IMPORT_MAX_UNPACKED_MB) * 1024 * 1024
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRejected([Problem(path.name, None, None, f"not a readable .xlsx workbook: {exc}")]) from None
    if unpacked > limit:
        raise ImportRejected(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    f"the workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the "
                    f"{limit / 1024 / 1024:,.0f} MB allowed (DRIFTSBLIK_IMPORT_MAX_UNPACKED_MB); "
                    "save it as CSV or raise the limit",
                )
            ]
        )


def read_workbook(path: Path) -> dict[str, Table]:
    """Every sheet of an .xlsx workbook, by lower-cased sheet name."""
    import openpyxl

    check_unpacked_size(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportRejected([Problem(path.name, None, None, f"not a readable .xlsx workbook: {exc}")]) from None
    tables: dict[str, Table] = {}
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            columns = _header_columns(header)
            name = f"{path.name} [{sheet.title}]"
            table = Table(name, columns)
            for number, cells in enumerate(rows, start=2):
                values = list(cells[: len(columns)])
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                values += [None] * (len(columns) - len(values))
                table.rows.append(Row(number, dict(zip(columns, values, strict=True)), table))
            tables[sheet.title.strip().lower()] = table
    finally:
        book.close()
    return tables


def read_yaml(path: str | Path) -> Any:
    """A YAML import file's data; a missing, non-UTF-8 or malformed file is refused with its line."""
    import yaml

    path = Path(path)
    if not path.exists():
        raise ImportRejected([Problem(path.name, None, None, f"no such file: {path}")])
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ImportRejected([Problem(path.name, None, None, "the file is not UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ImportRejected([Problem(path.name, line, None, f"not valid YAML: {exc}")]) from None


def read_tables(path: str | Path) -> dict[str, Table]:
    """A CSV file as one table keyed by its stem, or every sheet of a workbook."""
    path = Path(path)
    if not path.exists():
        raise ImportRejected([Problem(path.name, None, None, f"no such file: {path}")])
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        tables = read_workbook(path)
    elif suffix in {".csv", ".txt", ".tsv"}:
        tables = {path.stem.lower(): read_csv(path)}
    else:
        raise ImportRejected([Problem(path.name, None, None, "unknown file type: expected .csv or .xlsx")])
    if tables and not any(table.rows for table in tables.values()):
        raise ImportRejected([_no_rows(next(iter(tables.values())))])
    return tables


def _no_rows(table: Table) -> Problem:
    return Problem(table.name, None, None, "the file has no rows: only a header")


def read_table(path: str | Path) -> Table:
    """The single table of a CSV file, or the first sheet of a workbook."""
    tables = read_tables(path)
    if not tables:
        raise ImportRejected([Problem(Path(path).name, None, None, "the workbook has no sheets with data")])
    first = next(iter(tables.values()))
    if not first.rows:
        raise ImportRejected([_no_rows(first)])
    return first


@dataclass
class StreamedTable:
    """The first table of a CSV file or workbook, read row by row: `rows` yields (row number,
    values by column) once, so memory stays flat however large the file. `total` is about how many
    data rows there are (for progress). Problems the rows meet (not UTF-8, a row with too many or
    too few cells, no rows at all) are raised as ImportRejected while iterating."""

    name: str
    columns: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]]
    total: int
    decimal_comma: bool = False
    close: Callable[[], None] = lambda: None
    """Releases the file when the rows will not be read (they release it themselves once started)."""

    def require_columns(self, required: Iterable[str]) -> None:
        try:
            Table(self.name, self.columns).require_columns(required)
        except ImportRejected:
            self.close()
            raise


def stream_table(path: str | Path) -> StreamedTable:
    """The single table of a CSV file, or the first sheet of a workbook, as a stream of rows."""
    path = Path(path)
    if not path.exists():
        raise ImportRejected([Problem(path.name, None, None, f"no such file: {path}")])
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _stream_workbook(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return _stream_csv(path)
    raise ImportRejected([Problem(path.name, None, None, "unknown file type: expected .csv or .xlsx")])


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _stream_csv(path: Path) -> StreamedTable:
    with path.open("rb") as handle:
        first_line = _decode(path, handle.readline().removeprefix(b"\xef\xbb\xbf"))
    if not first_line.strip():
        raise ImportRejected([Problem(path.name, None, None, "the file is empty")])
    if "\r" in first_line.rstrip("\r\n"):
        reason = "lines end in a lone carriage return (old Mac line endings): save it with Windows or Unix line endings"
        raise ImportRejected([Problem(path.name, 1, None, reason)])
    delimiter = _sniff_delimiter(first_line)
    try:
        columns = [h.strip().lower() for h in next(csv.reader([first_line], delimiter=delimiter))]
    except csv.Error as exc:
        raise ImportRejected([Problem(path.name, 1, None, f"not valid CSV: {exc}")]) from None
    return StreamedTable(
        path.name, columns, _csv_rows(path, columns, delimiter), max(_count_lines(path) - 1, 0), delimiter == ";"
    )


def _csv_rows(path: Path, columns: list[str], delimiter: str) -> Iterator[tuple[int, dict[str, Any]]]:
    width, found = len(columns), 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            next(reader)
            for number, cells in enumerate(reader, start=2):
                if len(cells) != width:
                    if not any(c.strip() for c in cells):
                        continue
                    reason = f"{len(cells)} cells where the header has {width} columns"
                    raise ImportRejected([Problem(path.name, number, None, reason)])
                if not "".join(cells).strip():
                    continue
                found += 1
                yield number, dict(zip(columns, cells, strict=True))
        except UnicodeDecodeError:
            _decode(path, path.read_bytes())  # raises with the row of the first bad byte
            raise
        except csv.Error as exc:
            raise ImportRejected([Problem(path.name, reader.line_num, None, f"not valid CSV: {exc}")]) from None
    if not found:
        raise ImportRejected([Problem(path.name, None, None, "the file has no rows: only a header")])


def _header_columns(header: tuple[Any, ...]) -> list[str]:
    """A sheet's first row as column names: trimmed, lower case, trailing empty cells dropped."""
    columns = [str(h).strip().lower() if h is not None else "" for h in header]
    while columns and not columns[-1]:
        columns.pop()
    return columns


def _stream_workbook(path: Path) -> StreamedTable:
    import openpyxl

    check_unpacked_size(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportRejected([Problem(path.name, None, None, f"not a readable .xlsx workbook: {exc}")]) from None
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            continue
        columns = _header_columns(header)
        name = f"{path.name} [{sheet.title}]"
        total = max((sheet.max_row or 1) - 1, 0)
        return StreamedTable(name, columns, _sheet_rows(book, rows, name, columns), total, close=book.close)
    book.close()
    raise ImportRejected([Problem(path.name, None, None, "the workbook has no sheets with data")])


def _sheet_rows(
    book: Any, rows: Iterator[tuple[Any, ...]], name: str, columns: list[str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    found = 0
    try:
        for number, cells in enumerate(rows, start=2):
            values = list(cells[: len(columns)])
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            values += [None] * (len(columns) - len(values))
            found += 1
            yield number, dict(zip(columns, values, strict=True))
    finally:
        book.close()
    if not found:
        raise ImportRejected([Problem(name, None, None, "the file has no rows: only a header")])


IDENTIFIER = re.compile(r"[A-Za-z0-9_-]+")


def identifier_problem(value: str, *, limit: int = 64) -> str | None:
    """Why `value` cannot be an identifier (a unit id, a code), or None when it can.

    The data contracts' rule: letters (a-z, A-Z), digits, `-` and `_`, at most `limit` characters,
    so an identifier is safe in a URL, a file name and a notification's key as it is.
    """
    if len(value) > limit:
        return f"{value!r} is longer than {limit} characters"
    if not IDENTIFIER.fullmatch(value):
        return f"{value!r} is not an identifier: use only letters a-z, digits, '-' and '_'"
    return None


_DA_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")


def parse_decimal(value: Any, *, decimal_comma: bool) -> Decimal:
    """A number as written in the file: `1.234,5` where decimal commas are used, `1234.5` otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma or ("," in text and "." not in text and _DA_NUMBER.match(text)):
        if not _DA_NUMBER.match(text):
            raise ValueError(f"{value!r} is not a number")
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return number


def parse_date(value: Any) -> dt.date:
    """An ISO date (2025-03-31), also as Excel writes it (a date cell or 31-03-2025)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(f"{value!r} is no date (expected YYYY-MM-DD)")


class NotColumnar(Exception):
    """The CSV file needs the row-by-row reader (`stream_table`) to number its rows or word its problem
    exactly: a cell with a line break or a quote, a blank line, a row of the wrong width, a byte
    that is not UTF-8. Raised before anything is read, or while the blocks are read."""


@dataclass
class ColumnBlock:
    """Consecutive data rows of a CSV file as text columns (pyarrow string arrays by lower-cased
    column name; a name given twice is its last column, as in a row's values), the first at
    spreadsheet row `first_row`, each row one line of the file."""

    first_row: int
    columns: dict[str, Any]
    length: int


@dataclass
class ColumnBlocks:
    """A CSV file read by pyarrow's streaming reader, a block of rows at a time (`blocks` yields
    them once). `total` is the number of data rows."""

    name: str
    columns: list[str]
    total: int
    decimal_comma: bool
    blocks: Iterator[ColumnBlock]


COLUMN_BLOCK_BYTES = 1 << 21  # about 50,000 rows of a five-column file: memory stays flat


def _plain_lines(path: Path) -> int | None:
    """The file's line count when every line after the header is one row (no quote, no blank line,
    no lone carriage return), else None. The header may be quoted: `csv.reader` reads it."""
    with path.open("rb") as handle:
        header = handle.readline()
        if not header.endswith(b"\n") or header.count(b'"') % 2 or header.count(b"\r") > header.endswith(b"\r\n"):
            return None
        lines, previous = 1, header
        while chunk := handle.read(1 << 22):
            seam = previous[-2:] + chunk
            whole = seam.removesuffix(b"\r")  # a line end split between two chunks is seen whole in the next
            if b'"' in chunk or b"\n\n" in seam or b"\n\r\n" in seam or whole.count(b"\r") != whole.count(b"\r\n"):
                return None
            lines += chunk.count(b"\n")
            previous = chunk
    return lines + (1 if previous and not previous.endswith(b"\n") else 0)


def column_blocks(path: str | Path) -> ColumnBlocks | None:
    """The CSV file at `path` as blocks of text columns, or None when the row-by-row reader must read
    it (not a CSV file, quotes or blank lines in it, no data rows). The header is read as
    `stream_table` reads it; pyarrow is imported only here, when a file is read."""
    path = Path(path)
    if path.suffix.lower() not in {".csv", ".txt", ".tsv"} or not path.exists():
        return None
    lines = _plain_lines(path)
    if lines is None or lines < 2:
        return None
    with path.open("rb") as handle:
        try:
            first_line = handle.readline().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError:
            return None
    delimiter = _sniff_delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    columns = [h.strip().lower() for h in header]
    blocks = _pyarrow_blocks(path, columns, delimiter, lines - 1)
    return ColumnBlocks(path.name, columns, lines - 1, delimiter == ";", blocks)


def _pyarrow_blocks(path: Path, columns: list[str], delimiter: str, rows: int) -> Iterator[ColumnBlock]:
    """The data lines, COLUMN_BLOCK_BYTES at a time cut at a line end (every line is a row: no
    quotes), each block parsed by pyarrow's CSV reader: one block in memory at a time."""
    import pyarrow as pa

    # The system allocator gives blocks back when they are freed: about 60 MB less at the peak than
    # pyarrow's default. Buffers are freed by the pool they came from, so switching is safe even
    # with pyarrow at work in another thread (at worst the process keeps the system allocator).
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        first = 2
        for block in _pyarrow_tables(path, len(columns), delimiter):
            yield ColumnBlock(first, {c: block.column(i).combine_chunks() for i, c in enumerate(columns)}, len(block))
            first += len(block)
    finally:
        pa.set_memory_pool(pool)
    if first - 2 != rows:
        raise NotColumnar(f"{first - 2} rows read from {rows} lines")


def _pyarrow_tables(path: Path, width: int, delimiter: str) -> Iterator[Any]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    options = {
        "read_options": pacsv.ReadOptions(column_names=names, use_threads=False),
        "parse_options": pacsv.ParseOptions(delimiter=delimiter, quote_char=False),
        "convert_options": pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    }
    rest = b""
    with path.open("rb") as handle:
        handle.readline()  # the header
        while True:
            chunk = handle.read(COLUMN_BLOCK_BYTES)
            data = rest + chunk
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            data, rest = data[:cut], data[cut:]
            if data:
                try:
                    table = pacsv.read_csv(pa.py_buffer(data), **options)
                except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                    raise NotColumnar(str(exc)) from None
                if table.num_rows != data.count(b"\n") + (not data.endswith(b"\n")):
                    raise NotColumnar("a line that is no row")
                yield table
            if not chunk:
                break
