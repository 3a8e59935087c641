"""Months, reference weeks and age bounds: the calendar the indicators are computed on."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from driftsblik.engine.errors import EngineInputError

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a month may be in (as the application's periods): the calendar arithmetic of the
indicators (52 weeks back, 24 months on) stays inside the dates Python and the backends know."""


def parse_month(text: str) -> int:
    """'YYYY-MM' as a month index (year * 12 + month - 1), the year from 1900 to 2999."""
    m = _MONTH_RE.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        raise EngineInputError(f"not a month (YYYY-MM, 1900-01 to 2999-12): {text!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_label(idx: int) -> str:
    """A month index as 'YYYY-MM'."""
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def month_first(idx: int) -> dt.date:
    """The first day of month ``idx``."""
    return dt.date(idx // 12, idx % 12 + 1, 1)


def month_last(idx: int) -> dt.date:
    """The last day of month ``idx`` (the month's ``end`` in DESIGN.md)."""
    y, m = idx // 12, idx % 12 + 1
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def reference_week(idx: int) -> dt.date:
    """The Monday of the week that contains the month's last day."""
    end = month_last(idx)
    return end - dt.timedelta(days=end.weekday())


def years_before(d: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    y = d.year - years
    day = min(d.day, calendar.monthrange(y, d.month)[1])
    return dt.date(y, d.month, day)


def born_on_or_before_for_age(d: dt.date, age: int) -> dt.date:
    """The latest birth date of a person who is at least ``age`` years old on ``d``.

    A person born on 29 February has their birthday on 1 March in other years, so on
    28 February of a non-leap year they are still the younger age.
    """
    return years_before(d, age)


@dataclass(frozen=True)
class MonthRange:
    """The months ``first..last`` (inclusive) as month indices."""

    first: int
    last: int

    @classmethod
    def parse(cls, start: str, end: str) -> MonthRange:
        """From 'YYYY-MM' strings; the start must not be after the end."""
        first, last = parse_month(start), parse_month(end)
        if first > last:
            raise EngineInputError(f"--from {start} is after --to {end}")
        return cls(first, last)

    @property
    def indices(self) -> list[int]:
        """Every month index in the range."""
        return list(range(self.first, self.last + 1))

    def extended(self, before: int) -> MonthRange:
        """The range with ``before`` more months at its start."""
        return MonthRange(self.first - before, self.last)
