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
- committee members: `committee, member_email` (and optionally `member_name`): one row per member
  of a committee (the politicians who read its issued reports), creating the user if needed.
A CSV file holds one of the four; a workbook may hold all four, one per sheet.

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
Group memberships are only ever added. A committee named in the members table gets exactly the
members the table lists (people no longer listed stop being members); committees it does not
name keep theirs.

The tree the file leaves behind (the stored spans of the other units plus the file's) must hold
on every day: every parent is a known unit valid over the whole of its child's span, no unit is
its own ancestor, and one root at most. Problems the file cannot have caused (between units it
does not list) are not reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction

from driftsblik.core.tabular import ImportRejected, Problem, Table, read_tables
from driftsblik.organisation.models import (
    Committee,
    Leadership,
    TaskArea,
    Unit,
    UnitSpan,
    User,
)
from driftsblik.organisation.services.org_history import (
    check_overlaps,
    check_parents,
    check_tree,
    final_spans,
    merge_spans,
    plan_leaders,
)
from driftsblik.organisation.services.org_rows import (
    ImportPlan,
    SpanRow,
    classify_tables,
    parse_units,
    plan_committees,
    plan_groups,
    plan_members,
)
from driftsblik.organisation.tree import tree_changed


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
    committee_members: int = 0
    committee_members_changed: int = 0

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
                self.committee_members_changed,
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
            f"  committee members: {self.committee_members} in the file, {self.committee_members_changed} "
            "added or removed",
            *(["  nothing changed"] if not self.changed else []),
        ]


def _plan(read: dict[str, Table], name: str, summary: OrgImportSummary) -> ImportPlan:
    """Validate the tables; the writes they ask for, or ImportRejected with every problem."""
    problems: list[Problem] = []
    tables = classify_tables(read, problems)
    if not tables and not problems:
        problems.append(Problem(name, None, None, "the file holds no units, committees, groups or committee members"))
    plan = ImportPlan()
    stored: dict[str, list[UnitSpan]] = defaultdict(list)
    for span in UnitSpan.objects.order_by("unit_id", "valid_from"):
        stored[span.unit_id].append(span)
    known = set(Unit.objects.values_list("id", flat=True))
    if "units" in tables:
        spans, listed, broken = parse_units(tables["units"], problems)
        known |= listed
        by_unit: dict[str, list[SpanRow]] = defaultdict(list)
        for s in sorted(spans, key=lambda s: (s.unit_id, s.valid_from)):
            by_unit[s.unit_id].append(s)
        check_overlaps(by_unit, broken, problems)
        merge_spans(by_unit, stored, broken, plan, problems)
        final = final_spans(by_unit, stored, broken)
        check_parents(final, listed, broken, known, tables["units"].name, problems)
        check_tree(final, listed, problems)
        summary.units = len(listed)
        summary.leaders = plan_leaders(spans, broken, plan, problems)
    if "committees" in tables:
        plan_committees(tables["committees"], known, plan, problems)
        summary.committees, summary.task_areas = len(plan.committees), len(plan.task_areas)
    if "groups" in tables:
        plan_groups(tables["groups"], plan, problems)
    if "members" in tables:
        codes = set(Committee.objects.values_list("code", flat=True)) | set(plan.committees)
        plan_members(tables["members"], codes, plan, problems)
        summary.committee_members = sum(len(m) for m in plan.committee_members.values())
    if problems:
        raise ImportRejected(problems)
    return plan


def _write_users(plan: ImportPlan, summary: OrgImportSummary) -> dict[str, User]:
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


def _write_committees(plan: ImportPlan, summary: OrgImportSummary) -> None:
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
            area.units.set(units)  # type: ignore[arg-type] # primary keys; the stubs expect integer ones
            changed = True
        summary.task_areas_changed += changed


@transaction.atomic
def org_import(*, path: str | Path) -> OrgImportSummary:
    """Import units, their validity spans, leaders, committees, task areas, groups and committee
    members from a file.

    Validated as a whole and atomic (ImportRejected with every problem, nothing stored),
    idempotent, and history-keeping by the merge rule in this module's docstring.
    """
    path = Path(path)
    return org_import_tables(tables=read_tables(path), name=path.name)


@transaction.atomic
def org_import_tables(*, tables: dict[str, Table], name: str) -> OrgImportSummary:
    """The organisation import of tables already read (a file's, or an organisation master's such as
    OS2mo's, in the same columns): the same validation, merge rule and atomicity as `org_import`."""
    summary = OrgImportSummary(file=name)
    plan = _plan(tables, name, summary)
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
    _write_members(plan, users, summary)
    if summary.spans_closed or summary.spans_added:
        tree_changed.send(sender=org_import_tables)
    return summary


def _write_members(plan: ImportPlan, users: dict[str, User], summary: OrgImportSummary) -> None:
    """Each committee of the members table gets exactly the members it lists."""
    for committee in Committee.objects.filter(code__in=plan.committee_members).prefetch_related("members"):
        wanted = {users[email].pk for email in plan.committee_members[committee.code]}
        present = {u.pk for u in committee.members.all()}
        if wanted != present:
            committee.members.set(wanted)
            summary.committee_members_changed += len(wanted ^ present)
