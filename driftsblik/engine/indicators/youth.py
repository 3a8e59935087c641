"""The youth guarantee (domain ``unge``): young people in job or education, and those in neither.

The status of each young person and month (active: in education at the month's end or
working at least 40 hours in the month) is computed and counted per unit and month in one query
(:func:`youth_counts`), whose small result both indicators read.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from driftsblik.engine.indicators import register_indicator
from driftsblik.engine.indicators.base import (
    BIT_OR_BACKENDS,
    HOURS_LEAD,
    MASK_MONTHS,
    Context,
    HoursReader,
    attribute,
    counts_at_month_end,
    date_lit,
    flag,
    hours_masks,
    hours_masks_apply,
    month_of,
    months_table,
    persons_of_age,
    resident_of_age,
    residents_at_month_end,
    young_persons,
)
from driftsblik.engine.periods import month_first, month_last

DOMAIN = "unge"
NEET_MONTHS = 3
assert HOURS_LEAD == NEET_MONTHS - 1, "the shared hours masks start where the youth status does"


def youth_person_months(ctx: Context, *, min_age: int = 15, max_age: int = 29, min_hours: float = 40.0) -> ir.Table:
    """Residents aged ``min_age``-``max_age`` at the end of month m, attributed at that date, with
    ``active`` (in education at the month's end, or employment hours >= ``min_hours`` in m) and
    ``neet`` (not active in any of m, m-1 and m-2).

    Columns: ``person_id``, ``month_idx``, ``m_end``, ``unit_id``, ``active``, ``neet``.
    """

    return ctx.shared(
        ("youth", min_age, max_age, float(min_hours)),
        lambda: _youth_status(ctx, min_age=min_age, max_age=max_age, min_hours=min_hours, share_pop=True),
    )


def youth_counts(ctx: Context, *, min_age: int = 15, max_age: int = 29, min_hours: float = 40.0) -> ir.Table:
    """The youth status counted per unit and month, shared by both indicators: ``unit_id``,
    ``month_idx``, ``young`` (the population), ``active`` and ``neet`` (int64).

    The same numbers as counting :func:`youth_person_months`, taken per person and assignment
    span (:func:`~driftsblik.engine.indicators.base.counts_at_month_end`): each person of the
    ages is read once with their activity mask, and no person-month probes the assignments or
    the masks. Over more months than one mask holds, the person-month status is counted."""

    def build() -> ir.Table:
        status = ctx.months.extended(NEET_MONTHS - 1)
        if len(status.indices) > MASK_MONTHS:
            pm = _youth_status(ctx, min_age=min_age, max_age=max_age, min_hours=min_hours, share_pop=False)
            return pm.group_by("unit_id", "month_idx").agg(
                young=pm.count().cast("int64"),
                active=flag(pm.active).sum().cast("int64"),
                neet=flag(pm.neet).sum().cast("int64"),
            )
        # per person: the activity mask; per month: its bits for m and for m-2..m
        indices = ctx.months.indices
        p = persons_of_age(ctx, indices, min_age=min_age, max_age=max_age)
        if hours_masks_apply(ctx):
            # the hours as one mask per person (shared with the cash-benefit indicators), OR-ed
            # with the months in education
            work = hours_masks(ctx, *_youth_hours(ctx, min_age=min_age, max_age=max_age, min_hours=min_hours))
            studying = _studying(ctx, p.select("person_id"))
            edu = _mask_of(studying, status.first, bit_or=True)
            p = p.left_join(work, p.person_id == work.h_person_id).left_join(edu, ibis._.person_id == edu.m_person_id)
            mask = p.work.fill_null(0) | p.mask.fill_null(0)
        else:
            working, studying = _activity(ctx, p.select("person_id"), min_hours)
            masks = _masks(ctx, working, studying, status.first)
            p = p.left_join(masks, p.person_id == masks.m_person_id)
            mask = p.mask.fill_null(0)
        p = p.select("person_id", "birth_date", "moved_in", "moved_out", mask=mask)
        # kept: one row per person, read twice below (so the mask is computed once, and joined
        # per person rather than per person and month)
        p = ctx.shared(("youth_persons", min_age, max_age, float(min_hours)), lambda: p)
        months = months_table(indices, {"min": min_age, "over": max_age + 1})
        bits = ibis.memtable(
            {
                "b_month_idx": indices,
                "b_now": [2 ** (m - status.first) for m in indices],
                "b_neet": [(2**NEET_MONTHS - 1) * 2 ** (m - status.first - NEET_MONTHS + 1) for m in indices],
            },
            schema={"b_month_idx": "int64", "b_now": "int64", "b_neet": "int64"},
        )
        months = months.join(bits, months.month_idx == bits.b_month_idx).drop("b_month_idx")
        counts = counts_at_month_end(
            ctx,
            p,
            months,
            DOMAIN,
            lambda t: resident_of_age(t, min_age=min_age, max_age=max_age),
            lambda t: {
                # bitwise tests: a division would go through a double and lose the low bits of
                # masks above 2 ** 53 (runs of more than 51 months)
                "active": flag((t.mask & t.b_now) != 0),
                "neet": flag((t.mask & t.b_neet) == 0),
            },
            key=("youth_persons", min_age, max_age, float(min_hours)),
        )
        return counts.rename(young="n")

    return ctx.shared(("youth_counts", min_age, max_age, float(min_hours)), build)


def _youth_status(ctx: Context, *, min_age: int, max_age: int, min_hours: float, share_pop: bool) -> ir.Table:
    """The expression behind :func:`youth_person_months`; ``share_pop`` keeps the attributed
    population on the backend (where other expressions reuse it)."""
    pop = residents_at_month_end(ctx, ctx.months.indices, min_age=min_age, max_age=max_age)
    if share_pop:
        pop = ctx.shared(
            ("youth_pop", min_age, max_age), lambda: attribute(ctx, pop, "m_end", DOMAIN, keys_unique=True)
        )
        young = pop.select("person_id").distinct()
    else:
        pop = attribute(ctx, pop, "m_end", DOMAIN, keys_unique=True)
        # everyone of the ages at some month's end (a superset of the population: it only
        # narrows the hours and education read; the join to the population decides)
        young = young_persons(ctx, min_age=min_age, max_age=max_age)
    status = ctx.months.extended(NEET_MONTHS - 1)
    working, studying = _activity(ctx, young, min_hours)

    if len(status.indices) <= MASK_MONTHS:
        if ctx.backend in BIT_OR_BACKENDS:
            # a bitwise OR per person makes a month counted twice harmless: no distinct needed
            both = ibis.union(working, studying)
            return _flags_by_mask(pop, both, status.first, ctx.months.indices, bit_or=True)
        active = ibis.union(working, studying, distinct=True)
        return _flags_by_mask(pop, active, status.first, ctx.months.indices)
    active = ibis.union(working, studying, distinct=True)
    active = ctx.shared(("youth_active", min_age, max_age, float(min_hours)), lambda: active)
    # one aggregate per person and month over the population rows and the active months
    # shifted by 0, 1 and 2: active in m, and active in any of m, m-1, m-2
    null_unit = ibis.null("string")
    parts = [
        pop.select(
            "person_id",
            "month_idx",
            unit_id="unit_id",
            is_pop=ibis.literal(1),
            now=ibis.literal(0),
            recent=ibis.literal(0),
        ),
        *(
            active.select(
                "person_id",
                month_idx=active.month_idx + k,
                unit_id=null_unit,
                is_pop=ibis.literal(0),
                now=ibis.literal(1 if k == 0 else 0),
                recent=ibis.literal(1),
            )
            for k in range(NEET_MONTHS)
        ),
    ]
    u = ibis.union(*parts)
    g = u.group_by("person_id", "month_idx").agg(
        unit_id=u.unit_id.max(), is_pop=u.is_pop.max(), now=u.now.max(), recent=u.recent.max()
    )
    g = g.filter(g.is_pop == 1)
    return g.select("person_id", "month_idx", "unit_id", active=g.now == 1, neet=g.recent == 0)


def _activity(ctx: Context, young: ir.Table, min_hours: float) -> tuple[ir.Table, ir.Table]:
    """The months (``person_id``, ``month_idx``) in which the ``young`` persons worked at least
    ``min_hours``, and those at whose end they were in education, over the run's months and the
    two before; a person and month may be in both."""
    status = ctx.months.extended(NEET_MONTHS - 1)
    last_end = month_last(status.last)

    eh = ctx.registers.employment_hours
    eh = eh.filter(eh.month >= date_lit(month_first(status.first)), eh.month <= date_lit(last_end))
    eh = eh.semi_join(young, "person_id")
    hours = eh.group_by("person_id", month_idx=month_of(eh.month)).agg(hours=eh.hours.sum())
    working = hours.filter(hours.hours >= min_hours).select("person_id", "month_idx")

    return working, _studying(ctx, young)


def _studying(ctx: Context, young: ir.Table) -> ir.Table:
    """The months (``person_id``, ``month_idx``) at whose end the ``young`` persons were in
    education, over the run's months and the two before."""
    status = ctx.months.extended(NEET_MONTHS - 1)
    first_end, last_end = month_last(status.first), month_last(status.last)
    ed = ctx.registers.education
    ed = ed.filter(ed.start_date <= date_lit(last_end), ed.end_date.isnull() | (ed.end_date >= date_lit(first_end)))
    ed = ed.semi_join(young, "person_id").cross_join(months_table(status.indices))
    ed = ed.filter((ed.start_date <= ed.m_end) & (ed.end_date.isnull() | (ed.end_date >= ed.m_end)))
    return ed.select("person_id", "month_idx")


def _masks(ctx: Context, working: ir.Table, studying: ir.Table, base: int) -> ir.Table:
    """One row per person active in some month: ``m_person_id`` and ``mask``, whose bit k says
    "active in month base + k" (up to :data:`MASK_MONTHS` months)."""
    if ctx.backend in BIT_OR_BACKENDS:
        # a bitwise OR per person makes a month counted twice harmless: no distinct needed
        return _mask_of(ibis.union(working, studying), base, bit_or=True)
    return _mask_of(ibis.union(working, studying, distinct=True), base, bit_or=False)


def _mask_of(active: ir.Table, base: int, *, bit_or: bool) -> ir.Table:
    bits = ibis.memtable(
        {"month_idx": list(range(base, base + MASK_MONTHS)), "bit": [2**k for k in range(MASK_MONTHS)]},
        schema={"month_idx": "int64", "bit": "int64"},
    )
    a = active.join(bits, "month_idx")
    return a.group_by(m_person_id=a.person_id).agg(mask=a.bit.bit_or() if bit_or else a.bit.sum())


def _flags_by_mask(pop: ir.Table, active: ir.Table, base: int, indices: list[int], *, bit_or: bool = False) -> ir.Table:
    """``active`` and ``neet`` from one integer per person whose bit k says "active in month
    base + k" (exact in int64 for up to 62 months): one small aggregate and one join instead of
    an aggregate over every person-month. ``active`` holds each person and month once, unless
    ``bit_or`` (the bits are then OR-ed, not summed)."""
    masks = _mask_of(active, base, bit_or=bit_or)
    now = ibis.memtable(
        {
            "b_month_idx": indices,
            "b_now": [2 ** (m - base) for m in indices],
            "b_neet": [(2**NEET_MONTHS - 1) * 2 ** (m - base - NEET_MONTHS + 1) for m in indices],
        },
        schema={"b_month_idx": "int64", "b_now": "int64", "b_neet": "int64"},
    )
    j = pop.join(now, pop.month_idx == now.b_month_idx).left_join(masks, ibis._.person_id == masks.m_person_id)
    mask = j.mask.fill_null(0)
    return j.select(
        "person_id",
        "month_idx",
        "unit_id",
        active=(mask & j.b_now) != 0,
        neet=(mask & j.b_neet) == 0,
    )


def _youth_hours(
    ctx: Context, *, min_age: int = 15, max_age: int = 29, min_hours: float = 40.0
) -> tuple[str, HoursReader]:
    """The youth read the hours of everyone of the ages at the end of some month of the run."""
    return "youth", HoursReader(lambda: young_persons(ctx, min_age=min_age, max_age=max_age), float(min_hours))


@register_indicator("youth_in_job_or_education", "share", hours=_youth_hours)
def youth_in_job_or_education(
    ctx: Context, *, min_age: int = 15, max_age: int = 29, min_hours: float = 40.0
) -> ir.Table:
    """Share of young residents in job or education at the month's end (stock, %).

    Rule: of residents aged ``min_age``-``max_age`` (15-29) at the month's end, attributed to
    their unge assignment valid at that date (else ``_unassigned``), those in education at the
    month's end (start_date <= end <= end_date, an empty end date meaning open) or with
    employment hours summed over all employers >= ``min_hours`` (40) in the month.
    Value = 100 * numerator / denominator.
    """
    c = youth_counts(ctx, min_age=min_age, max_age=max_age, min_hours=min_hours)
    return c.select("unit_id", "month_idx", numerator=c.active, denominator=c.young)


@register_indicator("youth_neet_3m", "count", hours=_youth_hours)
def youth_neet_3m(ctx: Context, *, min_age: int = 15, max_age: int = 29, min_hours: float = 40.0) -> ir.Table:
    """Young residents in neither job nor education for three months (stock, count).

    Rule: residents aged ``min_age``-``max_age`` (15-29) at the end of month m who were in
    neither education at the month's end nor employment hours >= ``min_hours`` (40) in the month,
    in each of m, m-1 and m-2 (age and residence are taken at the end of m only). Attributed to
    their unge assignment valid at the end of m, else ``_unassigned``. Rows: every unit with a
    young resident at the month's end.
    """
    c = youth_counts(ctx, min_age=min_age, max_age=max_age, min_hours=min_hours)
    return c.select("unit_id", "month_idx", numerator=c.neet, denominator=c.young)
