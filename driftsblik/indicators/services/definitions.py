"""Indicator definitions from a file (`driftsblik indicators define FILE`), so a municipality can version them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from driftsblik.core.tabular import ImportRejected, Problem, identifier_problem, read_table, read_yaml
from driftsblik.indicators.models import Direction, Indicator, Kind, Measure, Observation, Temporal
from driftsblik.indicators.services.common import ImportSummary, parse_bool
from driftsblik.organisation.models import TaskArea

ENUMS: dict[str, type[models.TextChoices]] = {
    "kind": Kind,
    "measure": Measure,
    "temporal": Temporal,
    "direction": Direction,
}
REQUIRED = ("code", "name", "kind", "measure", "temporal", "direction")
TEXT_FIELDS = {"name": 200, "description": None, "unit_label": 60, "source": 200, "owner": 200}
KNOWN = {*REQUIRED, *TEXT_FIELDS, "tolerance_pct", "task_area", "person_based", "key", "sort_order"}
DEFAULTS: dict[str, Any] = {
    "description": "",
    "unit_label": "",
    "source": "",
    "owner": "",
    "tolerance_pct": Decimal("5.00"),
    "person_based": False,
    "key": False,
    "sort_order": 0,
    "task_area_id": None,
}
# Changing these would change the meaning of figures already stored.
MEANING_FIELDS = ("measure", "temporal")


@dataclass
class _Entry:
    """One definition in the file: its values, and how to name its place in a problem."""

    number: int
    values: dict[str, Any]
    problem: Callable[[str | None, str], Problem]


def _entries_from_yaml(path: Path) -> list[_Entry]:
    data = read_yaml(path)
    if isinstance(data, dict) and "indicators" in data:
        data = data["indicators"]
    if not isinstance(data, list):
        raise ImportRejected(
            [Problem(path.name, None, None, "expected a list of indicators (or a mapping with the key 'indicators')")]
        )
    entries = []
    for number, item in enumerate(data, start=1):

        def problem(column: str | None, reason: str, number: int = number) -> Problem:
            return Problem(path.name, number, column, f"indicator #{number}: {reason}")

        if not isinstance(item, dict):
            raise ImportRejected([problem(None, "expected a mapping of field: value")])
        values = {str(k).strip().lower(): v for k, v in item.items()}
        values = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}
        entries.append(_Entry(number, values, problem))
    return entries


def _entries_from_table(path: Path) -> list[_Entry]:
    table = read_table(path)
    table.require_columns(["code", "name"])
    unknown = [c for c in table.columns if c and c not in KNOWN]
    if unknown:
        known = ", ".join(sorted(KNOWN))
        raise ImportRejected([Problem(table.name, 1, c, f"unknown column {c!r}; known: {known}") for c in unknown])
    return [_Entry(row.number, {c: row.get(c) for c in table.columns if c}, row.problem) for row in table.rows]


def _clean(entry: _Entry, task_areas: dict[str, int], problems: list[Problem]) -> dict[str, Any] | None:
    """The model fields of one definition, or None after adding its problems."""
    values, found = entry.values, []
    fields: dict[str, Any] = {}
    for column in sorted(set(values) - KNOWN):
        found.append(entry.problem(column, f"unknown field {column!r}; known: {', '.join(sorted(KNOWN))}"))
    for column in REQUIRED:
        if values.get(column) in (None, ""):
            found.append(entry.problem(column, f"{column} is missing"))
    for column, enum in ENUMS.items():
        value = values.get(column)
        if value in (None, ""):
            continue
        if str(value).strip().lower() not in enum.values:
            found.append(entry.problem(column, f"{value!r} is not one of {', '.join(enum.values)}"))
        else:
            fields[column] = str(value).strip().lower()
    for column, length in TEXT_FIELDS.items():
        value = values.get(column)
        text = "" if value is None else str(value).strip()
        if length is not None and len(text) > length:
            found.append(entry.problem(column, f"longer than {length} characters"))
        fields[column] = text
    code = values.get("code")
    fields["code"] = "" if code is None else str(code).strip()
    reason = identifier_problem(fields["code"]) if fields["code"] else None
    if reason is not None:
        found.append(entry.problem("code", reason))
    if values.get("tolerance_pct") not in (None, ""):
        try:
            tolerance = Decimal(str(values["tolerance_pct"]).replace(",", ".")).quantize(Decimal("0.01"))
            if not tolerance.is_finite() or not 0 <= tolerance < 10000:
                raise ValueError
            fields["tolerance_pct"] = tolerance
        except (ValueError, ArithmeticError):
            found.append(entry.problem("tolerance_pct", f"{values['tolerance_pct']!r} is not a percentage >= 0"))
    for column in ("person_based", "key"):
        if values.get(column) is not None:
            try:
                fields[column] = parse_bool(values[column])
            except ValueError as exc:
                found.append(entry.problem(column, str(exc)))
    if values.get("sort_order") not in (None, ""):
        raw = values["sort_order"]
        try:
            number = int(float(raw)) if isinstance(raw, float) and float(raw).is_integer() else int(str(raw))
            if number < 0:
                raise ValueError
            fields["sort_order"] = number
        except ValueError:
            found.append(entry.problem("sort_order", f"{raw!r} is not a whole number >= 0"))
    area = values.get("task_area")
    if area not in (None, ""):
        if str(area).strip() not in task_areas:
            found.append(entry.problem("task_area", f"no task area with code {area!r}"))
        else:
            fields["task_area_id"] = task_areas[str(area).strip()]
    problems.extend(found)
    return None if found else {**DEFAULTS, **fields}


@transaction.atomic
def indicators_define(*, path: str | Path) -> ImportSummary:
    """Create or update indicator definitions from a YAML or CSV file; all or nothing.

    A definition absent from the file is left alone; a definition in it is set to exactly what the
    file says (empty optional fields take their defaults), so the same file twice changes nothing.
    Changing the measure or the flow/stock nature of an indicator with stored observations is
    refused: it would change what the stored figures mean.
    """
    path = Path(path)
    if not path.exists():
        raise ImportRejected([Problem(path.name, None, None, f"no such file: {path}")])
    is_yaml = path.suffix.lower() in {".yaml", ".yml"}
    entries = _entries_from_yaml(path) if is_yaml else _entries_from_table(path)
    task_areas = dict(TaskArea.objects.values_list("code", "id"))
    problems: list[Problem] = []
    cleaned: list[tuple[_Entry, dict[str, Any]]] = []
    first_seen: dict[str, int] = {}
    for entry in entries:
        fields = _clean(entry, task_areas, problems)
        code = str(entry.values.get("code") or "").strip()
        if code:
            if code in first_seen:
                problems.append(entry.problem("code", f"duplicate code {code!r} (first at row {first_seen[code]})"))
                continue
            first_seen[code] = entry.number
        if fields is not None:
            cleaned.append((entry, fields))
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[f["code"] for _, f in cleaned])}
    observed = set(
        Observation.objects.filter(indicator_id__in=list(existing)).values_list("indicator_id", flat=True).distinct()
    )
    for entry, fields in cleaned:
        current = existing.get(fields["code"])
        if current is None or current.code not in observed:
            continue
        for column in MEANING_FIELDS:
            if getattr(current, column) != fields[column]:
                problems.append(
                    entry.problem(
                        column,
                        (
                            f"{fields['code']} has stored observations as {column} {getattr(current, column)!r}; "
                            f"changing it to {fields[column]!r} would change what they mean. "
                            "Define a new indicator code instead."
                        ),
                    )
                )
    if problems:
        raise ImportRejected(problems)
    summary = ImportSummary(path.name, rows=len(entries))
    for _, fields in cleaned:
        current = existing.get(fields["code"])
        if current is None:
            Indicator.objects.create(**fields)
            summary.created += 1
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.save()
            summary.updated += 1
        else:
            summary.unchanged += 1
    return summary
