"""What every connector shares: the mapping file's common part, the figures it yields, the schedule.

A source is a connector (how to talk to a public service) plus a mapping file (what to ask it
for and what each answer becomes). A connector declares the mapping it reads as a pydantic model;
`driftsblik.sources.mapping` reads and checks the YAML against it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, field_validator

from driftsblik.core.periods import Month
from driftsblik.core.tabular import Table
from driftsblik.sources.http import SourceClient, SourceFormatChanged

UNIT_KINDS = ("root", "area", "sector", "institution", "team")


class Schedule(BaseModel):
    """When `driftsblik tick` fetches a source: every day, every week on a weekday (1 = Monday),
    or every month or quarter on a day of the month (the first month of a quarter for quarters)."""

    model_config = ConfigDict(extra="forbid")

    every: Literal["day", "week", "month", "quarter"]
    day: int = Field(default=1, ge=1, le=28)

    def last_due(self, today: dt.date) -> dt.date:
        """The most recent scheduled day on or before `today`."""
        if self.every == "day":
            return today
        if self.every == "week":
            weekday = min(self.day, 7) - 1
            return today - dt.timedelta(days=(today.weekday() - weekday) % 7)
        step = 3 if self.every == "quarter" else 1
        month = Month.of(today)
        while (month.month - 1) % step:
            month = month.shift(-1)
        due = month.first.replace(day=self.day)
        return due if due <= today else month.shift(-step).first.replace(day=self.day)


class SourceMapping(BaseModel):
    """The part every mapping file has: which connector, a title, and when to fetch."""

    model_config = ConfigDict(extra="forbid")

    source: str
    title: str = Field(min_length=1, max_length=200)
    schedule: Schedule | None = None


class FigureMapping(SourceMapping):
    """A mapping whose answers are figures of one indicator per area (municipality) and period.

    - indicator: the indicator code the figures become (its measure decides count or ratio);
    - units: area code -> unit id: these areas' figures are loaded as the unit's observations;
    - compare: keep every municipality's figure (and the country's) for the comparison;
    - months_back: how far back a fetch without --from reaches;
    - quarter_month: a quarter's figure is kept at its first or last month.
    """

    indicator: str = Field(min_length=1, max_length=64)
    units: dict[str, str] = Field(default_factory=dict)
    compare: bool = True
    months_back: int = Field(default=24, ge=1, le=240)
    quarter_month: Literal["first", "last"] = "last"

    @field_validator("units", mode="before")
    @classmethod
    def _codes_as_text(cls, value: Any) -> Any:
        # YAML reads 860: kommune as an integer key; area codes are text with leading zeros.
        if isinstance(value, dict):
            return {(f"{k:03d}" if isinstance(k, int) else str(k)): v for k, v in value.items()}
        return value


class OrganisationMapping(SourceMapping):
    """A mapping whose answer is the organisation: units, their history and their leaders."""


@dataclass(frozen=True)
class Figure:
    """One figure a source gave: numerator (and denominator) for an area in a month, or withheld."""

    area: str
    period: Month
    numerator: Decimal | None
    denominator: Decimal | None
    suppressed: bool = False


@dataclass
class FigureResult:
    """What a figure source answered: its figures and how to cite them ("Danmarks Statistik, AUK01")."""

    figures: list[Figure]
    reference: str
    retrieved_at: dt.datetime
    notes: list[str] = field(default_factory=list)


@dataclass
class OrganisationResult:
    """What an organisation source answered: the units table in the organisation import's contract."""

    table: Table
    reference: str
    retrieved_at: dt.datetime
    notes: list[str] = field(default_factory=list)


class Connector:
    """A public source. Subclasses name their kind, label and mapping model and implement `fetch`."""

    kind: ClassVar[str]
    label: ClassVar[str]
    mapping_class: ClassVar[type[SourceMapping]]

    def __init__(self, mapping: SourceMapping) -> None:
        self.mapping = mapping

    def fetch(self, *, first: Month, last: Month) -> FigureResult | OrganisationResult:
        raise NotImplementedError


Key = tuple[str, str]  # (area code, the source's period code)


class FigureConnector(Connector):
    """A source of figures per area and period: a numerator query and an optional denominator query,
    each read by `_sums` into sums by (area, period code), joined by `combine`."""

    mapping: Any

    def client(self) -> SourceClient:
        raise NotImplementedError

    def _sums(
        self, client: SourceClient, query: Any, first: Month, last: Month
    ) -> tuple[dict[Key, Decimal | None], dict[str, Month]]:
        raise NotImplementedError

    def fetch(self, *, first: Month, last: Month) -> FigureResult:
        mapping = self.mapping
        with self.client() as client:
            numerators, month_of = self._sums(client, mapping.numerator, first, last)
            denominators = None
            if mapping.denominator is not None:
                denominators, more = self._sums(client, mapping.denominator, first, last)
                month_of.update(more)
        queries = [mapping.numerator] + ([mapping.denominator] if mapping.denominator else [])
        tables = "/".join(dict.fromkeys(q.table.upper() for q in queries))
        figures = combine(self.label, numerators, denominators, month_of)
        return FigureResult(figures, f"{self.label}, {tables}", timezone.now())


def add_cells(sums: dict[Key, Decimal | None], key: Key, value: Decimal | None) -> None:
    """Add one cell to a sum over the mapping's values; a withheld cell withholds the sum."""
    if key in sums and sums[key] is None:
        return
    sums[key] = None if value is None else sums.get(key, Decimal(0)) + value  # type: ignore[operator]


def combine(
    source: str,
    numerators: dict[Key, Decimal | None],
    denominators: dict[Key, Decimal | None] | None,
    month_of: dict[str, Month],
) -> list[Figure]:
    """Numerator and denominator joined on area and period into figures, in area and month order.

    A figure is withheld when either part is; an area and period with a numerator but no
    denominator has no figure (the denominator table does not reach it yet).
    """
    figures = []
    for (area, code), numerator in sorted(numerators.items()):
        month = month_of.get(code)
        if month is None:
            raise SourceFormatChanged(source, f"period {code!r} is not a month or quarter")
        if denominators is None:
            figures.append(Figure(area, month, numerator, None, numerator is None))
            continue
        if (area, code) not in denominators:
            continue
        denominator = denominators[(area, code)]
        suppressed = numerator is None or denominator is None
        figures.append(
            Figure(area, month, None if suppressed else numerator, None if suppressed else denominator, suppressed)
        )
    return figures


def months_between(first: Month, last: Month) -> Iterable[Month]:
    month = first
    while month <= last:
        yield month
        month = month.shift(1)


_PERIOD = re.compile(r"^(\d{4})(?:([MKQ])(\d{1,2}))?$")


def period_month(code: str, quarter_month: str) -> Month | None:
    """The month a source's period code is kept at: 2024M01 (month), 2024K1 or 2024Q1 (quarter, at
    its first or last month), 2024 (year, at January or December); None for other codes."""
    match = _PERIOD.match(code.strip())
    if not match:
        return None
    year, kind, number = int(match[1]), match[2], match[3]
    if kind is None:
        return Month(year, 12 if quarter_month == "last" else 1)
    n = int(number)
    if kind == "M":
        return Month(year, n) if 1 <= n <= 12 else None
    if not 1 <= n <= 4:
        return None
    return Month(year, 3 * n if quarter_month == "last" else 3 * n - 2)
