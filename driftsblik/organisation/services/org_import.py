"""`driftsblik org import FILE`: units and their history, leaders, committees, task areas, groups.

The file
--------
A CSV file or an .xlsx workbook. Every table (the CSV file, or each sheet) is recognised by its
header, so sheet names are free; the names `units`, `committees` and `groups` are used to
report missing columns when a sheet's header is not recognised:

- units (the contract in DESIGN.md): `unit_id, parent_id, name, kind, valid_from, valid_to,
  leader_email, leader_name`; one row per unit and validity span (valid_to inclusive, empty =
  open; parent_id empty = the root). The leader columns may be left out or empty.
- committees: `committee, committee_name, task_area, task_area_name, units`; one row per task
  area (a committee without task areas: one row with task_area empty). `units` holds unit ids
  separated by `|` and may be empty.
- groups: `email, group` (and optionally `name`): puts a person in the `directorate` or the
  `analysts` group, creating the user if needed.
A CSV file holds one of the three; a workbook may hold all three, one per sheet.

The rules
---------
Validated and atomic: every problem in the file is collected (file, row, column, reason) and the
import is refused as a whole with `ImportRejected`; nothing is stored unless nothing is wrong.

Idempotent: importing the same file again finds every span, leadership, committee, task area and
group membership already stored and changes nothing.

History (the merge rule). A file holds the full history of each unit it lists; units it does not
list are left as they are. For a unit the file lists, its spans in the file (by valid_from) are
compared one by one with its stored spans (by valid_from):
- spans equal in parent, name, kind, valid_from and valid_to are left untouched;
- the first span that differs may only be the stored *last, open* span, closed by the file at a
  date (same parent, name, kind and start): its valid_to is set. This is how a move or a rename
  is recorded: close the old span, add the new one;
- spans in the file beyond the stored ones are added as new spans;
- anything else would rewrite stored history (a changed start, parent, name or kind of a stored
  span, a changed end of a closed span, re-opening a closed span, a stored span left out of the
  file) and is refused with a problem naming the row and the stored span.
Leaders follow their row: the row's leader leads the unit over the row's span (a Leadership
from valid_from to valid_to). A stored leadership of the same person, unit and start is left if
its end is the same, closed if it is open and the row closes it, and refused otherwise.
Leaderships not in the file are never removed (the file adds history, it does not erase it).
A leader missing as a user is created (e-mail as login and username, the leader_name as name,
no usable password: they log in through the municipality's single sign-on or get a password
from an administrator); an existing user keeps their name unless it is empty.
Committees and task areas are not historical: they are created, renamed or moved to another
committee as the file says, and a task area's units become exactly those in the file.
Group memberships are only ever added.

The tree the file leaves behind (the stored spans of the other units plus the file's) must hold
on every day: every parent is a known unit valid over the whole of its child's span, no unit is
its own ancestor, and one root at most. Problems the file cannot have caused (between units it
does not list) are not reported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from driftsblik.core.tabular import ImportRejected, Problem, Row, Table, parse_date, read_tables
from driftsblik.organisation.models import (
    ANALYST_GROUP,
    DIRECTORATE_GROUP,
    Committee,
    Leadership,
    TaskArea,
    Unit,
    UnitKind,
    UnitSpan,
    User,
)

UNIT_COLUMNS = ("unit_id", "parent_id", "name", "kind", "valid_from", "valid_to")
COMMITTEE_COLUMNS = ("committee", "committee_name", "task_area", "task_area_name", "units")
GROUP_COLUMNS = ("email", "group")
_REQUIRED = {"units": UNIT_COLUMNS, "committees": COMMITTEE_COLUMNS, "groups": GROUP_COLUMNS}
GROUPS = (DIRECTORATE_GROUP, ANALYST_GROUP)
_FORBIDDEN_IN_ID = set("/?#%\\") | {" ", "\t", "\n"}
_OPEN = dt.date.max.toordinal()


@dataclass
class OrgImportSummary:
    """What an organisation import found in the file and what it changed."""

    file: str
    units: int = 0
    units_created: int = 0
    spans_added: int = 0
    spans_closed: int = 0
    leaders: int = 0
    users_created: int = 0
    leaderships_added: int = 0
    leaderships_closed: int = 0
    committees: int = 0
    task_areas: int = 0
    committees_changed: int = 0
    task_areas_changed: int = 0
    group_memberships_added: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.units_created,
                self.spans_added,
                self.spans_closed,
                self.users_created,
                self.leaderships_added,
                self.leaderships_closed,
                self.committees_changed,
                self.task_areas_changed,
                self.group_memberships_added,
            )
        )

    def lines(self) -> list[str]:
        return [
            f"{self.file}:",
            f"  units: {self.units} in the file, {self.units_created} new",
            f"  spans: {self.spans_added} added, {self.spans_closed} closed",
            f"  leaders: {self.leaders} in the file, {self.users_created} new users, "
            f"{self.leaderships_added} leaderships added, {self.leaderships_closed} closed",
            f"  committees: {self.committees} in the file, {self.committees_changed} created or changed",
            f"  task areas: {self.task_areas} in the file, {self.task_areas_changed} created or changed",
            f"  group memberships added: {self.group_memberships_added}",
            "  nothing changed" if not self.changed else "",
        ]


@dataclass(frozen=True)
class _SpanRow:
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


@dataclass(frozen=True)
class _Span:
    """A span of the tree the import would leave behind: from the file (with its row) or stored."""

    unit_id: str
    parent_id: str | None
    start: int
    end: int  # ordinal, inclusive; _OPEN when open
    row: Row | None

    def covers(self, day: int) -> bool:
        return self.start <= day <= self.end


@dataclass
class _Plan:
    """Everything the import will write, worked out before anything is written."""

    new_units: list[str] = field(default_factory=list)
    new_spans: list[_SpanRow] = field(default_factory=list)
    close_spans: list[tuple[int, dt.date]] = field(default_factory=list)
    users: dict[str, str | None] = field(default_factory=dict)  # normalised e-mail -> name
    new_leaderships: list[tuple[str, str, dt.date, dt.date | None]] = field(default_factory=list)
    close_leaderships: list[tuple[int, dt.date]] = field(default_factory=list)
    committees: dict[str, str] = field(default_factory=dict)
    task_areas: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)
    memberships: list[tuple[str, str]] = field(default_factory=list)


def _day(ordinal: int) -> str:
    return "open" if ordinal >= _OPEN else dt.date.fromordinal(ordinal).isoformat()


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
    if len(value) > 64:
        problems.append(row.problem(column, f"{value!r} is longer than 64 characters"))
        return False, None
    if _FORBIDDEN_IN_ID & set(value):
        problems.append(row.problem(column, f"{value!r}: a unit id has no spaces, '/', '?', '#', '%' or '\\'"))
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


def _classify(tables: dict[str, Table], problems: list[Problem]) -> dict[str, Table]:
    """The units, committees and groups tables of the file, recognised by their headers."""
    found: dict[str, Table] = {}
    for key, table in tables.items():
        columns = set(table.columns)
        if "unit_id" in columns:
            what = "units"
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
                    f"{', '.join(COMMITTEE_COLUMNS)} (committees), or {', '.join(GROUP_COLUMNS)} (groups)",
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


def _parse_units(table: Table, problems: list[Problem]) -> tuple[list[_SpanRow], set[str], set[str]]:
    """Valid rows, every unit id named in the file, and the units with a broken row."""
    repeated = _duplicates(table, problems)
    spans: list[_SpanRow] = []
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
        spans.append(_SpanRow(row, unit_id, parent_id, name, kind, valid_from, valid_to, email, leader_name))
    return spans, listed, broken


def _overlaps(by_unit: dict[str, list[_SpanRow]], broken: set[str], problems: list[Problem]) -> None:
    for unit_id, rows in by_unit.items():
        for earlier, later in zip(rows, rows[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                end = earlier.valid_to.isoformat() if earlier.valid_to else "open"
                problems.append(
                    later.row.problem(
                        "valid_from",
                        f"span of {unit_id} from {later.valid_from} overlaps row {earlier.row.number} "
                        f"({earlier.valid_from} to {end}); one unit's spans never overlap",
                    )
                )
                broken.add(unit_id)


def _merge_spans(
    by_unit: dict[str, list[_SpanRow]],
    stored: dict[str, list[UnitSpan]],
    broken: set[str],
    plan: _Plan,
    problems: list[Problem],
) -> None:
    """The merge rule of the module docstring, per unit."""
    for unit_id, rows in by_unit.items():
        if unit_id in broken:
            continue
        old = stored.get(unit_id, [])
        if not old:
            plan.new_units.append(unit_id)
        for k in range(max(len(rows), len(old))):
            new = rows[k] if k < len(rows) else None
            have = old[k] if k < len(old) else None
            if have is None:
                assert new is not None  # noqa: S101 - one of the two exists
                plan.new_spans.append(new)
                continue
            have_key = (have.parent_id, have.name, have.kind, have.valid_from, have.valid_to)
            stored_text = (
                f"the stored span of {unit_id} from {have.valid_from} to {have.valid_to or 'open'} "
                f"(parent {have.parent_id or 'none'}, name {have.name!r}, kind {have.kind})"
            )
            if new is None:
                problems.append(
                    rows[0].row.problem(
                        "valid_from",
                        f"{stored_text} is not in the file: a file holds the full history of the units it "
                        "lists, and stored history is never removed",
                    )
                )
                continue
            if new.span == have_key:
                continue
            closes = (
                k == len(old) - 1
                and have.valid_to is None
                and new.valid_to is not None
                and new.span[:4] == have_key[:4]
            )
            if closes:
                plan.close_spans.append((have.pk, new.valid_to))
                continue
            if new.valid_from != have.valid_from:
                column = "valid_from"
            elif new.parent_id != have.parent_id:
                column = "parent_id"
            elif new.name != have.name:
                column = "name"
            else:
                column = "kind" if new.kind != have.kind else "valid_to"
            problems.append(
                new.row.problem(
                    column,
                    f"would rewrite {stored_text}; stored history is never changed: to record a change, "
                    "close the open span and add a new one after it",
                )
            )


def _final_spans(
    by_unit: dict[str, list[_SpanRow]],
    stored: dict[str, list[UnitSpan]],
    broken: set[str],
) -> dict[str, list[_Span]]:
    """The spans of every unit after the import (units with broken rows left out)."""
    final: dict[str, list[_Span]] = {}
    for unit_id, spans in stored.items():
        if unit_id not in by_unit and unit_id not in broken:
            final[unit_id] = [
                _Span(
                    unit_id,
                    s.parent_id,
                    s.valid_from.toordinal(),
                    s.valid_to.toordinal() if s.valid_to else _OPEN,
                    None,
                )
                for s in spans
            ]
    for unit_id, rows in by_unit.items():
        if unit_id not in broken:
            final[unit_id] = [
                _Span(
                    unit_id,
                    r.parent_id,
                    r.valid_from.toordinal(),
                    r.valid_to.toordinal() if r.valid_to else _OPEN,
                    r.row,
                )
                for r in rows
            ]
    return final


def _check_parents(
    final: dict[str, list[_Span]],
    listed: set[str],
    broken: set[str],
    known: set[str],
    file_name: str,
    problems: list[Problem],
) -> None:
    """Every parent is a known unit, valid over the whole of its child's span."""
    for unit_id, spans in final.items():
        for span in spans:
            parent = span.parent_id
            if parent is None or parent in broken or parent == unit_id:
                continue
            if unit_id not in listed and parent not in listed:
                continue
            if parent not in known:
                assert span.row is not None  # noqa: S101 - stored parents exist (foreign key)
                problems.append(
                    span.row.problem("parent_id", f"unknown parent {parent!r}: not in the file nor in the database")
                )
                continue
            cursor = span.start
            for p in sorted(final.get(parent, []), key=lambda s: s.start):
                if p.start > cursor:
                    break
                if p.end >= cursor:
                    cursor = p.end + 1
                if cursor > span.end:
                    break
            if cursor <= span.end:
                reason = (
                    f"parent {parent} is not valid on {_day(cursor)}, inside the span of {unit_id} "
                    f"({_day(span.start)} to {_day(span.end)}): a parent must be valid over its "
                    "child's whole span"
                )
                if span.row is not None:
                    problems.append(span.row.problem("parent_id", reason))
                else:
                    problems.append(Problem(file_name, None, "valid_to", f"stored unit {unit_id}: {reason}"))


