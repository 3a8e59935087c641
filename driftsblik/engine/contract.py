"""The register contract of DESIGN.md, and reading registers into Ibis tables.

A register folder holds one file per table: ``<table>.parquet`` (or a directory ``<table>/`` of
Parquet files) or ``<table>.csv``. Registers may also be tables in the backend's database
(``registers="db:"`` or ``"db:<schema>"``). Reading checks the structure (tables, columns,
types); :mod:`driftsblik.engine.validate` checks the content.
"""

from __future__ import annotations

import codecs
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.dataset as pads

from driftsblik.engine.errors import Problem

if TYPE_CHECKING:
    from driftsblik.engine.runner import Runner

UNASSIGNED = "_unassigned"
"""The unit of a person with no assignment in the indicator's domain on the date that counts."""

DOMAINS = ("beskaeftigelse", "unge", "aeldre")
BENEFITS = (
    "kontanthjaelp",
    "uddannelseshjaelp",
    "dagpenge",
    "sygedagpenge",
    "ledighedsydelse",
    "foertidspension",
    "fleksjob",
    "ressourceforloeb",
    "revalidering",
    "other",
)
CASH_BENEFITS = ("kontanthjaelp", "uddannelseshjaelp")

# column kinds: "id"/"str" strings, "date", "date?" (nullable date), "float", "bool"
TABLES: dict[str, dict[str, str]] = {
    "persons": {"person_id": "id", "birth_date": "date", "moved_in": "date?", "moved_out": "date?"},
    "assignments": {
        "person_id": "id",
        "domain": "str",
        "unit_id": "str",
        "valid_from": "date",
        "valid_to": "date?",
    },
    "benefit_weeks": {"person_id": "id", "week": "date", "benefit": "str"},
    "employment_hours": {"person_id": "id", "month": "date", "hours": "float"},
    "education": {"person_id": "id", "start_date": "date", "end_date": "date?"},
    "admissions": {"person_id": "id", "admitted": "date", "discharged": "date", "preventable": "bool"},
}

ARROW_TYPES: dict[str, pa.DataType] = {
    "id": pa.string(),
    "str": pa.string(),
    "date": pa.date32(),
    "date?": pa.date32(),
    "float": pa.float64(),
    "bool": pa.bool_(),
}
IBIS_TYPES: dict[str, str] = {
    "id": "string",
    "str": "string",
    "date": "date",
    "date?": "date",
    "float": "float64",
    "bool": "boolean",
}
SQL_TYPES: dict[str, str] = {
    "id": "text",
    "str": "text",
    "date": "date",
    "date?": "date",
    "float": "double precision",
    "bool": "boolean",
}


@dataclass
class Registers:
    """The six register tables as Ibis tables with the contract's column names and types."""

    persons: ir.Table
    assignments: ir.Table
    benefit_weeks: ir.Table
    employment_hours: ir.Table
    education: ir.Table
    admissions: ir.Table

    def table(self, name: str) -> ir.Table:
        """The register table called ``name``."""
        t: ir.Table = getattr(self, name)
        return t


def _ibis_type_ok(kind: str, dtype: dt.DataType) -> bool:
    if kind in ("id", "str"):
        return bool(dtype.is_string())
    if kind in ("date", "date?"):
        return bool(dtype.is_date() or dtype.is_timestamp())
    if kind == "float":
        return bool(dtype.is_numeric())
    if kind == "bool":
        return bool(dtype.is_boolean())
    return False


def _arrow_type_ok(kind: str, dtype: pa.DataType) -> bool:
    if pa.types.is_dictionary(dtype):
        dtype = dtype.value_type
    if kind in ("id", "str"):
        return bool(pa.types.is_string(dtype) or pa.types.is_large_string(dtype))
    if kind in ("date", "date?"):
        return bool(pa.types.is_date(dtype) or pa.types.is_timestamp(dtype))
    if kind == "float":
        return bool(pa.types.is_integer(dtype) or pa.types.is_floating(dtype) or pa.types.is_decimal(dtype))
    if kind == "bool":
        return bool(pa.types.is_boolean(dtype))
    return False


