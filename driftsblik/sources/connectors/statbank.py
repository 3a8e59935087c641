"""Danmarks Statistik's Statistikbank API, version 1 (https://api.statbank.dk/v1).

Two calls per table (the formats, and where each fact comes from, are noted in
`tests/fixtures/statbank/README.md`):
- `GET tableinfo?id=T&format=JSON&lang=da`: the table's variables and their values; the mapping is
  checked against it before any data are asked for, so a renamed variable or a dropped value
  stops the fetch with a message naming it and what the table offers instead;
- `POST data` with `{"table", "format": "CSV", "lang": "da", "valuePresentation": "Code",
  "variables": [{"code", "values"}]}`: `;`-separated CSV with a header of the variables' codes and
  `INDHOLD`, one row per combination, codes as values (OMRÅDE 860, quarters 2024K1, months
  2024M01), decimal commas, and `..` where Danmarks Statistik withholds a figure.

A mapping names the numerator's table and variable values (each listed value is summed), and
optionally a denominator from another table, joined on area and period.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, field_validator

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
from driftsblik.sources.http import SourceClient, SourceFormatChanged
from driftsblik.sources.models import COUNTRY
from driftsblik.sources.municipalities import municipalities

SUPPRESSED = ".."
VALUE_COLUMN = "INDHOLD"


class StatbankQuery(BaseModel):
    """One table and the values of its variables, each given by its code or its text (as tableinfo
    lists them); the figures of the listed values are summed (ALDER: [16, 17, ..., 64])."""

    model_config = ConfigDict(extra="forbid")

    table: str = Field(min_length=1, max_length=32)
    variables: dict[str, list[str]] = Field(default_factory=dict)
    area_variable: str = "OMRÅDE"

    @field_validator("variables", mode="before")
    @classmethod
    def _values_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in value.items()}
        return value


class StatbankMapping(FigureMapping):
    source: Literal["statbank"]
    numerator: StatbankQuery
    denominator: StatbankQuery | None = None


def _upper(text: str) -> str:
    return text.strip().upper()


class _Table:
    """A table's metadata from `tableinfo`, checked for the shape the connector reads."""

    def __init__(self, source: str, table: str, info: Any) -> None:
        self.source, self.table = source, table
        variables = info.get("variables") if isinstance(info, dict) else None
        if not isinstance(variables, list) or not all(
            isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("values"), list)
            for v in variables
        ):
            raise SourceFormatChanged(source, f"tableinfo for {table} has no list of variables with ids and values")
        self.variables: dict[str, dict[str, Any]] = {_upper(v["id"]): v for v in variables}
        times = [v for v in variables if v.get("time") is True]
        if len(times) != 1:
            raise SourceFormatChanged(source, f"tableinfo for {table} marks {len(times)} variables as time, not one")
        self.time = times[0]
        self.updated = str(info.get("updated", ""))

    def variable(self, code: str) -> dict[str, Any]:
        found = self.variables.get(_upper(code))
        if found is None:
            names = ", ".join(str(v["id"]) for v in self.variables.values())
            raise SourceFormatChanged(
                self.source,
                f"table {self.table} has no variable {code!r}; it has {names}: has the table changed, "
                "or is the mapping wrong?",
            )
        return found

    def value_ids(self, variable: dict[str, Any]) -> list[str]:
        return [str(v.get("id")) for v in variable["values"] if isinstance(v, dict)]

    def resolve_values(self, code: str, wanted: list[str]) -> tuple[str, list[str]]:
        """The variable's id and the codes of the wanted values, each given as its code or its text."""
        variable = self.variable(code)
        values = [v for v in variable["values"] if isinstance(v, dict)]
        ids = {str(v.get("id")) for v in values}
        by_text: dict[str, list[str]] = {}
        for v in values:
            by_text.setdefault(str(v.get("text", "")).strip().lower(), []).append(str(v.get("id")))
        codes, missing = [], []
        for w in wanted:
            matches = [w] if w in ids else by_text.get(w.strip().lower(), [])
            if len(matches) == 1:
                codes.append(matches[0])
            else:
                missing.append(w)
        if missing:
            shown = ", ".join(f"{v.get('id')} ({v.get('text')})" for v in values[:40])
            raise SourceFormatChanged(
                self.source,
                f"table {self.table}, variable {variable['id']}: no value {', '.join(map(repr, missing))}; "
                f"it has {shown}{' ...' if len(values) > 40 else ''}",
            )
        return str(variable["id"]), list(dict.fromkeys(codes))


