"""Periods: the month is the grain; quarters and the budget year (a calendar year) are built from it.

A `Period` is an inclusive run of months. It parses the forms the command line and the URLs use:
`2025-03` (a month), `2025Q1` (a quarter) and `2025` (a budget year).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

MONTH_NAMES_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


class PeriodError(ValueError):
    """Text that is no month, quarter or year."""


@total_ordering
@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month; its first day is how it is stored, its last day is when trees are read."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2999:
            raise PeriodError(f"{self.year}-{self.month:02d} is no month")

    @classmethod
    def parse(cls, text: str) -> Month:
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-01)?\s*", str(text))
        if not match:
            raise PeriodError(f"{text!r} is no month (expected YYYY-MM)")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def index(self) -> int:
        """Months since year 0: lets months be subtracted and compared as integers."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __lt__(self, other: Month) -> bool:
        return self.index < other.index

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label_da(self) -> str:
        return f"{MONTH_NAMES_DA[self.month - 1]} {self.year}"


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive run of months: a month, a quarter or a budget year."""

    start: Month
    stop: Month
    kind: str  # "month", "quarter", "year"

    @classmethod
    def parse(cls, text: str) -> Period:
        raw = str(text).strip()
        if re.fullmatch(r"\d{4}", raw):
            year = int(raw)
            return cls(Month(year, 1), Month(year, 12), "year")
        match = re.fullmatch(r"(\d{4})[Qq]([1-4])", raw)
        if match:
            year, quarter = int(match[1]), int(match[2])
            return cls(Month(year, 3 * quarter - 2), Month(year, 3 * quarter), "quarter")
        try:
            month = Month.parse(raw)
        except PeriodError:
            raise PeriodError(f"{text!r} is no period (expected YYYY-MM, YYYYQn or YYYY)") from None
        return cls(month, month, "month")

    @classmethod
    def month(cls, month: Month) -> Period:
        return cls(month, month, "month")

    @property
    def months(self) -> list[Month]:
        return [Month.from_index(i) for i in range(self.start.index, self.stop.index + 1)]

    @property
    def year(self) -> int:
        return self.stop.year

    @property
    def end(self) -> dt.date:
        return self.stop.end

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        length = self.stop.index - self.start.index + 1
        return Period(self.start.shift(-length), self.stop.shift(-length), self.kind)

    def year_before(self) -> Period:
        return Period(self.start.shift(-12), self.stop.shift(-12), self.kind)

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month + 2) // 3}"
        return str(self.start)

    @property
    def label_da(self) -> str:
        if self.kind == "year":
            return f"budgetår {self.start.year}"
        if self.kind == "quarter":
            return f"{(self.start.month + 2) // 3}. kvartal {self.start.year}"
        return self.start.label_da


def month_range(start: Month, stop: Month) -> list[Month]:
    return [Month.from_index(i) for i in range(start.index, stop.index + 1)]
