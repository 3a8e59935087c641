"""Checking the content of registers against the contract before anything is computed.

Structural problems (missing tables or columns, wrong types) are found when the registers are
opened (:mod:`driftsblik.engine.contract`); this module checks the rows: required values,
unknown domains and benefits, two rows for one person and week, weeks that are not Mondays,
negative hours, discharges before admissions, assignments or education ending before they start,
overlapping assignments for one person and domain, birth dates before 1900 or after today, and
a table without rows. Each problem carries its table, the number of rows and a few example rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from driftsblik.engine.contract import BENEFITS, DOMAINS, TABLES, Registers
from driftsblik.engine.errors import Problem, RegisterValidationError
from driftsblik.engine.runner import Runner
from driftsblik.engine.weeks import WeekSets

EXAMPLES = 3

__all__ = ["Problem", "RegisterValidationError", "check_registers", "submit_checks", "validate_registers"]


EARLIEST_BIRTH = dt.date(1900, 1, 1)
"""No resident was born before this day: an earlier birth date is a typing error (1800 for 1980)."""


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).astimezone().date()


@dataclass(frozen=True)
class RowCheck:
    """A condition that marks a bad row of one table."""

    table: str
    kind: str
    message: str
    bad: Callable[[ir.Table], ir.BooleanValue]


def _required(table: str) -> list[RowCheck]:
    cols = [c for c, k in TABLES[table].items() if not k.endswith("?")]

    def bad(t: ir.Table) -> ir.BooleanValue:
        cond: ir.BooleanValue = t[cols[0]].isnull()
        for c in cols[1:]:
            cond |= t[c].isnull()
        return cond

    return [RowCheck(table, "missing_value", f"empty value in a required column ({', '.join(cols)})", bad)]


ROW_CHECKS: list[RowCheck] = [
    *(check for table in TABLES for check in _required(table)),
    RowCheck(
        "assignments",
        "unknown_domain",
        f"unknown domain (known: {', '.join(DOMAINS)})",
        lambda t: ~t.domain.isin(DOMAINS),
    ),
    RowCheck(
        "assignments",
        "ends_before_start",
        "assignment ends (valid_to) before it starts (valid_from)",
        lambda t: t.valid_to < t.valid_from,
    ),
    RowCheck(
        "benefit_weeks",
        "unknown_benefit",
        f"unknown benefit (known: {', '.join(BENEFITS)})",
        lambda t: ~t.benefit.isin(BENEFITS),
    ),
    RowCheck(
        "benefit_weeks",
        "week_not_monday",
        "week is not a Monday",
        lambda t: t.week.day_of_week.index() != 0,
    ),
    RowCheck(
        "persons",
        "birth_date_out_of_range",
        f"birth date before {EARLIEST_BIRTH.isoformat()} or after today",
        lambda t: (t.birth_date < EARLIEST_BIRTH) | (t.birth_date > _today()),
    ),
    RowCheck("employment_hours", "negative_hours", "negative hours", lambda t: t.hours < 0),
    RowCheck(
        "admissions",
        "discharge_before_admission",
        "discharged before admitted",
        lambda t: t.discharged < t.admitted,
    ),
    RowCheck(
        "education",
        "ends_before_start",
        "education ends (end_date) before it starts (start_date)",
        lambda t: t.end_date < t.start_date,
    ),
]


@dataclass(frozen=True)
class Submitted:
    """A check handed to a runner: the counts it waits for, and the problems they show."""

    counts: list[Future[Any]]
    problems: Callable[[], list[Problem]]


def _examples(runner: Runner, expr: ir.Table, order: list[str]) -> list[dict[str, Any]]:
    # a problem is reported: the statements queued after the checks are not wanted any more
    runner.stop()
    rows: list[dict[str, Any]] = runner.fetch(expr.order_by(order).limit(EXAMPLES)).result().to_pylist()
    return rows


def _count(future: Future[Any]) -> int:
    return int(future.result().as_py() or 0)


def _row_problems(regs: Registers, runner: Runner) -> Submitted:
    """Every row check, each as its own filtered count, all in one statement: a filter alone is
    pushed into the scan (Parquet statistics and dictionaries answer most of them without
    reading the rows), where one aggregate of every condition per table reads every row."""
    checks = [check for table in TABLES for check in ROW_CHECKS if check.table == table]
    counts = [
        (check, regs.table(check.table).filter(check.bad(regs.table(check.table)).fill_null(False))) for check in checks
    ]
    found = runner.fetch(
        ibis.union(
            *(bad.aggregate(check_no=ibis.literal(i, "int64"), rows=bad.count()) for i, (_, bad) in enumerate(counts))
        )
    )

    def problems() -> list[Problem]:
        n_by_check = {r["check_no"]: int(r["rows"] or 0) for r in found.result().to_pylist()}
        out: list[Problem] = []
        for i, (check, bad) in enumerate(counts):
            n = n_by_check.get(i, 0)
            if n:
                examples = _examples(runner, bad, list(TABLES[check.table]))
                out.append(Problem(check.table, check.kind, check.message, n, examples))
        return out

    return Submitted([found], problems)


def _duplicates(t: ir.Table, table: str, keys: list[str], message: str, runner: Runner) -> Submitted:
    g = t.group_by(keys).agg(rows=t.count())
    g = g.filter(g.rows > 1)
    rows = runner.fetch(g.rows.sum())

    def problems() -> list[Problem]:
        n = _count(rows)
        return [Problem(table, "duplicate", message, n, _examples(runner, g, keys))] if n else []

    return Submitted([rows], problems)


def _benefit_week_duplicates(t: ir.Table, week_sets: WeekSets | None, runner: Runner) -> Submitted:
    """Two rows for one person and week. With the per-person bit sets of the weeks (DuckDB) a
    cheap exact test comes first: the rows against the number of distinct week numbers per
    person; only when some person has fewer distinct week numbers than rows (a duplicate, or two
    dates in one week, which also breaks the Monday rule) is the group-by on person and week
    run, for the count and the examples."""
    message = "two rows for one person and week"
    if week_sets is None:
        return _duplicates(t, "benefit_weeks", ["person_id", "week"], message, runner)
    extra = runner.fetch(week_sets.duplicate_rows())

    def problems() -> list[Problem]:
        if not _count(extra):
            return []
        runner.stop()
        return _duplicates(t, "benefit_weeks", ["person_id", "week"], message, runner).problems()

    return Submitted([extra], problems)


def _overlaps(regs: Registers, runner: Runner) -> Submitted:
    a = regs.assignments
    # only a person with two or more spans in a domain can have overlapping ones: the self-join
    # is taken over those (a few percent of the rows) instead of over every row
    multi = a.group_by(m_person_id=a.person_id, m_domain=a.domain).agg(rows=a.count())
    multi = multi.filter(multi.rows > 1)
    a = runner.materialize(a.semi_join(multi, [a.person_id == multi.m_person_id, a.domain == multi.m_domain]))
    b = a.select(b_person_id="person_id", b_domain="domain", b_unit_id="unit_id", b_from="valid_from", b_to="valid_to")
    j = a.join(b, [a.person_id == b.b_person_id, a.domain == b.b_domain])
    j = j.filter(j.valid_from < j.b_from, j.valid_to.isnull() | (j.valid_to >= j.b_from))
    pairs = j.select(
        "person_id",
        "domain",
        "unit_id",
        "valid_from",
        "valid_to",
        other_unit_id="b_unit_id",
        other_valid_from="b_from",
        other_valid_to="b_to",
    )
    same_start = a.group_by("person_id", "domain", "valid_from").agg(rows=a.count())
    same_start = same_start.filter(same_start.rows > 1)
    pair_rows = runner.fetch(pairs.count())
    same_rows = runner.fetch(same_start.rows.sum())

    def problems() -> list[Problem]:
        n_pairs, n_same = _count(pair_rows), _count(same_rows)
        if not n_pairs and not n_same:
            return []
        order = ["person_id", "domain", "valid_from"]
        examples = _examples(runner, pairs, order) if n_pairs else []
        if len(examples) < EXAMPLES and n_same:
            examples += _examples(runner, same_start, order)[: EXAMPLES - len(examples)]
        message = "overlapping assignments for one person and domain"
        return [Problem("assignments", "overlap", message, n_pairs + n_same, examples)]

    return Submitted([pair_rows, same_rows], problems)


def _empty_tables(regs: Registers, runner: Runner) -> Submitted:
    """A table without rows: each is needed by some indicator, and an empty one (a header and no
    rows, an export that failed) would be read as "nobody", rewriting the figures it feeds."""
    counts = {name: runner.fetch(regs.table(name).count()) for name in TABLES}

    def problems() -> list[Problem]:
        return [
            Problem(name, "no_rows", "the table has no rows: every register table is needed")
            for name, count in counts.items()
            if not _count(count)
        ]

    return Submitted(list(counts.values()), problems)


def submit_checks(regs: Registers, runner: Runner, week_sets: WeekSets | None = None) -> Callable[[], list[Problem]]:
    """Hand every content check of the registers to ``runner``; the function returned waits for
    them and gives the problems found (an empty list when the registers keep the contract).

    The checks only count; the examples of a problem are fetched once every count is in, and
    only when there is a problem (the runner then drops what was queued after the checks: the
    run will not go on). ``week_sets``: the per-person bit sets of the benefit weeks, where the
    backend makes them (:func:`driftsblik.engine.weeks.week_sets`), for a faster duplicate check.
    """
    submitted = [
        _empty_tables(regs, runner),
        _row_problems(regs, runner),
        _benefit_week_duplicates(regs.benefit_weeks, week_sets, runner),
        _duplicates(regs.persons, "persons", ["person_id"], "two rows for one person", runner),
        _overlaps(regs, runner),
    ]

    def found() -> list[Problem]:
        for check in submitted:
            for count in check.counts:
                count.result()
        return [problem for check in submitted for problem in check.problems()]

    return found


def check_registers(regs: Registers, week_sets: WeekSets | None = None, runner: Runner | None = None) -> list[Problem]:
    """Every content problem in the registers (an empty list when they keep the contract),
    checked by ``runner`` (else at once, on the registers' own connection)."""
    if runner is None:
        con = regs.persons._find_backend()
        runner = Runner(con, con.name, background=False)
    return submit_checks(regs, runner, week_sets)()


def validate_registers(regs: Registers) -> None:
    """Raise :class:`RegisterValidationError` listing every problem, if there is any."""
    problems = check_registers(regs)
    if problems:
        raise RegisterValidationError(problems)
