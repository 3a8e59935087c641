"""Reading an organisation file: which table is which, and each row checked on its own.

The rules are in `org_import`'s docstring; problems name file, row, column and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from driftsblik.core.tabular import ImportRejected, Problem, Row, Table, identifier_problem, parse_date
from driftsblik.organisation.models import (
    ANALYST_GROUP,
    DIRECTORATE_GROUP,
    UnitKind,
    User,
)

UNIT_COLUMNS = ("unit_id", "parent_id", "name", "kind", "valid_from", "valid_to")
COMMITTEE_COLUMNS = ("committee", "committee_name", "task_area", "task_area_name", "units")
GROUP_COLUMNS = ("email", "group")
MEMBER_COLUMNS = ("committee", "member_email")
_REQUIRED = {"units": UNIT_COLUMNS, "committees": COMMITTEE_COLUMNS, "groups": GROUP_COLUMNS, "members": MEMBER_COLUMNS}
GROUPS = (DIRECTORATE_GROUP, ANALYST_GROUP)


@dataclass(frozen=True)
class SpanRow:
    """A valid row of the units table."""

    row: Row
    unit_id: str
    parent_id: str | None
    name: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    leader_email: str | None
    leader_name: str | None

    @property
    def span(self) -> tuple[Any, ...]:
        return (self.parent_id, self.name, self.kind, self.valid_from, self.valid_to)


@dataclass
class ImportPlan:
    """Everything the import will write, worked out before anything is written."""

    new_units: list[str] = field(default_factory=list)
    new_spans: list[SpanRow] = field(default_factory=list)
    close_spans: list[tuple[int, dt.date]] = field(default_factory=list)
    users: dict[str, str | None] = field(default_factory=dict)  # normalised e-mail -> name
    new_leaderships: list[tuple[str, str, dt.date, dt.date | None]] = field(default_factory=list)
    close_leaderships: list[tuple[int, dt.date]] = field(default_factory=list)
    committees: dict[str, str] = field(default_factory=dict)
    task_areas: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)
    memberships: list[tuple[str, str]] = field(default_factory=list)
    committee_members: dict[str, list[str]] = field(default_factory=dict)  # committee code -> e-mails


def _text(row: Row, column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    return text or None


def _unit_id(row: Row, column: str, problems: list[Problem], *, required: bool) -> tuple[bool, str | None]:
    value = _text(row, column)
    if value is None:
        if required:
            problems.append(row.problem(column, "missing value: every row needs a unit id"))
        return not required, None
    reason = identifier_problem(value)
    if reason is not None:
        problems.append(row.problem(column, reason))
        return False, None
    return True, value


def _email(row: Row, column: str, problems: list[Problem]) -> tuple[bool, str | None]:
    value = _text(row, column)
    if value is None:
        return True, None
    try:
        validate_email(value)
    except ValidationError:
        problems.append(row.problem(column, f"{value!r} is not an e-mail address"))
        return False, None
    if len(value) > 150:
        problems.append(row.problem(column, f"{value!r} is longer than 150 characters"))
        return False, None
    return True, User.objects.normalize_email(value)


def classify_tables(tables: dict[str, Table], problems: list[Problem]) -> dict[str, Table]:
    """The units, committees and groups tables of the file, recognised by their headers."""
    found: dict[str, Table] = {}
    for key, table in tables.items():
        columns = set(table.columns)
        if "unit_id" in columns:
            what = "units"
        elif "member_email" in columns:
            what = "members"
        elif columns & {"committee", "task_area"}:
            what = "committees"
        elif "group" in columns:
            what = "groups"
        elif key in _REQUIRED:
            what = key
        else:
            problems.append(
                Problem(
                    table.name,
                    1,
                    None,
                    "cannot tell what this table holds: expected the columns "
                    f"{', '.join(UNIT_COLUMNS)}, leader_email, leader_name (units), or "
                    f"{', '.join(COMMITTEE_COLUMNS)} (committees), or {', '.join(GROUP_COLUMNS)} (groups), or "
                    f"{', '.join(MEMBER_COLUMNS)} (committee members)",
                )
            )
            continue
        if what in found:
            problems.append(Problem(table.name, 1, None, f"a second {what} table; {found[what].name} is the first"))
            continue
        try:
            table.require_columns(_REQUIRED[what])
        except ImportRejected as exc:
            problems.extend(exc.problems)
            continue
        found[what] = table
    return found


def _duplicates(table: Table, problems: list[Problem]) -> set[int]:
    """Row numbers that repeat an earlier row exactly (reported, then left out)."""
    seen: dict[tuple[Any, ...], int] = {}
    repeated: set[int] = set()
    for row in table.rows:
        key = tuple(_text(row, c) for c in table.columns)
        if key in seen:
            problems.append(row.problem(None, f"duplicate of row {seen[key]}"))
            repeated.add(row.number)
        else:
            seen[key] = row.number
    return repeated


def parse_units(table: Table, problems: list[Problem]) -> tuple[list[SpanRow], set[str], set[str]]:
    """Valid rows, every unit id named in the file, and the units with a broken row."""
    repeated = _duplicates(table, problems)
    spans: list[SpanRow] = []
    listed: set[str] = set()
    broken: set[str] = set()
    kinds = set(UnitKind.values)
    for row in table.rows:
        if row.number in repeated:
            continue
        before = len(problems)
        ok_id, unit_id = _unit_id(row, "unit_id", problems, required=True)
        ok_parent, parent_id = _unit_id(row, "parent_id", problems, required=False)
        name = _text(row, "name")
        if name is None:
            problems.append(row.problem("name", "missing value: every unit needs a name"))
        elif len(name) > 200:
            problems.append(row.problem("name", "longer than 200 characters"))
        kind = (_text(row, "kind") or "").lower()
        if not kind:
            problems.append(row.problem("kind", f"missing value: one of {', '.join(UnitKind.values)}"))
        elif kind not in kinds:
            problems.append(row.problem("kind", f"unknown kind {kind!r}: one of {', '.join(UnitKind.values)}"))
        valid_from = valid_to = None
        if row.get("valid_from") is None:
            problems.append(row.problem("valid_from", "missing value: the first day of the span"))
        else:
            try:
                valid_from = parse_date(row.get("valid_from"))
            except ValueError as exc:
                problems.append(row.problem("valid_from", str(exc)))
        if row.get("valid_to") is not None:
            try:
                valid_to = parse_date(row.get("valid_to"))
            except ValueError as exc:
                problems.append(row.problem("valid_to", str(exc)))
        if valid_from and valid_to and valid_to < valid_from:
            problems.append(row.problem("valid_to", f"{valid_to} is before valid_from {valid_from}"))
        ok_email, email = _email(row, "leader_email", problems) if "leader_email" in table.columns else (True, None)
        leader_name = _text(row, "leader_name") if "leader_name" in table.columns else None
        if leader_name and not email and ok_email:
            problems.append(row.problem("leader_email", "missing value: leader_name is given without leader_email"))
        if unit_id:
            listed.add(unit_id)
        if len(problems) > before or not (ok_id and ok_parent):
            if unit_id:
                broken.add(unit_id)
            continue
        assert unit_id and name and valid_from  # noqa: S101 - guaranteed by the checks above
        spans.append(SpanRow(row, unit_id, parent_id, name, kind, valid_from, valid_to, email, leader_name))
    return spans, listed, broken


def plan_committees(table: Table, known: set[str], plan: ImportPlan, problems: list[Problem]) -> None:
    repeated = _duplicates(table, problems)
    committee_rows: dict[str, Row] = {}
    area_rows: dict[str, Row] = {}
    for row in table.rows:
        if row.number in repeated:
            continue
        before = len(problems)
        code, name = _text(row, "committee"), _text(row, "committee_name")
        area, area_name = _text(row, "task_area"), _text(row, "task_area_name")
        for column, value in (("committee", code), ("committee_name", name)):
            if value is None:
                problems.append(row.problem(column, "missing value"))
        if name and len(name) > 200:
            problems.append(row.problem("committee_name", "longer than 200 characters"))
        for column, value in (("committee", code), ("task_area", area)):
            reason = identifier_problem(value, limit=32) if value else None
            if reason is not None:
                problems.append(row.problem(column, reason))
        if area and not area_name:
            problems.append(row.problem("task_area_name", f"missing value: task area {area} needs a name"))
        if area_name and not area:
            problems.append(row.problem("task_area", "missing value: task_area_name is given without task_area"))
        if area_name and len(area_name) > 200:
            problems.append(row.problem("task_area_name", "longer than 200 characters"))
        units = [u.strip() for u in (_text(row, "units") or "").split("|") if u.strip()]
        for unit in units:
            if unit not in known:
                problems.append(row.problem("units", f"unknown unit {unit!r}: not in the file nor in the database"))
        if len(set(units)) != len(units):
            problems.append(row.problem("units", "a unit is named twice"))
        if len(problems) > before:
            continue
        assert code and name  # noqa: S101 - checked above
        if code in plan.committees and plan.committees[code] != name:
            problems.append(
                row.problem(
                    "committee_name",
                    f"committee {code} is named {plan.committees[code]!r} on row {committee_rows[code].number}",
                )
            )
            continue
        plan.committees[code] = name
        committee_rows.setdefault(code, row)
        if area:
            assert area_name  # noqa: S101 - checked above
            if area in plan.task_areas:
                problems.append(
                    row.problem("task_area", f"task area {area} is already on row {area_rows[area].number}")
                )
                continue
            plan.task_areas[area] = (area_name, code, units)
            area_rows[area] = row


def plan_groups(table: Table, plan: ImportPlan, problems: list[Problem]) -> None:
    repeated = _duplicates(table, problems)
    for row in table.rows:
        if row.number in repeated:
            continue
        ok, email = _email(row, "email", problems)
        if ok and email is None:
            problems.append(row.problem("email", "missing value"))
        group = (_text(row, "group") or "").lower()
        if group not in GROUPS:
            problems.append(row.problem("group", f"unknown group {group!r}: one of {', '.join(GROUPS)}"))
            continue
        if email:
            name = _text(row, "name") if "name" in table.columns else None
            if email not in plan.users or (name and not plan.users[email]):
                plan.users[email] = name
            plan.memberships.append((email, group))


def plan_members(table: Table, committees: set[str], plan: ImportPlan, problems: list[Problem]) -> None:
    """The committee members table: `committee, member_email` (and optionally `member_name`); each
    committee it names gets exactly the members it lists. `committees`: the codes stored or in the file."""
    repeated = _duplicates(table, problems)
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        if row.number in repeated:
            continue
        code = _text(row, "committee")
        ok, email = _email(row, "member_email", problems)
        if code is None:
            problems.append(row.problem("committee", "missing value"))
        elif code not in committees:
            reason = f"unknown committee {code!r}: not in the file nor in the database"
            problems.append(row.problem("committee", reason))
        if ok and email is None:
            problems.append(row.problem("member_email", "missing value"))
        if code is None or code not in committees or email is None:
            continue
        key = (code, email.lower())
        if key in seen:
            problems.append(row.problem("member_email", f"{email} is already a member of {code} on row {seen[key]}"))
            continue
        seen[key] = row.number
        name = _text(row, "member_name") if "member_name" in table.columns else None
        if email not in plan.users or (name and not plan.users[email]):
            plan.users[email] = name
        plan.committee_members.setdefault(code, []).append(email)