@register
class Statbank(FigureConnector):
    """Danmarks Statistik's Statistikbank: municipal tables (OMRÅDE) by month, quarter or year."""

    kind = "statbank"
    label = "Danmarks Statistik"
    mapping_class = StatbankMapping
    mapping: StatbankMapping

    def client(self) -> SourceClient:
        return SourceClient(source=self.label, base_url=settings.STATBANK_URL)

    def _areas(self, table: _Table, query: StatbankQuery) -> tuple[str, list[str]]:
        wanted = {*municipalities(), COUNTRY, *self.mapping.units}
        variable = table.variable(query.area_variable)
        return str(variable["id"]), [code for code in table.value_ids(variable) if code in wanted]

    def _sums(
        self, client: SourceClient, query: StatbankQuery, first: Month, last: Month
    ) -> tuple[dict[Key, Decimal | None], dict[str, Month]]:
        """The query's figures summed over its listed values, by (area, period code)."""
        info = client.json("GET", "tableinfo", params={"id": query.table, "format": "JSON", "lang": "da"})
        table = _Table(self.label, query.table, info)
        area_code, areas = self._areas(table, query)
        selected = dict(table.resolve_values(code, values) for code, values in query.variables.items())
        required = [
            v["id"]
            for key, v in table.variables.items()
            if v.get("elimination") is False
            and v is not table.time
            and key != _upper(area_code)
            and key not in {_upper(c) for c in selected}
        ]
        if required:
            raise SourceFormatChanged(
                self.label,
                f"table {query.table} needs values for {', '.join(required)} (they cannot be left out): add them "
                "to the mapping's variables",
            )
        month_of = {
            code: month
            for code in table.value_ids(table.time)
            if (month := period_month(code, self.mapping.quarter_month)) is not None and first <= month <= last
        }
        if not month_of or not areas:
            return {}, month_of
        body = {
            "table": query.table,
            "format": "CSV",
            "lang": "da",
            "valuePresentation": "Code",
            "variables": [
                {"code": area_code, "values": areas},
                {"code": str(table.time["id"]), "values": sorted(month_of)},
                *({"code": code, "values": values} for code, values in selected.items()),
            ],
        }
        response = client.request("POST", "data", json=body)
        sums = self._read_csv(query.table, response.text, area_code, str(table.time["id"]), selected, set(areas))
        return sums, month_of

    def _read_csv(
        self,
        table: str,
        text: str,
        area_code: str,
        time_code: str,
        selected: dict[str, list[str]],
        areas: set[str],
    ) -> dict[Key, Decimal | None]:
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";")
        header = [_upper(h) for h in next(reader, [])]
        expected = [_upper(area_code), _upper(time_code), *(_upper(c) for c in selected), VALUE_COLUMN]
        missing = [c for c in expected if c not in header]
        if missing:
            raise SourceFormatChanged(
                self.label,
                f"the data for {table} has the columns {';'.join(header) or '(none)'}; expected "
                f"{', '.join(missing)} too",
            )
        where = {c: header.index(c) for c in expected}
        wanted = {_upper(c): set(vs) for c, vs in selected.items()}
        sums: dict[Key, Decimal | None] = {}
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise SourceFormatChanged(
                    self.label, f"the data for {table}, line {number}: {len(cells)} cells, the header has {len(header)}"
                )
            area = cells[where[_upper(area_code)]].strip()
            if area not in areas:
                raise SourceFormatChanged(
                    self.label,
                    f"the data for {table}, line {number}: area {area!r} is not one of the codes asked for "
                    "(are values sent as texts instead of codes?)",
                )
            for code, values in wanted.items():
                if cells[where[code]].strip() not in values:
                    raise SourceFormatChanged(
                        self.label,
                        f"the data for {table}, line {number}: {code} {cells[where[code]]!r} was not asked for",
                    )
            raw = cells[where[VALUE_COLUMN]].strip()
            if raw == SUPPRESSED:
                value = None
            else:
                try:
                    value = parse_decimal(raw, decimal_comma=True)
                except ValueError:
                    raise SourceFormatChanged(
                        self.label, f"the data for {table}, line {number}: {VALUE_COLUMN} {raw!r} is not a number"
                    ) from None
            add_cells(sums, (area, cells[where[_upper(time_code)]].strip()), value)
        return sums