def _type_name(kind: str) -> str:
    return {
        "id": "text",
        "str": "text",
        "date": "date",
        "date?": "date",
        "float": "number",
        "bool": "boolean",
    }[kind]


def find_table_file(folder: Path, name: str) -> Path | None:
    """The file (or Parquet directory) holding register ``name`` in ``folder``, if any."""
    for candidate in (folder / f"{name}.parquet", folder / name, folder / f"{name}.csv"):
        if candidate.exists():
            return candidate
    return None


_BOOL_TRUE = {"true", "t", "1", "yes"}
_BOOL_FALSE = {"false", "f", "0", "no"}


def _parse_csv_column(name: str, kind: str, col: pa.ChunkedArray) -> tuple[pa.Array, list[int]]:
    """Parse a column read as text; return the typed column and the row numbers that failed."""
    col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    stripped = pc.utf8_trim_whitespace(col)
    empty = pc.equal(stripped, "")
    text = pc.if_else(empty, pa.scalar(None, pa.string()), stripped)
    if kind in ("id", "str"):
        return text, []
    if kind in ("date", "date?"):
        typed = _strict_dates(text)
    elif kind == "float":
        ok = pc.match_substring_regex(text, r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
        typed = pc.cast(pc.if_else(ok, text, pa.scalar(None, pa.string())), pa.float64())
    else:  # bool
        low = pc.utf8_lower(text)
        typed = pc.if_else(
            pc.is_in(low, pa.array(sorted(_BOOL_TRUE))),
            True,
            pc.if_else(pc.is_in(low, pa.array(sorted(_BOOL_FALSE))), False, pa.scalar(None, pa.bool_())),
        )
    bad_mask = pc.and_(pc.is_valid(text), pc.is_null(typed))
    bad = pc.indices_nonzero(pc.fill_null(bad_mask, False)).to_pylist()
    return typed, bad


_DATE_PARTS = r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$"


def _strict_dates(text: pa.Array) -> pa.Array:
    """ISO dates, each a day of the calendar: Arrow's strptime rolls an impossible date over
    (1990-02-30 becomes 1990-03-02), so a date whose year, month and day do not come back as
    written is no date (null, reported as a wrong value)."""
    parsed = pc.cast(pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())
    parts = pc.extract_regex(text, _DATE_PARTS)
    same = pc.and_(
        pc.and_(
            pc.equal(pc.cast(pc.struct_field(parts, "year"), pa.int64()), pc.year(parsed)),
            pc.equal(pc.cast(pc.struct_field(parts, "month"), pa.int64()), pc.month(parsed)),
        ),
        pc.equal(pc.cast(pc.struct_field(parts, "day"), pa.int64()), pc.day(parsed)),
    )
    return pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, pa.date32()))


def utf8_problem(path: Path, table: str) -> Problem | None:
    """A problem naming the encoding when the text file at ``path`` is not UTF-8 (read in
    blocks, so a large register costs no more memory than a block), else None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                row = lines + block[: max(exc.start, 0)].count(b"\n") + 1
                byte = block[exc.start] if 0 <= exc.start < len(block) else 0
                return _encoding_problem(path, table, f"byte 0x{byte:02x} at row {row}")
            lines += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _encoding_problem(path, table, "at its end")
    return None


def _encoding_problem(path: Path, table: str, where: str) -> Problem:
    return Problem(
        table,
        "not_utf8",
        f"{path.name} is not UTF-8 ({where}; Windows-1252 or Latin-1, as older systems and Excel's "
        "plain CSV write it?): save or export it as UTF-8",
    )


def read_csv_table(path: Path, name: str) -> tuple[pa.Table | None, list[Problem]]:
    """Read one register CSV with the contract's types; report missing columns and bad values."""
    columns = TABLES[name]
    problems: list[Problem] = []
    encoding = utf8_problem(path, name)
    if encoding is not None:
        return None, [encoding]
    try:
        header = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)).schema.names
    except pa.ArrowInvalid as exc:
        if "Empty CSV" in str(exc):
            header = []
        else:
            return None, [Problem(name, "unreadable", f"cannot read {path.name}: {exc}")]
    missing = [c for c in columns if c not in header]
    if missing:
        return None, [Problem(name, "missing_column", f"missing column(s) {', '.join(missing)}")]
    raw = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            include_columns=list(columns),
            strings_can_be_null=False,
        ),
    )
    arrays: dict[str, pa.Array] = {}
    for col, kind in columns.items():
        typed, bad = _parse_csv_column(col, kind, raw.column(col))
        arrays[col] = typed
        if bad:
            examples = [{"row": i + 2, col: raw.column(col)[i].as_py()} for i in bad[:3]]
            problems.append(
                Problem(
                    name,
                    "wrong_type",
                    f"column {col} holds values that are not a {_type_name(kind)}",
                    len(bad),
                    examples,
                )
            )
    return pa.table(arrays), problems


