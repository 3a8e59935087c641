"""STAR's Jobindsats API, version 2 (https://api.jobindsats.dk/v2), with the municipality's key.

Two calls per table (the formats, and where each fact comes from, are noted in
`tests/fixtures/jobindsats/README.md`):
- `GET tables/T/json/`: the table's description, whose `Period` lists the periods it has
  (`2024M01`, `2024Q1`); the fetch asks for those between --from and --to;
- `POST data/T/json` with `{"area": "*", "period": [...], "<filter>": [values]}`: a list with one
  object whose `Variables` (each with a `Label`) name the columns of its `Data` rows: `Area` (the
  area's name: a municipality, Hele landet, or a larger area), `Periode`, the table's dimensions,
  then its measures.

The key goes in the `Authorization` header. The rows of the listed filter values are summed per
area and period; a row with a dimension value the mapping did not list stops the fetch (it would
be summed twice). Areas are matched to municipality codes by name; `Hele landet` is 000.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field

from driftsblik.core.periods import Month
from driftsblik.core.tabular import parse_decimal
from driftsblik.sources.connectors.base import (
    FigureConnector,
    FigureMapping,
    Key,
    add_cells,
    period_month,
)
from driftsblik.sources.connectors.registry import register
from driftsblik.sources.http import SourceClient, SourceFormatChanged, SourceRefused
from driftsblik.sources.models import COUNTRY
from driftsblik.sources.municipalities import by_name

AREA, PERIOD = "Area", "Periode"
COUNTRY_NAMES = {"hele landet": COUNTRY}


class JobindsatsQuery(BaseModel):
    """One table, the measure to read (its column label) and the filter values whose rows are summed."""

    model_config = ConfigDict(extra="forbid")

    table: str = Field(min_length=1, max_length=32)
    measure: str = Field(min_length=1)
    variables: dict[str, list[str]] = Field(default_factory=dict)


class JobindsatsMapping(FigureMapping):
    source: Literal["jobindsats"]
    numerator: JobindsatsQuery
    denominator: JobindsatsQuery | None = None
    withheld: list[str] = Field(default_factory=lambda: ["(D)", "D", ".."])


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        return parse_decimal(str(value), decimal_comma=True)
    except ValueError:
        return None


@register
class Jobindsats(FigureConnector):
    """Jobindsats.dk: benefit groups and measures per municipality and month (STAR)."""

    kind = "jobindsats"
    label = "Jobindsats (STAR)"
    mapping_class = JobindsatsMapping
    mapping: JobindsatsMapping

    def client(self) -> SourceClient:
        key = settings.JOBINDSATS_API_KEY
        if not key:
            raise SourceRefused(self.label, "no API key is configured: set DRIFTSBLIK_JOBINDSATS_API_KEY")
        headers = {"Authorization": key, "Accept": "application/json"}
        return SourceClient(source=self.label, base_url=settings.JOBINDSATS_URL, headers=headers)

    def _periods(self, client: SourceClient, table: str, first: Month, last: Month) -> dict[str, Month]:
        info = client.json("GET", f"tables/{table.lower()}/json/")
        periods = info[0].get("Period") if isinstance(info, list) and info and isinstance(info[0], dict) else None
        if not isinstance(periods, list):
            raise SourceFormatChanged(self.label, f"the description of {table} has no list of periods (Period)")
        return {
            str(code): month
            for code in periods
            if (month := period_month(str(code), self.mapping.quarter_month)) is not None and first <= month <= last
        }

    def _sums(
        self, client: SourceClient, query: JobindsatsQuery, first: Month, last: Month
    ) -> tuple[dict[Key, Decimal | None], dict[str, Month]]:
        month_of = self._periods(client, query.table, first, last)
        if not month_of:
            return {}, month_of
        body = {"area": "*", "period": sorted(month_of), **query.variables}
        answer = client.json("POST", f"data/{query.table.lower()}/json", json=body)
        if not (isinstance(answer, list) and answer and isinstance(answer[0], dict)):
            raise SourceFormatChanged(self.label, f"the data for {query.table} is not a list with one result")
        variables, rows = answer[0].get("Variables"), answer[0].get("Data")
        if not isinstance(variables, list) or not isinstance(rows, list):
            raise SourceFormatChanged(self.label, f"the data for {query.table} has no Variables and Data")
        labels = [str(v.get("Label")) if isinstance(v, dict) else "" for v in variables]
        missing = [c for c in (AREA, PERIOD, query.measure) if c not in labels]
        if missing:
            raise SourceFormatChanged(
                self.label,
                f"the data for {query.table} has the columns {', '.join(labels)}; expected {', '.join(missing)} too",
            )
        return self._read(query, labels, rows, month_of), month_of

    def _read(
        self, query: JobindsatsQuery, labels: list[str], rows: list[Any], month_of: dict[str, Month]
    ) -> dict[Key, Decimal | None]:
        area_at, period_at, measure_at = labels.index(AREA), labels.index(PERIOD), labels.index(query.measure)
        listed = {value for values in query.variables.values() for value in values}
        others = [i for i, label in enumerate(labels) if i not in (area_at, period_at, measure_at)]
        names = by_name()
        sums: dict[Key, Decimal | None] = {}
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != len(labels):
                raise SourceFormatChanged(
                    self.label, f"the data for {query.table}, row {number}: not a list of {len(labels)} values"
                )
            for i in others:
                value = row[i]
                if isinstance(value, str) and value not in listed and _number(value) is None:
                    raise SourceFormatChanged(
                        self.label,
                        f"the data for {query.table}, row {number}: {labels[i]} {value!r} is not among the mapping's "
                        "values; list the values to sum under their filter",
                    )
            name = str(row[area_at]).strip().lower()
            area = COUNTRY_NAMES.get(name) or names.get(name)
            period = str(row[period_at]).strip()
            if area is None:
                continue  # a job centre cooperation, RAR area or region: not a municipality
            if period not in month_of:
                raise SourceFormatChanged(
                    self.label, f"the data for {query.table}, row {number}: period {period!r} was not asked for"
                )
            raw = row[measure_at]
            if isinstance(raw, str) and raw.strip() in self.mapping.withheld:
                value = None
            else:
                value = _number(raw)
                if value is None:
                    raise SourceFormatChanged(
                        self.label, f"the data for {query.table}, row {number}: {query.measure} {raw!r} is not a number"
                    )
            add_cells(sums, (area, period), value)
        return sums
