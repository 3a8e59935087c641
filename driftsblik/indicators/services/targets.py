"""Targets per indicator, unit and budget year from a file (`driftsblik targets import FILE`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from driftsblik.core.tabular import ImportRejected, Problem, stream_table
from driftsblik.indicators.models import Indicator, Measure, Target
from driftsblik.indicators.services.common import CellKeys, ImportSummary, cell_text, parse_amount, parse_year
from driftsblik.organisation.models import Unit

COLUMNS = ("indicator", "unit_id", "year", "target")


BATCH = 5000


class _TargetChecker:
    """The rules of one target row; problems are kept with file, row and column."""

    def __init__(self, file: str, decimal_comma: bool) -> None:
        self.file = file
        self.decimal_comma = decimal_comma
        self.measures = dict(Indicator.objects.values_list("code", "measure"))
        self.units = set(Unit.objects.values_list("id", flat=True))
        self.problems: list[Problem] = []

    def check(self, number: int, values: dict[str, Any]) -> tuple[str, str, int, Decimal] | None:
        """(indicator, unit, year, target) of a row, or None after recording every problem of the row."""
        before = len(self.problems)

        def problem(column: str, reason: str) -> None:
            self.problems.append(Problem(self.file, number, column, reason))

        code, unit_id = cell_text(values.get("indicator")), cell_text(values.get("unit_id"))
        if code is None:
            problem("indicator", "indicator is missing")
        elif code not in self.measures:
            problem("indicator", f"unknown indicator {code!r}")
        if unit_id is None:
            problem("unit_id", "unit_id is missing")
        elif unit_id not in self.units:
            problem("unit_id", f"unknown unit {unit_id!r}")
        year = value = None
        try:
            raw_year = _present(values.get("year"))
            if raw_year is None:
                raise ValueError("year is missing")
            year = parse_year(raw_year)
        except ValueError as exc:
            problem("year", str(exc))
        try:
            raw_value = _present(values.get("target"))
            if raw_value is None:
                raise ValueError("target is missing")
            value = parse_amount(raw_value, decimal_comma=self.decimal_comma)
        except ValueError as exc:
            problem("target", str(exc))
        if value is not None:
            if value < 0:
                problem("target", f"{value} is negative; a target is a level >= 0")
            elif self.measures.get(code or "") == Measure.SHARE and value > 100:
                problem("target", f"{value} is outside 0..100 for a share in percent")
        if len(self.problems) > before:
            return None
        assert code is not None and unit_id is not None and year is not None and value is not None
        return code, unit_id, year, value


def _present(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _duplicate_target(code: str, unit_id: str, year: int, first: int) -> str:
    return f"duplicate target for {code}, {unit_id}, {year} (first at row {first})"


@transaction.atomic
def targets_import(*, path: str | Path) -> ImportSummary:
    """Set targets from a CSV or Excel file (indicator, unit_id, year, target); all or nothing.

    A target is in the indicator's value units: a share in percent (0..100), a rate per 1,000, a
    count (for flows the year's total). Re-importing replaces the value; targets not in the file
    are left alone; the same file twice changes nothing. Read, checked and written as a stream
    (batches of BATCH rows): every problem is reported, sorted by row, and the transaction drops
    what was written when there is any.
    """
    table = stream_table(path)
    table.require_columns(COLUMNS)
    checker = _TargetChecker(table.name, table.decimal_comma)
    keys = CellKeys()
    summary = ImportSummary(table.name)
    batch: list[tuple[str, str, int, Decimal]] = []
    for number, values in table.rows:
        checked = checker.check(number, values)
        if checked is None:
            continue
        keys.add(checked[0], checked[1], checked[2], number)
        if not checker.problems:
            batch.append(checked)
        if len(batch) >= BATCH:
            _store(batch, summary)
            batch = []
    problems = checker.problems + keys.problems(table.name, _duplicate_target)
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.row or 0))
    _store(batch, summary)
    summary.rows = len(keys)
    return summary


def _store(batch: list[tuple[str, str, int, Decimal]], summary: ImportSummary) -> None:
    """Create the batch's new targets and change the changed ones (a target given twice counts once)."""
    wanted = {(code, unit, year): value for code, unit, year, value in reversed(batch)}
    existing = {
        (t.indicator_id, t.unit_id, t.year): t
        for t in Target.objects.filter(
            indicator_id__in={k[0] for k in wanted},
            year__in={k[2] for k in wanted},
            unit_id__in={k[1] for k in wanted},
        )
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
    summary.created += len(to_create)
    summary.updated += len(to_update)