def check_arrow_schema(name: str, schema: pa.Schema, source: str) -> list[Problem]:
    """Missing columns and wrong types in a Parquet file's schema."""
    columns = TABLES[name]
    missing = [c for c in columns if c not in schema.names]
    if missing:
        return [Problem(name, "missing_column", f"missing column(s) {', '.join(missing)} in {source}")]
    problems = []
    for col, kind in columns.items():
        dtype = schema.field(col).type
        if not _arrow_type_ok(kind, dtype):
            problems.append(
                Problem(name, "wrong_type", f"column {col} has type {dtype}, expected a {_type_name(kind)}")
            )
    return problems


def canonical(t: ir.Table, name: str) -> ir.Table:
    """Select the contract's columns of register ``name`` with the contract's types."""
    columns = TABLES[name]
    return t.select(
        **{
            col: (t[col] if t[col].type() == dt.dtype(IBIS_TYPES[kind]) else t[col].cast(IBIS_TYPES[kind]))
            for col, kind in columns.items()
        }
    )


def _prefix() -> str:
    return "reg_" + uuid.uuid4().hex[:8] + "_"


def copy_into_postgres(con: Any, table_name: str, name: str, data: pa.Table, *, temp: bool = True) -> None:
    """Load an Arrow table into PostgreSQL with COPY (much faster than ``create_table``)."""
    columns = TABLES[name]
    cols_sql = ", ".join(f'"{c}" {SQL_TYPES[k]}' for c, k in columns.items())
    raw = con.con
    with raw.cursor() as cur:
        cur.execute(f'CREATE {"TEMP " if temp else ""}TABLE "{table_name}" ({cols_sql})')
        buf = io.BytesIO()
        pacsv.write_csv(data.select(list(columns)), buf, pacsv.WriteOptions(include_header=False))
        col_list = ", ".join(f'"{c}"' for c in columns)
        with cur.copy(f'COPY "{table_name}" ({col_list}) FROM STDIN WITH (FORMAT csv)') as copy:
            view = buf.getbuffer()
            step = 1 << 20
            for i in range(0, len(view), step):
                copy.write(view[i : i + step])
    raw.commit()


def _register_arrow(con: Any, backend: str, table_name: str, name: str, data: pa.Table) -> ir.Table:
    if backend == "postgres":
        copy_into_postgres(con, table_name, name, data)
        return con.table(table_name)
    if backend == "duckdb":
        return con.create_table(table_name, data, temp=True)
    if backend == "pyspark":
        spark = con._session
        spark.createDataFrame(data).createOrReplaceTempView(table_name)
        return con.table(table_name)
    return con.create_table(table_name, data)


NATIVE_LOAD_MIN_BYTES = 32 * 1024 * 1024
NATIVE_TABLES = ("persons", "assignments", "education", "admissions")
"""On DuckDB, when the registers' Parquet files take at least ``NATIVE_LOAD_MIN_BYTES`` in all
(about 250,000 residents and up), these tables are read once into DuckDB's own storage: each is
joined by several indicators and checks, and a native table is faster to scan than Parquet. The
two large ones (benefit weeks and employment hours) are read in a pass or two each and stay in
Parquet, so that memory stays near the size of the files (copying them cost about ten times
their size in memory and more time than it saved). Below that size copying costs more than it
saves."""


def _parquet_bytes(path: Path) -> int:
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    return sum(f.stat().st_size for f in files)


