"""What every indicator builder gets (the context) and the expressions they share.

An indicator builder is a function ``build(ctx, *, <thresholds>) -> ibis Table`` returning one
row per unit and month with the columns ``unit_id`` (string), ``month_idx`` (int64, year * 12 +
month - 1), ``numerator`` and ``denominator`` (int64; for counts the denominator is the size of
the population the count is taken from and is not part of the output).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from driftsblik.engine import backends
from driftsblik.engine.contract import UNASSIGNED, Registers
from driftsblik.engine.periods import (
    MonthRange,
    born_on_or_before_for_age,
    month_first,
    month_last,
    reference_week,
)
from driftsblik.engine.runner import Runner
from driftsblik.engine.weeks import WeekSets


@dataclass(frozen=True)
class HoursReader:
    """Whose employment hours an indicator family reads (``persons()``: a ``person_id`` table)
    and the working-month threshold it needs (``None``: only "hours > 0")."""

    persons: Callable[[], ir.Table]
    min_hours: float | None


@dataclass
class Context:
    """The registers, the months to compute, and a cache of shared intermediate results.

    ``hours_readers`` names the indicator families of the run that read employment hours (filled
    by :func:`driftsblik.engine.compute` from the indicators' ``hours`` declarations), so that the
    hours are read once for all of them (:func:`hours_masks`); ``week_sets`` holds the benefit
    weeks per person as bit sets when the run made them (:mod:`driftsblik.engine.weeks`);
    ``runner`` executes the run's statements (:mod:`driftsblik.engine.runner`)."""

    registers: Registers
    months: MonthRange
    con: Any = None
    backend: str = "duckdb"
    hours_readers: dict[str, HoursReader] = field(default_factory=dict)
    week_sets: WeekSets | None = None
    runner: Runner | None = None
    _shared: dict[tuple[Any, ...], ir.Table] = field(default_factory=dict)

    def shared(self, key: tuple[Any, ...], build: Callable[[], ir.Table]) -> ir.Table:
        """``build()`` computed once per key and reused (materialized by the run's ``runner``, or
        on the backend if connected)."""
        if key not in self._shared:
            expr = build()
            if self.runner is not None:
                expr = self.runner.materialize(expr)
            elif self.con is not None:
                expr = backends.materialize(self.con, self.backend, expr)
            self._shared[key] = expr
        return self._shared[key]


def months_table(indices: list[int], ages: dict[str, int] | None = None) -> ir.Table:
    """A small table of months: ``month_idx``, ``m_end``, ``ref_week`` and, per named age,
    ``born_by_<name>``: the latest birth date of a person at least that old at ``m_end``."""
    ages = ages or {}
    data: dict[str, list[Any]] = {
        "month_idx": indices,
        "m_end": [month_last(i) for i in indices],
        "ref_week": [reference_week(i) for i in indices],
    }
    for name, age in ages.items():
        data[f"born_by_{name}"] = [born_on_or_before_for_age(month_last(i), age) for i in indices]
    schema = {"month_idx": "int64", "m_end": "date", "ref_week": "date"}
    schema.update({f"born_by_{name}": "date" for name in ages})
    return ibis.memtable(data, schema=schema)


def date_lit(d: dt.date) -> ir.DateScalar:
    """A date literal."""
    return ibis.date(d.year, d.month, d.day)


def month_of(d: ir.DateValue) -> ir.IntegerValue:
    """The month index (year * 12 + month - 1) of a date."""
    # cast first: some backends compute the parts as int32 whatever the expression's type says
    return d.year().cast("int64") * 12 + d.month().cast("int64") - 1


def age_at(birth: ir.DateValue, d: ir.DateValue) -> ir.IntegerValue:
    """Completed years of age on ``d`` of a person born on ``birth``."""

    def i64(v: ir.IntegerValue) -> ir.IntegerValue:
        # explicit casts: polars computes month() and day() as int8, and month * 100 would wrap
        return v.cast("int64")

    before_birthday = (i64(d.month()) * 100 + i64(d.day())) < (i64(birth.month()) * 100 + i64(birth.day()))
    return i64(d.year()) - i64(birth.year()) - before_birthday.ifelse(1, 0)


def resident_on(persons: ir.Table, d: ir.DateValue) -> ir.BooleanValue:
    """Resident on ``d``: moved_in <= d < moved_out, an empty date meaning always/never."""
    return (persons.moved_in.isnull() | (persons.moved_in <= d)) & (
        persons.moved_out.isnull() | (d < persons.moved_out)
    )


def flag(cond: ir.BooleanValue) -> ir.IntegerValue:
    """1 where ``cond`` holds, else 0 (sums of this count rows on every backend)."""
    return cond.ifelse(1, 0).cast("int64")


def attribute(ctx: Context, t: ir.Table, on: str, domain: str, *, keys_unique: bool = False) -> ir.Table:
    """``t`` with ``unit_id``: the unit of the person's assignment in ``domain`` valid on the
    date in column ``on``, else ``_unassigned``."""
    a = ctx.registers.assignments
    a = a.filter(a.domain == domain).select(
        a_person_id="person_id", a_unit_id="unit_id", a_from="valid_from", a_to="valid_to"
    )
    if ctx.backend != "polars":
        # one left join with the validity dates in its condition (assignments never overlap)
        out = t.left_join(
            a,
            [
                t.person_id == a.a_person_id,
                a.a_from <= t[on],
                a.a_to.isnull() | (a.a_to >= t[on]),
            ],
        )
        return out.select(*t.columns, unit_id=out.a_unit_id.fill_null(UNASSIGNED))
    # polars joins on equality only: match the (person, date) keys first, then join them back
    keys = t.select("person_id", on)
    if not keys_unique:
        keys = keys.distinct()
    j = keys.join(a, keys.person_id == a.a_person_id)
    j = j.filter((j.a_from <= j[on]) & (j.a_to.isnull() | (j.a_to >= j[on])))
    j = j.select(k_person_id="person_id", k_on=on, k_unit_id="a_unit_id")
    out = t.left_join(j, [t.person_id == j.k_person_id, t[on] == j.k_on])
    return out.select(*t.columns, unit_id=out.k_unit_id.fill_null(UNASSIGNED))


def persons_of_age(ctx: Context, indices: list[int], *, min_age: int | None, max_age: int | None) -> ir.Table:
    """The persons aged ``min_age``-``max_age`` (inclusive) at the end of at least one of the
    months, by birth date alone (residence not checked): ``person_id``, ``birth_date``,
    ``moved_in``, ``moved_out``."""
    p = ctx.registers.persons
    ends = [month_last(i) for i in indices]
    if min_age is not None:
        p = p.filter(p.birth_date <= date_lit(born_on_or_before_for_age(max(ends), min_age)))
    if max_age is not None:
        p = p.filter(p.birth_date > date_lit(born_on_or_before_for_age(min(ends), max_age + 1)))
    return p


def young_persons(ctx: Context, *, min_age: int, max_age: int) -> ir.Table:
    """``person_id`` of everyone aged ``min_age``-``max_age`` at the end of some month of the run
    (a superset of :func:`residents_at_month_end`'s persons, for narrowing other reads)."""
    return persons_of_age(ctx, ctx.months.indices, min_age=min_age, max_age=max_age).select("person_id")


def residents_at_month_end(
    ctx: Context, indices: list[int], *, min_age: int | None = None, max_age: int | None = None
) -> ir.Table:
    """Residents at the end of each month, optionally by age (inclusive bounds) at that date:
    ``person_id``, ``month_idx``, ``m_end``."""
    ages: dict[str, int] = {}
    if min_age is not None:
        ages["min"] = min_age
    if max_age is not None:
        ages["over"] = max_age + 1
    months = months_table(indices, ages)
    p = persons_of_age(ctx, indices, min_age=min_age, max_age=max_age)
    j = p.cross_join(months)
    j = filter_crossed(ctx, j, resident_of_age(j, min_age=min_age, max_age=max_age))
    return j.select("person_id", "month_idx", "m_end")


def resident_of_age(j: ir.Table, *, min_age: int | None, max_age: int | None) -> ir.BooleanValue:
    """Resident at ``m_end`` and aged ``min_age``-``max_age`` then, on a persons-by-months table
    with the ``born_by_min``/``born_by_over`` columns of :func:`months_table`."""
    cond = resident_on(j, j.m_end)
    if min_age is not None:
        cond &= j.birth_date <= j.born_by_min
    if max_age is not None:
        cond &= j.birth_date > j.born_by_over
    return cond


def filter_crossed(ctx: Context, t: ir.Table, cond: ir.BooleanValue) -> ir.Table:
    """``t`` (rows crossed with a small table of months) where ``cond`` holds.

    On DuckDB the condition is wrapped in a CASE: left bare, its comparisons between the two
    sides become the conditions of an inequality join, which sorts the large side; a cross
    product with a dozen months and a filter costs a third less. The rows kept are the same
    (CASE turns an unknown into false, and a filter keeps neither)."""
    if ctx.backend == "duckdb":
        cond = cond.ifelse(True, False)
    return t.filter(cond)


def counts_at_month_end(
    ctx: Context,
    persons: ir.Table,
    months: ir.Table,
    domain: str,
    where: Callable[[ir.Table], ir.BooleanValue],
    sums: Callable[[ir.Table], dict[str, ir.IntegerValue]],
    *,
    key: tuple[Any, ...],
) -> ir.Table:
    """Per unit and month: ``n``, the persons (rows of ``persons``) for whom ``where`` holds at
    the month's end (``m_end`` of ``months``), and the ``sums`` over them, each person counted
    under their ``domain`` assignment valid at ``m_end``, else under ``_unassigned``.

    The same numbers as attributing every person-month and counting, computed per person and
    assignment span: the persons are joined to their spans on the person id alone (one probe per
    person, not per person and month), the months are crossed in after, and the unassigned are
    the month's total less the assigned (spans of one person and domain never overlap, so a
    person-month is counted under at most one span). ``key`` names ``persons`` among the kept
    intermediate results (where the persons joined to their spans are kept, under it).
    """
    a = ctx.registers.assignments
    spans = a.filter(a.domain == domain).select(
        a_person_id="person_id", a_unit_id="unit_id", a_from="valid_from", a_to="valid_to"
    )

    def counted(t: ir.Table, *keys: Any, **named: Any) -> ir.Table:
        return t.group_by(*keys, **named).agg(
            n=t.count().cast("int64"), **{k: v.sum().cast("int64") for k, v in sums(t).items()}
        )

    names = ["n", *sums(persons.cross_join(months))]
    total = persons.cross_join(months)
    total = counted(filter_crossed(ctx, total, where(total)), "month_idx")
    joined = persons.join(spans, persons.person_id == spans.a_person_id)
    if ctx.backend != "duckdb":
        # kept, so that the months are crossed in after the join (DuckDB does so by itself, the
        # months being crossed in through filter_crossed)
        joined = ctx.shared(("person_spans", domain, *key), lambda: joined)
    ps = joined.cross_join(months)
    ps = filter_crossed(ctx, ps, where(ps) & (ps.a_from <= ps.m_end) & (ps.a_to.isnull() | (ps.a_to >= ps.m_end)))
    assigned = counted(ps, "month_idx", unit_id=ps.a_unit_id)
    per_month = assigned.group_by(s_month_idx="month_idx").agg(**{f"s_{k}": assigned[k].sum() for k in names})
    u = total.left_join(per_month, total.month_idx == per_month.s_month_idx)
    u = u.select(
        unit_id=ibis.literal(UNASSIGNED),
        month_idx=u.month_idx,
        **{k: (u[k] - u[f"s_{k}"].fill_null(0)).cast("int64") for k in names},
    )
    both = ibis.union(assigned.select("unit_id", "month_idx", *names), u.filter(u.n > 0))
    return both.group_by("unit_id", "month_idx").agg(**{k: both[k].sum().cast("int64") for k in names})


MASK_MONTHS = 62
"""Months of status that fit in one int64 bit mask (bit k: month ``first + k``)."""

BIT_OR_BACKENDS = ("duckdb", "postgres")
"""Where Ibis compiles a bitwise-OR aggregate and the bitwise operators on integers."""


HOURS_LEAD = 2
"""The hours masks cover the run's months and the two before them (the youth's m-2 and m-1)."""


def hours_masks_apply(ctx: Context) -> bool:
    """Whether the run's hours can be read as masks (:func:`hours_masks`): a bit-OR backend and
    at most :data:`MASK_MONTHS` months with the :data:`HOURS_LEAD` before them."""
    return ctx.backend in BIT_OR_BACKENDS and len(ctx.months.extended(HOURS_LEAD).indices) <= MASK_MONTHS


def hours_masks(ctx: Context, family: str, reader: HoursReader) -> ir.Table:
    """Per person of ``reader.persons()`` with employment hours in the run's months or the
    :data:`HOURS_LEAD` before (where :func:`hours_masks_apply`): ``h_person_id``; ``paid``, whose
    bit k says "hours > 0 in month ``first + k``"; and ``work``, whose bit k says "hours summed
    over all employers >= ``reader.min_hours`` in that month".

    When the run declared its hours readers (``ctx.hours_readers``) and ``family`` is one of
    them, the hours are read once for all of them: the persons are the union of theirs (the
    youth and the long-term cash-benefit recipients, say), and the result is shared.
    """
    if not hours_masks_apply(ctx):
        raise ValueError(f"hours masks need a bit-OR backend and at most {MASK_MONTHS} months")
    months = ctx.months.extended(HOURS_LEAD)
    planned = ctx.hours_readers
    thresholds = {r.min_hours for r in planned.values() if r.min_hours is not None}
    if family in planned and len(thresholds) <= 1 and reader.min_hours in (None, *thresholds):
        threshold = next(iter(thresholds), 0.0)
        readers = [planned[name].persons for name in sorted(planned)]
        return ctx.shared(("hours_masks", *sorted(planned)), lambda: _hours_masks(ctx, months, threshold, readers))
    return ctx.shared(
        ("hours_masks", family, reader.min_hours),
        lambda: _hours_masks(ctx, months, reader.min_hours or 0.0, [reader.persons]),
    )


def _hours_masks(ctx: Context, months: MonthRange, min_hours: float, persons: list[Callable[[], ir.Table]]) -> ir.Table:
    """The expression behind :func:`hours_masks`.

    Hours are never negative (validation refuses them), so a month with one row of at least
    ``min_hours`` is a working month whatever the other rows hold, and a month with a row above
    0 is a paid one. Only the rows below the threshold need adding up per person and month: the
    persons' rows are grouped by person alone (a bit per month, OR-ed), and only the short rows
    (about a tenth) by person and month, instead of grouping every row by person and month.
    """
    eh = ctx.registers.employment_hours
    eh = eh.filter(eh.month >= date_lit(month_first(months.first)), eh.month <= date_lit(month_last(months.last)))
    who = ibis.union(*(p().select("person_id") for p in persons))
    eh = eh.semi_join(who, "person_id")
    eh = eh.select("person_id", "hours", k=month_of(eh.month) - months.first)
    zero = ibis.literal(0, "int64")

    def bit(k: ir.IntegerValue) -> ir.IntegerValue:
        if ctx.backend == "duckdb":
            shifted: ir.IntegerValue = ibis.literal(1, "int64") << k  # k is a BIGINT: a BIGINT shift
            return shifted
        # 2 ** k, exact in a double up to 2 ** 62 (PostgreSQL shifts a bigint by an int only)
        return (ibis.literal(2.0) ** k).cast("int64")

    rows = eh.group_by(h_person_id=eh.person_id).agg(
        work=(eh.hours >= min_hours).ifelse(bit(eh.k), zero).bit_or(),
        paid=(eh.hours > 0).ifelse(bit(eh.k), zero).bit_or(),
    )
    short = eh.filter(eh.hours < min_hours)
    added = short.group_by("person_id", "k").agg(total=short.hours.sum())
    added = added.filter(added.total >= min_hours)
    added = added.group_by(h_person_id=added.person_id).agg(work=bit(added.k).bit_or())
    both = ibis.union(rows, added.mutate(paid=zero))
    return both.group_by("h_person_id").agg(work=both.work.bit_or(), paid=both.paid.bit_or())


def aggregate(t: ir.Table, numerator: ir.IntegerValue) -> ir.Table:
    """Count the population rows of ``t`` per unit and month, with ``numerator`` summed."""
    return t.group_by("unit_id", "month_idx").agg(
        numerator=numerator.sum().cast("int64"), denominator=t.count().cast("int64")
    )