def _check_tree(final: dict[str, list[_Span]], listed: set[str], problems: list[Problem]) -> None:
    """No cycle and one root at most, on every day the tree changes."""
    days = sorted(
        {s.start for spans in final.values() for s in spans}
        | {s.end + 1 for spans in final.values() for s in spans if s.end < _OPEN}
    )
    reported_cycles: set[frozenset[str]] = set()
    reported_roots: set[frozenset[str]] = set()
    for day in days:
        active: dict[str, _Span] = {}
        for unit_id, spans in final.items():
            for s in spans:
                if s.covers(day):
                    active[unit_id] = s
                    break
        roots = frozenset(u for u, s in active.items() if s.parent_id is None)
        if len(roots) > 1 and roots & listed and roots not in reported_roots:
            reported_roots.add(roots)
            row = next(active[u].row for u in sorted(roots) if active[u].row is not None)
            problems.append(
                row.problem(
                    "parent_id",
                    f"{len(roots)} roots valid on {_day(day)}: {', '.join(sorted(roots))}; "
                    "the tree has one root (the only unit without parent_id)",
                )
            )
        for start in active:
            path: list[str] = []
            current: str | None = start
            while current is not None and current in active and current not in path:
                path.append(current)
                current = active[current].parent_id
            if current is None or current not in path:
                continue
            cycle = frozenset(path[path.index(current) :])
            if cycle in reported_cycles or not cycle & listed:
                continue
            reported_cycles.add(cycle)
            first = min(u for u in cycle if active[u].row is not None)
            row = active[first].row
            assert row is not None  # noqa: S101 - chosen among rows of the file
            members = path[path.index(current) :]
            members = members[members.index(first) :] + members[: members.index(first)]
            problems.append(
                row.problem(
                    "parent_id",
                    f"parent cycle on {_day(day)}: {' -> '.join([*members, members[0]])}; "
                    "no unit may be its own ancestor",
                )
            )