def _read_parquet(con: Any, backend: str, table_name: str, name: str, path: Path) -> ir.Table:
    if backend == "postgres":
        data = pads.dataset(path, format="parquet").to_table(columns=list(TABLES[name]))
        data = data.cast(pa.schema([(c, ARROW_TYPES[k]) for c, k in TABLES[name].items()]))
        return _register_arrow(con, backend, table_name, name, data)
    target = str(path / "*.parquet") if path.is_dir() else str(path)
    return con.read_parquet(target, table_name=table_name)


def open_registers(
    source: str | Path, con: Any, backend: str, runner: Runner | None = None
) -> tuple[Registers | None, list[Problem]]:
    """Open the six registers from a folder or from database tables, checking their structure.

    Returns the registers (``None`` when a structural problem makes them unusable) and the
    structural problems found (missing tables or columns, wrong types, unparsable CSV values).
    The copies into DuckDB's storage (:data:`NATIVE_TABLES`) are made by ``runner`` when given
    (in the background, while the run goes on), else at once.
    """
    problems: list[Problem] = []
    tables: dict[str, ir.Table] = {}
    if isinstance(source, str) and source.startswith("db:"):
        schema = source[3:] or None
        for name in TABLES:
            try:  # (ibis 12's list_tables() fails on DuckDB 2.0, so ask for each table)
                t = con.table(name, database=schema) if schema else con.table(name)
            except Exception:  # noqa: BLE001 - every backend raises its own "no such table"
                problems.append(Problem(name, "missing_table", f"table {name} is missing in the database"))
                continue
            tp = _check_ibis_schema(name, t)
            problems += tp
            if not tp:
                tables[name] = canonical(t, name)
    else:
        folder = Path(source)
        if not folder.is_dir():
            return None, [Problem("registers", "missing_folder", f"no register folder at {folder}")]
        prefix = _prefix()
        paths = {name: find_table_file(folder, name) for name in TABLES}
        size = sum(_parquet_bytes(p) for p in paths.values() if p is not None and p.suffix != ".csv")
        native = backend == "duckdb" and size >= NATIVE_LOAD_MIN_BYTES
        copied: list[str] = []
        for name in TABLES:
            path = paths[name]
            if path is None:
                problems.append(Problem(name, "missing_table", f"no {name}.parquet or {name}.csv in {folder}"))
                continue
            if path.suffix == ".csv":
                data, tp = read_csv_table(path, name)
                problems += tp
                if data is not None and not tp:
                    tables[name] = canonical(_register_arrow(con, backend, prefix + name, name, data), name)
            else:
                try:
                    schema = pads.dataset(path, format="parquet").schema
                except (pa.ArrowInvalid, OSError) as exc:
                    problems.append(Problem(name, "unreadable", f"cannot read {path.name}: {exc}"))
                    continue
                tp = check_arrow_schema(name, schema, path.name)
                problems += tp
                if not tp:
                    suffix = "_file" if native and name in NATIVE_TABLES else ""
                    tables[name] = canonical(_read_parquet(con, backend, prefix + name + suffix, name, path), name)
                    if suffix:
                        copied.append(name)
        if not problems:
            # read each of these files once into DuckDB's own storage: validation and the
            # indicators scan them many times, and a native table is faster to scan than Parquet
            for name in copied:
                tables[name] = (
                    runner.materialize(tables[name], name=prefix + name)
                    if runner is not None
                    else con.create_table(prefix + name, tables[name], temp=True)
                )
    if problems:
        return None, problems
    return Registers(**tables), []


def _check_ibis_schema(name: str, t: ir.Table) -> list[Problem]:
    columns = TABLES[name]
    schema = t.schema()
    missing = [c for c in columns if c not in schema]
    if missing:
        return [Problem(name, "missing_column", f"missing column(s) {', '.join(missing)}")]
    return [
        Problem(name, "wrong_type", f"column {c} has type {schema[c]}, expected a {_type_name(k)}")
        for c, k in columns.items()
        if not _ibis_type_ok(k, schema[c])
    ]


def empty_table(name: str) -> pa.Table:
    """An empty Arrow table with register ``name``'s columns and types."""
    return pa.table({c: pa.array([], ARROW_TYPES[k]) for c, k in TABLES[name].items()})
