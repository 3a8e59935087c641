"""DREAM import: the wide layout (one row per person, a ``y_YYWW`` column per week holding a
benefit code) turned into the contract's ``benefit_weeks`` (person, Monday of the week, benefit).

The mapping file is a CSV with columns ``code,benefit``: the DREAM codes and the contract's
benefit each maps to. A code mapped to an empty benefit (or ``-``) means "no benefit" and is
skipped; an empty cell is no benefit either. Codes found in the data but absent from the
mapping, benefits unknown to the contract and persons on two rows are refused with a report.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from driftsblik.engine.contract import BENEFITS, utf8_problem
from driftsblik.engine.errors import EngineInputError, Problem, RegisterValidationError

WEEK_COLUMN = re.compile(r"^y_(\d{2})(\d{2})$")


def week_monday(column: str) -> dt.date:
    """The Monday of the ISO week named by a DREAM column ``y_YYWW`` (YY >= 90 is the 1900s)."""
    m = WEEK_COLUMN.match(column)
    if not m:
        raise EngineInputError(f"not a DREAM week column: {column!r}")
    yy, ww = int(m.group(1)), int(m.group(2))
    year = 1900 + yy if yy >= 90 else 2000 + yy
    try:
        return dt.date.fromisocalendar(year, ww, 1)
    except ValueError as exc:
        raise EngineInputError(f"{column}: week {ww} does not exist in {year}") from exc


def read_mapping(path: str | Path) -> dict[str, str | None]:
    """DREAM code -> benefit (``None`` for codes meaning no benefit)."""
    mapping: dict[str, str | None] = {}
    problems = []
    encoding = utf8_problem(Path(path), "dream mapping")
    if encoding is not None:
        raise RegisterValidationError([encoding])
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or not {"code", "benefit"} <= set(reader.fieldnames):
            raise EngineInputError(f"{path}: the mapping needs the columns code,benefit")
        for row in reader:
            code = (row["code"] or "").strip()
            benefit = (row["benefit"] or "").strip()
            if not code:
                continue
            if benefit in ("", "-"):
                mapping[code] = None
            elif benefit not in BENEFITS:
                problems.append({"code": code, "benefit": benefit})
            else:
                mapping[code] = benefit
    if problems:
        raise RegisterValidationError(
            [
                Problem(
                    "dream mapping",
                    "unknown_benefit",
                    f"unknown benefit (known: {', '.join(BENEFITS)})",
                    len(problems),
                    problems[:3],
                )
            ]
        )
    return mapping


def _read(path: Path) -> pa.Table:
    """The DREAM file as a table of text columns; an empty or unreadable file, or one that is not
    UTF-8, is refused with what is wrong with it."""
    if path.suffix == ".parquet":
        try:
            data = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise EngineInputError(f"{path.name}: not a readable Parquet file ({exc})") from None
    else:
        encoding = utf8_problem(path, "dream")
        if encoding is not None:
            raise RegisterValidationError([encoding])
        try:
            header = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)).schema.names
            data = pacsv.read_csv(
                path,
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True
                ),
            )
        except pa.ArrowInvalid as exc:
            if "Empty CSV" in str(exc):
                raise EngineInputError(f"{path.name}: the DREAM file is empty") from None
            raise EngineInputError(f"{path.name}: not a readable CSV file ({exc})") from None
    if data.num_rows == 0:
        raise EngineInputError(f"{path.name}: the DREAM file has no rows")
    return data


def dream_to_benefit_weeks(data: pa.Table, mapping: dict[str, str | None]) -> pa.Table:
    """The ``benefit_weeks`` rows of a DREAM table (a ``person_id`` column and ``y_YYWW`` columns)."""
    if "person_id" not in data.column_names:
        raise EngineInputError("the DREAM file needs a person_id column")
    weeks = [c for c in data.column_names if WEEK_COLUMN.match(c)]
    if not weeks:
        raise EngineInputError("the DREAM file has no y_YYWW week columns")
    person = data.column("person_id").cast(pa.string())
    problems = []
    dup = pc.value_counts(person).filter(pc.greater(pc.struct_field(pc.value_counts(person), [1]), 1))
    if len(dup):
        problems.append(
            Problem(
                "dream",
                "duplicate",
                "two rows for one person",
                len(dup),
                [{"person_id": v["values"]} for v in dup.to_pylist()[:3]],
            )
        )
    codes = pa.array(sorted(mapping), pa.string())
    benefits = pa.array([mapping[c] for c in sorted(mapping)], pa.string())
    parts = []
    unknown: dict[str, int] = {}
    for col in weeks:
        monday = week_monday(col)
        raw = pc.utf8_trim_whitespace(data.column(col).cast(pa.string()))
        present = pc.and_(pc.is_valid(raw), pc.not_equal(raw, ""))
        present = pc.fill_null(present, False)
        idx = pc.index_in(raw, value_set=codes)
        missing = pc.and_(present, pc.is_null(idx))
        for v in pc.filter(raw, missing).to_pylist():
            unknown[v] = unknown.get(v, 0) + 1
        benefit = pc.take(benefits, idx)
        keep = pc.and_(present, pc.is_valid(benefit))
        parts.append(
            pa.table(
                {
                    "person_id": pc.filter(person, keep),
                    "week": pa.array([monday] * int(pc.sum(keep).as_py() or 0), pa.date32()),
                    "benefit": pc.filter(benefit, keep),
                }
            )
        )
    if unknown:
        problems.append(
            Problem(
                "dream",
                "unknown_code",
                "DREAM code(s) missing from the mapping",
                sum(unknown.values()),
                [{"code": c, "cells": n} for c, n in sorted(unknown.items())[:3]],
            )
        )
    if problems:
        raise RegisterValidationError(problems)
    return pa.concat_tables(parts)


def import_dream(
    file: str | Path, codes: str | Path, out: str | Path, file_format: str = "parquet"
) -> tuple[Path, int]:
    """Read a DREAM file and a code mapping; write ``benefit_weeks`` into the folder ``out``."""
    path = Path(file)
    if not path.exists():
        raise EngineInputError(f"no DREAM file at {path}")
    if not Path(codes).exists():
        raise EngineInputError(f"no mapping file at {codes}")
    table = dream_to_benefit_weeks(_read(path), read_mapping(codes))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if file_format == "csv":
        target = folder / "benefit_weeks.csv"
        pacsv.write_csv(table, target, pacsv.WriteOptions(quoting_style="needed"))
    else:
        target = folder / "benefit_weeks.parquet"
        pq.write_table(table, target)
    return target, table.num_rows