def _plan_leaders(spans: list[_SpanRow], broken: set[str], plan: _Plan, problems: list[Problem]) -> int:
    """Users and leaderships to create or close; returns the number of distinct leaders in the file."""
    rows = [s for s in spans if s.leader_email and s.unit_id not in broken]
    for s in sorted(rows, key=lambda s: s.valid_from):
        assert s.leader_email  # noqa: S101 - filtered above
        if s.leader_name or s.leader_email not in plan.users:
            plan.users[s.leader_email] = s.leader_name or plan.users.get(s.leader_email)
    stored: dict[tuple[str, str, dt.date], Leadership] = {}
    units = {s.unit_id for s in rows}
    for lead in Leadership.objects.filter(unit_id__in=units).select_related("user"):
        stored[(lead.user.email.lower(), lead.unit_id, lead.valid_from)] = lead
    for s in rows:
        assert s.leader_email  # noqa: S101 - filtered above
        have = stored.get((s.leader_email.lower(), s.unit_id, s.valid_from))
        if have is None:
            plan.new_leaderships.append((s.leader_email, s.unit_id, s.valid_from, s.valid_to))
        elif have.valid_to == s.valid_to:
            continue
        elif have.valid_to is None and s.valid_to is not None:
            plan.close_leaderships.append((have.pk, s.valid_to))
        else:
            problems.append(
                s.row.problem(
                    "valid_to",
                    f"would rewrite the stored leadership of {s.leader_email} at {s.unit_id} from "
                    f"{have.valid_from} to {have.valid_to or 'open'}; stored history is never changed",
                )
            )
    return len({s.leader_email.lower() for s in rows if s.leader_email})


