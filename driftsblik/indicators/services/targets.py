"""Targets per indicator, unit and budget year from a file (`driftsblik targets import FILE`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.db import transaction

from driftsblik.core.tabular import ImportRejected, Problem, read_table
from driftsblik.indicators.models import Indicator, Measure, Target
from driftsblik.indicators.services.common import ImportSummary, cell_text, parse_amount, parse_year
from driftsblik.organisation.models import Unit

COLUMNS = ("indicator", "unit_id", "year", "target")


@transaction.atomic
def targets_import(*, path: str | Path) -> ImportSummary:
    """Set targets from a CSV or Excel file (indicator, unit_id, year, target); all or nothing.

    A target is in the indicator's value units: a share in percent (0..100), a rate per 1,000, a
    count (for flows the year's total). Re-importing replaces the value; targets not in the file
    are left alone; the same file twice changes nothing.
    """
    table = read_table(path)
    table.require_columns(COLUMNS)
    measures = dict(Indicator.objects.values_list("code", "measure"))
    units = set(Unit.objects.values_list("id", flat=True))
    problems: list[Problem] = []
    wanted: dict[tuple[str, str, int], Decimal] = {}
    first_row: dict[tuple[str, str, int], int] = {}
    for row in table.rows:
        found: list[Problem] = []
        code, unit_id = cell_text(row.get("indicator")), cell_text(row.get("unit_id"))
        if code is None:
            found.append(row.problem("indicator", "indicator is missing"))
        elif code not in measures:
            found.append(row.problem("indicator", f"unknown indicator {code!r}"))
        if unit_id is None:
            found.append(row.problem("unit_id", "unit_id is missing"))
        elif unit_id not in units:
            found.append(row.problem("unit_id", f"unknown unit {unit_id!r}"))
        year = value = None
        try:
            raw_year = row.get("year")
            if raw_year is None:
                raise ValueError("year is missing")
            year = parse_year(raw_year)
        except ValueError as exc:
            found.append(row.problem("year", str(exc)))
        try:
            raw_value = row.get("target")
            if raw_value is None:
                raise ValueError("target is missing")
            value = parse_amount(raw_value, decimal_comma=table.decimal_comma)
        except ValueError as exc:
            found.append(row.problem("target", str(exc)))
        if value is not None:
            if value < 0:
                found.append(row.problem("target", f"{value} is negative; a target is a level >= 0"))
            elif measures.get(code or "") == Measure.SHARE and value > 100:
                found.append(row.problem("target", f"{value} is outside 0..100 for a share in percent"))
        if found:
            problems.extend(found)
            continue
        assert code is not None and unit_id is not None and year is not None and value is not None
        key = (code, unit_id, year)
        if key in first_row:
            problems.append(
                row.problem(None, (f"duplicate target for {code}, {unit_id}, {year} (first at row {first_row[key]})"))
            )
            continue
        first_row[key] = row.number
        wanted[key] = value
    if problems:
        raise ImportRejected(problems)
    summary = ImportSummary(table.name, rows=len(table.rows))
    existing = {
        (t.indicator_id, t.unit_id, t.year): t
        for t in Target.objects.filter(indicator_id__in={k[0] for k in wanted}, year__in={k[2] for k in wanted})
    }
    to_create, to_update = [], []
    for key, value in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(Target(indicator_id=key[0], unit_id=key[1], year=key[2], value=value))
        elif current.value != value:
            current.value = value
            to_update.append(current)
        else:
            summary.unchanged += 1
    Target.objects.bulk_create(to_create, batch_size=1000)
    Target.objects.bulk_update(to_update, ["value"], batch_size=1000)
    summary.created, summary.updated = len(to_create), len(to_update)
    return summary
