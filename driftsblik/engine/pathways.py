"""Citizen pathways (borgerforløb): a cohort from the registers followed month by month.

A cohort is picked with the same definitions as the register indicators, so its size equals the
indicator's figure for that month (or quarter) and unit:

- ``youth_neet``: residents aged 15-29 at the end of the month, in neither education nor a job
  (40 hours) in that month and the two before it (``youth_neet_3m``); unit: the unge assignment
  at the month's end.
- ``cash_long_term``: long-term cash-benefit recipients at the month's end (``cash_benefit_long_term``);
  unit: the beskaeftigelse assignment at the month's end.
- ``elderly_discharged``: residents aged 65+ discharged from hospital in the quarter (the persons
  behind ``elderly_readmission_30d``'s denominator, each counted once); unit: the aeldre assignment
  on their first discharge date in the quarter.

Month 0 is the cohort's month (for a quarter its last month); months 1..N follow it. Each person
has one status a month, the first that holds in this order (:data:`STATUSES`):

1. ``moved_away``: not resident at the month's end;
2. ``admitted``: admitted to hospital during the month (for the elderly: readmitted);
3. ``job``: employment hours >= 40 in the month (summed over employers);
4. ``education``: in education at the month's end;
5. one status per benefit (``kontanthjaelp``, ``uddannelseshjaelp``, ``dagpenge``, ..., ``benefit_other``):
   the benefit in the month's reference week (the week containing its last day);
6. ``other``: none of these.

The result holds aggregates only: the cohort size, persons per (month, status), persons per
(month, from status, to status) between consecutive months, and "across silos": persons by the
number of distinct units and of domains they were assigned to during the pathway, with how many
ended in job or education. No person id leaves this module.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from driftsblik.engine import backends
from driftsblik.engine.contract import BENEFITS, Registers
from driftsblik.engine.errors import EngineInputError
from driftsblik.engine.indicators.base import (
    Context,
    attribute,
    date_lit,
    month_of,
    months_table,
    resident_on,
)
from driftsblik.engine.indicators.cash_benefit import cash_person_months
from driftsblik.engine.indicators.elderly import _events as elderly_events
from driftsblik.engine.indicators.youth import youth_person_months
from driftsblik.engine.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    MonthRange,
    month_first,
    month_label,
    month_last,
    parse_month,
    reference_week,
)

MAX_MONTHS = 24
JOB_HOURS = 40.0
STATUSES: tuple[str, ...] = (
    "moved_away",
    "admitted",
    "job",
    "education",
    *(b if b != "other" else "benefit_other" for b in BENEFITS),
    "other",
)
"""Every status, in order of precedence (the first that holds is the month's status)."""
OUTCOME_STATUSES = ("job", "education")
"""The statuses that count as a good outcome at the pathway's end (in job or education)."""
SILO_BUCKETS = ("0", "1", "2", "3", "4+")


@dataclass(frozen=True)
class CohortKind:
    """A cohort definition: its code, the register domain its units come from, and its period."""

    code: str
    domain: str
    period: str  # month | quarter


COHORTS: dict[str, CohortKind] = {
    c.code: c
    for c in (
        CohortKind("youth_neet", "unge", "month"),
        CohortKind("cash_long_term", "beskaeftigelse", "month"),
        CohortKind("elderly_discharged", "aeldre", "quarter"),
    )
}

STATUS_SCHEMA = pa.schema(
    [("offset", pa.int64()), ("month", pa.string()), ("status", pa.string()), ("persons", pa.int64())]
)
TRANSITION_SCHEMA = pa.schema(
    [
        ("offset", pa.int64()),
        ("month", pa.string()),
        ("from_status", pa.string()),
        ("to_status", pa.string()),
        ("persons", pa.int64()),
    ]
)
SILO_SCHEMA = pa.schema(
    [("dimension", pa.string()), ("bucket", pa.string()), ("persons", pa.int64()), ("outcome", pa.int64())]
)


@dataclass(frozen=True)
class PathwayResult:
    """The aggregates of one pathway; nothing in it identifies a person.

    ``statuses``: offset, month ('YYYY-MM'), status, persons: one row per month and status (zeros
    included), each month summing to ``cohort_size``. ``transitions``: offset (the month moved
    into), month, from_status, to_status, persons (> 0 only). ``silos``: dimension (``units`` or
    ``domains``), bucket (0, 1, 2, 3, 4+), persons, outcome (of them, in job or education in the
    last month followed).
    """

    cohort: str
    start: str  # the cohort's month or quarter as given ('YYYY-MM' or 'YYYYQn')
    cohort_month: str  # month 0
    months_requested: int
    months_followed: int
    unit_ids: tuple[str, ...] | None
    cohort_size: int
    statuses: pa.Table
    transitions: pa.Table
    silos: pa.Table


def parse_start(kind: CohortKind, start: str) -> tuple[int, int]:
    """The first and last month index of the cohort's period: a month, or a quarter ('YYYYQn';
    a month given for a quarterly cohort means the quarter containing it)."""
    text = start.strip().upper()
    if "Q" in text:
        year, _, q = text.partition("Q")
        if not (year.isdigit() and len(year) == 4 and q in ("1", "2", "3", "4")) or not (
            FIRST_YEAR <= int(year) <= LAST_YEAR
        ):
            raise EngineInputError(f"not a quarter (YYYYQn): {start!r}")
        first = int(year) * 12 + (int(q) - 1) * 3
        if kind.period == "month":
            raise EngineInputError(f"cohort {kind.code} starts in a month (YYYY-MM), not a quarter: {start!r}")
        return first, first + 2
    idx = parse_month(text)
    if kind.period == "quarter":
        first = idx - idx % 3
        return first, first + 2
    return idx, idx


def data_months(registers: Registers) -> tuple[int, int] | None:
    """The first and last month with employment data in the registers (month indices), or None."""
    eh = registers.employment_hours
    row = eh.aggregate(first=eh.month.min(), last=eh.month.max()).to_pyarrow().to_pylist()[0]
    if row["first"] is None:
        return None
    first, last = row["first"], row["last"]
    if isinstance(first, dt.datetime):
        first, last = first.date(), last.date()
    return first.year * 12 + first.month - 1, last.year * 12 + last.month - 1


def _cohort(ctx: Context, kind: CohortKind) -> ir.Table:
    """The cohort's persons with the unit they are attributed to: ``person_id``, ``unit_id``."""
    if kind.code == "youth_neet":
        pm = youth_person_months(ctx)
        return pm.filter(pm.neet).select("person_id", "unit_id")
    if kind.code == "cash_long_term":
        pm = cash_person_months(ctx)
        return pm.filter(pm.long_term).select("person_id", "unit_id")
    ev = elderly_events(ctx, "discharged", 65)
    first = ev.group_by("person_id").agg(discharged=ev.discharged.min())
    return attribute(ctx, first, "discharged", kind.domain, keys_unique=True).select("person_id", "unit_id")


def _facts(registers: Registers, cohort: ir.Table, months: list[int]) -> ir.Table:
    """(person_id, month_idx, rank): every status that holds for a cohort person in a month, as its
    rank in :data:`STATUSES`; the month's status is the lowest rank (``other`` when none)."""
    rank = {s: i for i, s in enumerate(STATUSES)}
    mt = months_table(months)
    first, last = date_lit(month_first(months[0])), date_lit(month_last(months[-1]))
    ids = cohort.select("person_id")

    p = registers.persons.semi_join(ids, "person_id").cross_join(mt)
    moved = p.filter(~resident_on(p, p.m_end)).select("person_id", "month_idx", rank=ibis.literal(rank["moved_away"]))

    adm = registers.admissions
    adm = adm.filter(adm.admitted >= first, adm.admitted <= last).semi_join(ids, "person_id")
    admitted = adm.select("person_id", month_idx=month_of(adm.admitted), rank=ibis.literal(rank["admitted"]))

    eh = registers.employment_hours
    eh = eh.filter(eh.month >= first, eh.month <= last).semi_join(ids, "person_id")
    hours = eh.group_by("person_id", month_idx=month_of(eh.month)).agg(hours=eh.hours.sum())
    job = hours.filter(hours.hours >= JOB_HOURS).select("person_id", "month_idx", rank=ibis.literal(rank["job"]))

    ed = registers.education
    ed = ed.filter(ed.start_date <= last, ed.end_date.isnull() | (ed.end_date >= first)).semi_join(ids, "person_id")
    ed = ed.cross_join(mt)
    ed = ed.filter((ed.start_date <= ed.m_end) & (ed.end_date.isnull() | (ed.end_date >= ed.m_end)))
    education = ed.select("person_id", "month_idx", rank=ibis.literal(rank["education"]))

    benefit_rank = ibis.memtable(
        {"b_benefit": list(BENEFITS), "b_rank": [rank[b if b != "other" else "benefit_other"] for b in BENEFITS]},
        schema={"b_benefit": "string", "b_rank": "int64"},
    )
    bw = registers.benefit_weeks
    weeks = mt.select(w_month_idx="month_idx", w_week="ref_week")
    # only the reference weeks count: a short list of dates, so most rows go before the join
    bw = bw.filter(bw.week.isin([date_lit(reference_week(m)) for m in months]))
    bw = bw.semi_join(ids, "person_id")
    bw = bw.join(weeks, bw.week == weeks.w_week)
    bw = bw.join(benefit_rank, bw.benefit == benefit_rank.b_benefit)
    benefit = bw.select("person_id", month_idx="w_month_idx", rank="b_rank")

    parts = [
        t.select("person_id", month_idx=t.month_idx.cast("int64"), rank=t["rank"].cast("int64"))
        for t in (moved, admitted, job, education, benefit)
    ]
    return ibis.union(*parts)


def _silos(registers: Registers, cohort: ir.Table, first: dt.date, last: dt.date) -> ir.Table:
    """Per cohort person (with the unit of the cohort) the distinct units (``n_units``) and domains
    (``n_domains``) they were assigned to at any time from ``first`` to ``last``."""
    a = registers.assignments
    a = a.filter(a.valid_from <= date_lit(last), a.valid_to.isnull() | (a.valid_to >= date_lit(first)))
    a = a.semi_join(cohort.select("person_id"), "person_id")
    per = a.group_by(s_person_id=a.person_id).agg(
        n_units=a.unit_id.nunique().cast("int64"), n_domains=a.domain.nunique().cast("int64")
    )
    j = cohort.left_join(per, cohort.person_id == per.s_person_id)
    return j.select("person_id", "unit_id", n_units=j.n_units.fill_null(0), n_domains=j.n_domains.fill_null(0))


class _Clock:
    """Seconds per step of a computation, written into ``timings`` when it is given."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = now - self.last
        self.last = now


def cohort_pathway(
    registers: Registers,
    con: Any = None,
    backend: str = backends.DEFAULT_BACKEND,
    *,
    cohort: str,
    start: str,
    months: int = MAX_MONTHS,
    unit_ids: Sequence[str] | None = None,
    timings: dict[str, float] | None = None,
) -> PathwayResult:
    """Follow a cohort month by month for ``months`` (1..24) months after its month or quarter.

    ``registers`` are opened registers (:func:`driftsblik.engine.contract.open_registers`) on
    ``con``/``backend``. ``unit_ids`` limits the cohort to persons attributed to those units
    (``None``: the whole municipality). Months after the last month with employment data are not
    followed (``months_followed`` says how many were). Returns aggregates only. ``timings``, when
    given, receives the seconds of each step.
    """
    found = _pathways(registers, con, backend, cohort, start, months, unit_ids, timings, grouped=False)
    return found[_ALL]


def cohort_pathway_units(
    registers: Registers,
    con: Any = None,
    backend: str = backends.DEFAULT_BACKEND,
    *,
    cohort: str,
    start: str,
    months: int = MAX_MONTHS,
    timings: dict[str, float] | None = None,
) -> dict[str, PathwayResult]:
    """The pathway of the cohort's persons of each unit they are attributed to (the register units,
    ``_unassigned`` included), in one computation: unit id -> its aggregates (units with nobody in
    the cohort are left out). A person is attributed to one unit, so the pathway of several units
    is the sum of theirs (:func:`combine`), equal to :func:`cohort_pathway` for those units."""
    return _pathways(registers, con, backend, cohort, start, months, None, timings, grouped=True)


_ALL = ""


def _pathways(
    registers: Registers,
    con: Any,
    backend: str,
    cohort: str,
    start: str,
    months: int,
    unit_ids: Sequence[str] | None,
    timings: dict[str, float] | None,
    *,
    grouped: bool,
) -> dict[str, PathwayResult]:
    """The aggregates per unit (``grouped``) or of the whole cohort (under ``_ALL``)."""
    clock = _Clock(timings)
    kind = COHORTS.get(cohort)
    if kind is None:
        raise EngineInputError(f"unknown cohort {cohort!r}; choose one of {', '.join(COHORTS)}")
    if not 1 <= months <= MAX_MONTHS:
        raise EngineInputError(f"months must be from 1 to {MAX_MONTHS}, got {months}")
    period_first, period_last = parse_start(kind, start)
    span = data_months(registers)
    clock.step("data_months")
    followed = months if span is None else max(0, min(months, span[1] - period_last))
    ctx = Context(registers, MonthRange(period_first, period_last), con, backend)
    people = _cohort_people(ctx, kind, unit_ids, grouped=grouped)
    sizes = {
        str(r["unit_id"]): int(r["n"])
        for r in people.group_by("unit_id").agg(n=people.count()).to_pyarrow().to_pylist()
    }
    clock.step("cohort")

    def empty(unit: str, size: int) -> PathwayResult:
        return PathwayResult(
            cohort,
            start,
            month_label(period_last),
            months,
            followed,
            (unit,) if grouped else (tuple(unit_ids) if unit_ids is not None else None),
            size,
            STATUS_SCHEMA.empty_table(),
            TRANSITION_SCHEMA.empty_table(),
            SILO_SCHEMA.empty_table(),
        )

    if not sizes:
        return {} if grouped else {_ALL: empty(_ALL, 0)}
    indices = list(range(period_last, period_last + followed + 1))
    pm = _person_month_statuses(ctx, people, indices)
    clock.step("statuses")
    statuses = _status_table(pm, indices)
    transitions = _transition_table(pm, period_last, clock)
    clock.step("transitions")
    silos = _silo_table(registers, people, pm, period_first, indices[-1])
    clock.step("silos")
    return {
        unit: replace(
            empty(unit, size),
            statuses=statuses.get(unit, STATUS_SCHEMA.empty_table()),
            transitions=transitions.get(unit, TRANSITION_SCHEMA.empty_table()),
            silos=silos.get(unit, SILO_SCHEMA.empty_table()),
        )
        for unit, size in sorted(sizes.items())
    }


def combine(results: Sequence[PathwayResult], unit_ids: Sequence[str] | None = None) -> PathwayResult:
    """The pathway of the persons of several results of one computation (:func:`cohort_pathway_units`)
    added up, as :func:`cohort_pathway` gives it for ``unit_ids`` (``None``: the municipality).
    ``results`` must share the cohort, start and months; with no result, an empty pathway is not
    known here, so at least one is needed (see ``empty`` of the caller)."""
    first = results[0]
    size = sum(r.cohort_size for r in results)
    chosen = tuple(unit_ids) if unit_ids is not None else None
    base = replace(first, unit_ids=chosen, cohort_size=size)
    if size == 0:
        return replace(
            base,
            statuses=STATUS_SCHEMA.empty_table(),
            transitions=TRANSITION_SCHEMA.empty_table(),
            silos=SILO_SCHEMA.empty_table(),
        )
    status: dict[tuple[int, str, str], int] = {}
    moves: dict[tuple[int, str, str, str], int] = {}
    silo: dict[tuple[str, str], list[int]] = {}
    for r in results:
        for row in r.statuses.to_pylist():
            k = (row["offset"], row["month"], row["status"])
            status[k] = status.get(k, 0) + row["persons"]
        for row in r.transitions.to_pylist():
            t = (row["offset"], row["month"], row["from_status"], row["to_status"])
            moves[t] = moves.get(t, 0) + row["persons"]
        for row in r.silos.to_pylist():
            cell = silo.setdefault((row["dimension"], row["bucket"]), [0, 0])
            cell[0] += row["persons"]
            cell[1] += row["outcome"]
    rank = {s: i for i, s in enumerate(STATUSES)}
    months = sorted({(o, m) for o, m, _s in status})
    status_rows = [
        {"offset": o, "month": m, "status": s, "persons": status.get((o, m, s), 0)} for o, m in months for s in STATUSES
    ]
    move_rows = [
        {"offset": o, "month": m, "from_status": a, "to_status": b, "persons": n}
        for (o, m, a, b), n in sorted(moves.items(), key=lambda kv: (kv[0][0], rank[kv[0][2]], rank[kv[0][3]]))
    ]
    silo_rows = [
        {
            "dimension": dim,
            "bucket": b,
            "persons": silo.get((dim, b), [0, 0])[0],
            "outcome": silo.get((dim, b), [0, 0])[1],
        }
        for dim, buckets in (("units", SILO_BUCKETS), ("domains", SILO_BUCKETS[:4]))
        for b in buckets
    ]
    return replace(
        base,
        statuses=pa.Table.from_pylist(status_rows, schema=STATUS_SCHEMA),
        transitions=pa.Table.from_pylist(move_rows, schema=TRANSITION_SCHEMA),
        silos=pa.Table.from_pylist(silo_rows, schema=SILO_SCHEMA),
    )


def _cohort_people(ctx: Context, kind: CohortKind, unit_ids: Sequence[str] | None, *, grouped: bool) -> ir.Table:
    """The cohort's distinct persons (``person_id``) with their unit (``unit_id``; one blank unit
    for all when not ``grouped``), limited to those attributed to ``unit_ids``."""
    people = _cohort(ctx, kind)
    if unit_ids is not None:
        people = people.filter(people.unit_id.isin(list(unit_ids)))
    if grouped:  # one unit a person (the definitions attribute each to one; the first if ever two)
        people = people.group_by("person_id").agg(unit_id=people.unit_id.min())
    else:
        people = people.select("person_id").distinct().mutate(unit_id=ibis.literal(_ALL))
    if ctx.con is not None:
        people = backends.materialize(ctx.con, ctx.backend, people)
    return people


def _person_month_statuses(ctx: Context, people: ir.Table, indices: list[int]) -> ir.Table:
    """(person_id, unit_id, month_idx, rank): each cohort person's status in each month followed, as
    its rank in :data:`STATUSES` (``other`` when none holds)."""
    facts = _facts(ctx.registers, people, indices)
    best = facts.group_by(b_person_id=facts.person_id, b_month_idx=facts.month_idx).agg(b_rank=facts["rank"].min())
    grid = people.cross_join(months_table(indices).select("month_idx"))
    pm = grid.left_join(best, [grid.person_id == best.b_person_id, grid.month_idx == best.b_month_idx])
    pm = pm.select("person_id", "unit_id", "month_idx", rank=pm.b_rank.fill_null(len(STATUSES) - 1))
    if ctx.con is not None:
        pm = backends.materialize(ctx.con, ctx.backend, pm)
    return pm


def _status_table(pm: ir.Table, indices: list[int]) -> dict[str, pa.Table]:
    """Per unit: persons per month and status, every status in every month (0 where none)."""
    counts = pm.group_by("unit_id", "month_idx", "rank").agg(persons=pm.count().cast("int64")).to_pyarrow()
    got: dict[str, dict[tuple[int, int], int]] = {}
    for r in counts.to_pylist():
        got.setdefault(str(r["unit_id"]), {})[(r["month_idx"], r["rank"])] = int(r["persons"])
    return {
        unit: pa.Table.from_pylist(
            [
                {"offset": m - indices[0], "month": month_label(m), "status": s, "persons": cells.get((m, i), 0)}
                for m in indices
                for i, s in enumerate(STATUSES)
            ],
            schema=STATUS_SCHEMA,
        )
        for unit, cells in got.items()
    }


def _transition_table(pm: ir.Table, period_last: int, clock: _Clock) -> dict[str, pa.Table]:
    """Per unit: persons moving from one status to another (or staying) from each month to the next."""
    nxt = pm.select(n_person_id="person_id", n_month_idx=pm.month_idx - 1, n_rank="rank")
    tj = pm.join(nxt, [pm.person_id == nxt.n_person_id, pm.month_idx == nxt.n_month_idx])
    trans = tj.group_by("unit_id", "month_idx", "rank", "n_rank").agg(persons=tj.count().cast("int64"))
    clock.step("counts")
    rows: dict[str, list[tuple[int, int, int, int]]] = {}
    for r in trans.to_pyarrow().to_pylist():
        rows.setdefault(str(r["unit_id"]), []).append(
            (int(r["month_idx"]) + 1, int(r["rank"]), int(r["n_rank"]), int(r["persons"]))
        )
    return {
        unit: pa.Table.from_pylist(
            [
                {
                    "offset": m - period_last,
                    "month": month_label(m),
                    "from_status": STATUSES[a],
                    "to_status": STATUSES[b],
                    "persons": n,
                }
                for m, a, b, n in sorted(found)
            ],
            schema=TRANSITION_SCHEMA,
        )
        for unit, found in rows.items()
    }


def _silo_table(
    registers: Registers, people: ir.Table, pm: ir.Table, period_first: int, last_idx: int
) -> dict[str, pa.Table]:
    """Per unit: persons, and of them those in job or education at the end, by how many units and
    domains they were assigned to over the pathway (0, 1, 2, 3, 4+)."""
    end = pm.filter(pm.month_idx == last_idx)
    end = end.select(e_person_id="person_id", good=end["rank"].isin([STATUSES.index(s) for s in OUTCOME_STATUSES]))
    silo = _silos(registers, people, month_first(period_first), month_last(last_idx))
    sj = silo.join(end, silo.person_id == end.e_person_id)
    # one aggregate for both dimensions: persons and outcomes per (unit, units bucket, domains bucket)
    agg = sj.group_by("unit_id", u=ibis.least(sj.n_units, 4), d=ibis.least(sj.n_domains, 4)).agg(
        persons=sj.count().cast("int64"), outcome=sj.good.ifelse(1, 0).sum().cast("int64")
    )
    found: dict[str, dict[tuple[str, int], list[int]]] = {}
    for r in agg.to_pyarrow().to_pylist():
        cells = found.setdefault(str(r["unit_id"]), {})
        for dim, b in (("units", int(r["u"])), ("domains", int(r["d"]))):
            cell = cells.setdefault((dim, b), [0, 0])
            cell[0] += int(r["persons"])
            cell[1] += int(r["outcome"] or 0)
    return {
        unit: pa.Table.from_pylist(
            [
                {
                    "dimension": dim,
                    "bucket": label,
                    "persons": cells.get((dim, b), [0, 0])[0],
                    "outcome": cells.get((dim, b), [0, 0])[1],
                }
                for dim, buckets in (("units", SILO_BUCKETS), ("domains", SILO_BUCKETS[:4]))
                for b, label in enumerate(buckets)
            ],
            schema=SILO_SCHEMA,
        )
        for unit, cells in found.items()
    }