def _plan_committees(table: Table, known: set[str], plan: _Plan, problems: list[Problem]) -> None:
    repeated = _duplicates(table, problems)
    committee_rows: dict[str, Row] = {}
    area_rows: dict[str, Row] = {}
    for row in table.rows:
        if row.number in repeated:
            continue
        before = len(problems)
        code, name = _text(row, "committee"), _text(row, "committee_name")
        area, area_name = _text(row, "task_area"), _text(row, "task_area_name")
        for column, value, limit in (("committee", code, 32), ("committee_name", name, 200)):
            if value is None:
                problems.append(row.problem(column, "missing value"))
            elif len(value) > limit:
                problems.append(row.problem(column, f"longer than {limit} characters"))
        if area and len(area) > 32:
            problems.append(row.problem("task_area", "longer than 32 characters"))
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


def _plan_groups(table: Table, plan: _Plan, problems: list[Problem]) -> None:
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


def _plan(path: Path, summary: OrgImportSummary) -> _Plan:
    """Read and validate the file; the writes it asks for, or ImportRejected with every problem."""
    problems: list[Problem] = []
    tables = _classify(read_tables(path), problems)
    if not tables and not problems:
        problems.append(Problem(path.name, None, None, "the file holds no units, committees or groups"))
    plan = _Plan()
    stored: dict[str, list[UnitSpan]] = defaultdict(list)
    for span in UnitSpan.objects.order_by("unit_id", "valid_from"):
        stored[span.unit_id].append(span)
    known = set(Unit.objects.values_list("id", flat=True))
    if "units" in tables:
        spans, listed, broken = _parse_units(tables["units"], problems)
        known |= listed
        by_unit: dict[str, list[_SpanRow]] = defaultdict(list)
        for s in sorted(spans, key=lambda s: (s.unit_id, s.valid_from)):
            by_unit[s.unit_id].append(s)
        _overlaps(by_unit, broken, problems)
        _merge_spans(by_unit, stored, broken, plan, problems)
        final = _final_spans(by_unit, stored, broken)
        _check_parents(final, listed, broken, known, tables["units"].name, problems)
        _check_tree(final, listed, problems)
        summary.units = len(listed)
        summary.leaders = _plan_leaders(spans, broken, plan, problems)
    if "committees" in tables:
        _plan_committees(tables["committees"], known, plan, problems)
        summary.committees, summary.task_areas = len(plan.committees), len(plan.task_areas)
    if "groups" in tables:
        _plan_groups(tables["groups"], plan, problems)
    if problems:
        raise ImportRejected(problems)
    return plan


