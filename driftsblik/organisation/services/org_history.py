"""The organisation file against stored history: the merge rule and the checks of the tree it leaves.

The rules are in `org_import`'s docstring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from driftsblik.core.tabular import Problem, Row
from driftsblik.organisation.models import (
    Leadership,
    UnitSpan,
)
from driftsblik.organisation.services.org_rows import ImportPlan, SpanRow

_OPEN = dt.date.max.toordinal()


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


def _day(ordinal: int) -> str:
    return "open" if ordinal >= _OPEN else dt.date.fromordinal(ordinal).isoformat()


def check_overlaps(by_unit: dict[str, list[SpanRow]], broken: set[str], problems: list[Problem]) -> None:
    """One unit's spans in the file never overlap; a unit whose spans do is left out of later checks."""
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


def merge_spans(
    by_unit: dict[str, list[SpanRow]],
    stored: dict[str, list[UnitSpan]],
    broken: set[str],
    plan: ImportPlan,
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
            if (
                k == len(old) - 1
                and have.valid_to is None
                and new.valid_to is not None
                and new.span[:4] == have_key[:4]
            ):  # the file closes the stored open span
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


def final_spans(
    by_unit: dict[str, list[SpanRow]],
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


def check_parents(
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


def check_tree(final: dict[str, list[_Span]], listed: set[str], problems: list[Problem]) -> None:
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
            assert row is not None  # noqa: S101 - chosen among rows of the file
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


def plan_leaders(spans: list[SpanRow], broken: set[str], plan: ImportPlan, problems: list[Problem]) -> int:
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
