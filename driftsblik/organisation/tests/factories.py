"""Helpers that build organisations in the test database quickly. Import them from any app's tests.

    from driftsblik.organisation.tests.factories import make_tree, make_leader

- `make_tree(spec, *, valid_from=START, valid_to=None) -> dict[str, Unit]`: units and one span
  each. `spec` is either a nested dict of unit ids (`{"K": {"BU": {"SKOLE": ["NORD", "SYD"]}}}`:
  values are dicts of children, lists of leaf ids, or None) or a list of tuples
  `(unit_id, parent_id[, name[, kind]])` with parents before children. Names default to the
  id, kinds follow depth (root, area, sector, institution, team; deeper ones are teams).
- `make_span(unit_id, parent_id, *, name=None, kind="team", valid_from=START, valid_to=None)`:
  one span (the unit is created if missing).
- `move_unit(unit_id, new_parent_id, *, on)`: closes the unit's open span the day before `on`
  and opens one under the new parent from `on`, as `org import` records a move.
- `make_user(email, *, name="", groups=(), superuser=False) -> User`: a user (reused if the
  e-mail exists), in the given groups (`DIRECTORATE_GROUP`, `ANALYST_GROUP`).
- `make_leader(email, unit_id, *, name="", valid_from=START, valid_to=None, groups=()) -> User`:
  a user who leads the unit over the span.
- `make_committee(code, name=None, *, task_areas={code: (name, [unit ids])}) -> Committee`.
- `org_snapshot() -> dict[str, list[tuple]]`: every row of every organisation table (units,
  spans, leaderships, users, group memberships, committees, task areas and their units), for
  "the database is exactly as before" checks.
- `write_csv(path, rows, *, delimiter=",") -> Path`: a CSV file from a header row and data rows.
- `EXAMPLE_TREE`: the spec of the public example organisation as it is today.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group

from driftsblik.organisation.models import Committee, Leadership, TaskArea, Unit, UnitSpan, User

START = dt.date(2020, 1, 1)
KINDS_BY_DEPTH = ["root", "area", "sector", "institution", "team"]

EXAMPLE_TREE: dict[str, Any] = {
    "K": {
        "BU": {"SKOLE": {"NORD": ["NORD-IND"], "SYD": ["NORD-UDS"]}, "DAG": None},
        "SA": {"PLEJE": None},
    }
}


def kind_for_depth(depth: int) -> str:
    return KINDS_BY_DEPTH[min(depth, len(KINDS_BY_DEPTH) - 1)]


def _flatten(spec: Any, parent: str | None, depth: int, out: list[tuple[str, str | None, str, str]]) -> None:
    if spec is None:
        return
    if isinstance(spec, Mapping):
        for unit_id, children in spec.items():
            out.append((unit_id, parent, unit_id, kind_for_depth(depth)))
            _flatten(children, unit_id, depth + 1, out)
        return
    for unit_id in spec:
        out.append((unit_id, parent, unit_id, kind_for_depth(depth)))


def tree_rows(spec: Mapping[str, Any] | Iterable[Sequence[Any]]) -> list[tuple[str, str | None, str, str]]:
    """(unit_id, parent_id, name, kind) rows, parents first, from either form of spec."""
    if isinstance(spec, Mapping):
        rows: list[tuple[str, str | None, str, str]] = []
        _flatten(spec, None, 0, rows)
        return rows
    depth: dict[str, int] = {}
    rows = []
    for item in spec:
        unit_id, parent_id = item[0], item[1]
        depth[unit_id] = 0 if parent_id is None else depth.get(parent_id, 0) + 1
        name = item[2] if len(item) > 2 else unit_id
        kind = item[3] if len(item) > 3 else kind_for_depth(depth[unit_id])
        rows.append((unit_id, parent_id, name, kind))
    return rows


def make_span(
    unit_id: str,
    parent_id: str | None,
    *,
    name: str | None = None,
    kind: str = "team",
    valid_from: dt.date = START,
    valid_to: dt.date | None = None,
) -> UnitSpan:
    unit, _ = Unit.objects.get_or_create(id=unit_id)
    return UnitSpan.objects.create(
        unit=unit, parent_id=parent_id, name=name or unit_id, kind=kind, valid_from=valid_from, valid_to=valid_to
    )


def make_tree(
    spec: Mapping[str, Any] | Iterable[Sequence[Any]],
    *,
    valid_from: dt.date = START,
    valid_to: dt.date | None = None,
) -> dict[str, Unit]:
    """Units with one span each over [valid_from, valid_to]; returns them by id."""
    rows = tree_rows(spec)
    Unit.objects.bulk_create([Unit(id=r[0]) for r in rows], ignore_conflicts=True)
    UnitSpan.objects.bulk_create(
        [
            UnitSpan(unit_id=u, parent_id=p, name=n, kind=k, valid_from=valid_from, valid_to=valid_to)
            for u, p, n, k in rows
        ]
    )
    return Unit.objects.in_bulk([r[0] for r in rows])


def move_unit(unit_id: str, new_parent_id: str, *, on: dt.date, name: str | None = None) -> UnitSpan:
    """Close the unit's open span the day before `on`; a new span under `new_parent_id` from `on`."""
    current = UnitSpan.objects.get(unit_id=unit_id, valid_to__isnull=True)
    current.valid_to = on - dt.timedelta(days=1)
    current.save(update_fields=["valid_to"])
    return UnitSpan.objects.create(
        unit_id=unit_id, parent_id=new_parent_id, name=name or current.name, kind=current.kind, valid_from=on
    )


def make_user(email: str, *, name: str = "", groups: Iterable[str] = (), superuser: bool = False) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, username=email, name=name, is_superuser=superuser, is_staff=superuser)
        user.set_unusable_password()
        user.save()
    for group_name in groups:
        group, _ = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
    return user


def make_leader(
    email: str,
    unit_id: str,
    *,
    name: str = "",
    valid_from: dt.date = START,
    valid_to: dt.date | None = None,
    groups: Iterable[str] = (),
) -> User:
    user = make_user(email, name=name, groups=groups)
    Leadership.objects.create(user=user, unit_id=unit_id, valid_from=valid_from, valid_to=valid_to)
    return user


def make_committee(
    code: str, name: str | None = None, *, task_areas: Mapping[str, tuple[str, Iterable[str]]] | None = None
) -> Committee:
    committee = Committee.objects.create(code=code, name=name or code)
    for area_code, (area_name, units) in (task_areas or {}).items():
        area = TaskArea.objects.create(code=area_code, name=area_name, committee=committee)
        area.units.set(list(units))  # type: ignore[arg-type] # primary keys; the stubs expect integer ones
    return committee


def org_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every organisation table, ordered, so two snapshots compare exactly."""
    return {
        "units": list(Unit.objects.order_by("id").values_list()),
        "spans": list(UnitSpan.objects.order_by("id").values_list()),
        "leaderships": list(Leadership.objects.order_by("id").values_list()),
        "users": list(User.objects.order_by("id").values_list()),
        "groups": list(Group.objects.order_by("id").values_list()),
        "memberships": list(User.groups.through.objects.order_by("id").values_list()),
        "committees": list(Committee.objects.order_by("id").values_list()),
        "task_areas": list(TaskArea.objects.order_by("id").values_list()),
        "task_area_units": list(TaskArea.units.through.objects.order_by("id").values_list()),
    }


def write_csv(path: Path, rows: Iterable[Sequence[Any]], *, delimiter: str = ",") -> Path:
    """Write rows (the first is the header) as a UTF-8 CSV file."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path