def _write_users(plan: _Plan, summary: OrgImportSummary) -> dict[str, User]:
    """The file's people by e-mail: existing users (matched without regard to case) or new ones."""
    existing = {u.email.lower(): u for u in User.objects.only("id", "email", "name")}
    users: dict[str, User] = {}
    new: list[User] = []
    for email, name in plan.users.items():
        user = existing.get(email.lower())
        if user is None:
            user = User(email=email, username=email, name=name or "")
            user.set_unusable_password()
            existing[email.lower()] = user
            new.append(user)
        elif name and not user.name:
            user.name = name
            user.save(update_fields=["name"])
        users[email] = user
    User.objects.bulk_create(new)
    summary.users_created = len(new)
    return users


def _write_committees(plan: _Plan, summary: OrgImportSummary) -> None:
    committees = {c.code: c for c in Committee.objects.filter(code__in=plan.committees)}
    for code, name in plan.committees.items():
        committee = committees.get(code)
        if committee is None:
            committees[code] = Committee.objects.create(code=code, name=name)
            summary.committees_changed += 1
        elif committee.name != name:
            committee.name = name
            committee.save(update_fields=["name"])
            summary.committees_changed += 1
    areas = {a.code: a for a in TaskArea.objects.filter(code__in=plan.task_areas).prefetch_related("units")}
    for code, (name, committee_code, units) in plan.task_areas.items():
        area = areas.get(code)
        committee = committees[committee_code]
        changed = False
        if area is None:
            area = TaskArea.objects.create(code=code, name=name, committee=committee)
            changed = True
        elif area.name != name or area.committee_id != committee.pk:
            area.name, area.committee = name, committee
            area.save(update_fields=["name", "committee"])
            changed = True
        if {u.pk for u in area.units.all()} != set(units):
            area.units.set(units)
            changed = True
        summary.task_areas_changed += changed


@transaction.atomic
def org_import(*, path: str | Path) -> OrgImportSummary:
    """Import units, their validity spans, leaders, committees, task areas and groups from a file.

    Validated as a whole and atomic (ImportRejected with every problem, nothing stored),
    idempotent, and history-keeping by the merge rule in this module's docstring.
    """
    path = Path(path)
    summary = OrgImportSummary(file=path.name)
    plan = _plan(path, summary)
    Unit.objects.bulk_create([Unit(id=u) for u in plan.new_units])
    summary.units_created = len(plan.new_units)
    for pk, valid_to in plan.close_spans:
        UnitSpan.objects.filter(pk=pk).update(valid_to=valid_to)
    summary.spans_closed = len(plan.close_spans)
    UnitSpan.objects.bulk_create(
        [
            UnitSpan(
                unit_id=s.unit_id,
                parent_id=s.parent_id,
                name=s.name,
                kind=s.kind,
                valid_from=s.valid_from,
                valid_to=s.valid_to,
            )
            for s in plan.new_spans
        ]
    )
    summary.spans_added = len(plan.new_spans)
    users = _write_users(plan, summary)
    for pk, valid_to in plan.close_leaderships:
        Leadership.objects.filter(pk=pk).update(valid_to=valid_to)
    summary.leaderships_closed = len(plan.close_leaderships)
    Leadership.objects.bulk_create(
        [
            Leadership(user=users[email], unit_id=unit_id, valid_from=start, valid_to=end)
            for email, unit_id, start, end in plan.new_leaderships
        ]
    )
    summary.leaderships_added = len(plan.new_leaderships)
    _write_committees(plan, summary)
    for email, group_name in plan.memberships:
        group, _ = Group.objects.get_or_create(name=group_name)
        if not users[email].groups.filter(pk=group.pk).exists():
            users[email].groups.add(group)
            summary.group_memberships_added += 1
    return summary
