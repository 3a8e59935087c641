"""What every indicator import shares: the summary it returns and how cells of a file are read."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np

from driftsblik.core.tabular import Problem, parse_decimal

FOUR_PLACES = Decimal("0.0001")
# Observation and target columns are DECIMAL(18, 4): 14 digits before the point.
LARGEST = Decimal(10) ** 14

_TRUE = {"true", "yes", "ja", "1", "x", "y", "j"}
_FALSE = {"false", "no", "nej", "0", "n", ""}


@dataclass
class ImportSummary:
    """What an import did: rows read, and how many records it created, changed and left as they were."""

    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    revisions: int = 0
    # (indicator code, month's first day) of every created or changed figure: what the roll-up redoes
    months_changed: set[tuple[str, dt.date]] = field(default_factory=set, repr=False, compare=False)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        text = (
            f"{self.file}: {self.rows} row(s): {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.revisions:
            text += f"; {self.revisions} previous value(s) kept as revisions"
        return text


def parse_bool(value: Any) -> bool:
    """true/false, yes/no, ja/nej, 1/0 or x/empty, as people write them in a spreadsheet."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not true or false (write true/false, ja/nej or 1/0)")


def parse_amount(value: Any, *, decimal_comma: bool) -> Decimal:
    """A number that fits the database's DECIMAL(18, 4), rounded to four decimals."""
    number = parse_decimal(value, decimal_comma=decimal_comma)
    if abs(number) >= LARGEST:
        raise ValueError(f"{value!r} is too large (at most 14 digits before the decimal point)")
    return number.quantize(FOUR_PLACES, rounding=ROUND_HALF_EVEN)


def parse_year(value: Any) -> int:
    """A budget year: four digits (an Excel number cell such as 2025.0 counts)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is no year")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text.isdigit() or len(text) != 4 or not 1900 <= int(text) <= 2999:
        raise ValueError(f"{value!r} is no budget year (expected four digits, such as 2025)")
    return int(text)


def cell_text(value: Any) -> str | None:
    """A code or id as text: Excel's number cells (101 or 101.0) become '101'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class CellKeys:
    """The key (indicator, unit, month or year) and row of every checked row of an import, in 16
    bytes a row rather than a dict of tuples, so that a cell given twice is found after the stream,
    with the row it first appeared at, while memory stays nearly flat in the file's size."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.units: dict[str, int] = {}
        self.keys = array("q")
        self.rows = array("q")

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, code: str, unit_id: str, slot: int, row: int) -> None:
        """`slot` is the month (year * 12 + month - 1) or the year: below 2**20."""
        code_index = self.codes.setdefault(code, len(self.codes))
        unit_index = self.units.setdefault(unit_id, len(self.units))
        self.keys.append((((code_index << 24) | unit_index) << 20) | slot)
        self.rows.append(row)

    def extend(self, code_ids: np.ndarray, unit_ids: np.ndarray, slots: np.ndarray, rows: np.ndarray) -> None:
        """Many keys at once: indexes into `codes` and `units` (given out by their `setdefault`), slots, rows."""
        keys = (((code_ids.astype(np.int64) << 24) | unit_ids) << 20) | slots
        self.keys.frombytes(keys.astype(np.int64).tobytes())
        self.rows.frombytes(np.asarray(rows, dtype=np.int64).tobytes())

    def problems(self, file: str, reason: Callable[[str, str, int, int], str]) -> list[Problem]:
        """A problem for each row that repeats an earlier row's key; `reason(code, unit, slot, first row)`."""
        if len(self.keys) < 2:
            return []
        # sorted by key, then row: each key's first row comes first, in whatever order rows were added
        order = np.lexsort((np.frombuffer(self.rows, dtype=np.int64), np.frombuffer(self.keys, dtype=np.int64)))
        keys, rows = np.frombuffer(self.keys, dtype=np.int64)[order], np.frombuffer(self.rows, dtype=np.int64)[order]
        del order
        starts = np.r_[True, keys[1:] != keys[:-1]]
        repeats = np.flatnonzero(~starts)
        if not len(repeats):
            return []
        first = rows[np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))]
        codes, units = list(self.codes), list(self.units)
        found = []
        for i in repeats.tolist():
            key = int(keys[i])
            code, unit, slot = codes[key >> 44], units[(key >> 20) & 0xFFFFFF], key & 0xFFFFF
            found.append(Problem(file, int(rows[i]), None, reason(code, unit, slot, int(first[i]))))
        return found
