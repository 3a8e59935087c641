"""Long-term cash-benefit recipients (domain ``beskaeftigelse``).

Benefit weeks are read in one pass, per person in week order, with the 52-week window as a
windowed count (on polars, which has no window functions, as one conditional count per month);
the resulting person-month status is computed once and reused by both indicators.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from driftsblik.engine.contract import CASH_BENEFITS
from driftsblik.engine.indicators import register_indicator
from driftsblik.engine.indicators.base import (
    HOURS_LEAD,
    Context,
    HoursReader,
    aggregate,
    attribute,
    date_lit,
    flag,
    hours_masks,
    hours_masks_apply,
    month_of,
    months_table,
    resident_on,
)
from driftsblik.engine.periods import month_first, month_last, reference_week
from driftsblik.engine.sqlfuncs import BIT_COUNT_BACKENDS, WORD_BITS, bit_count, word_and_bit, words_for
from driftsblik.engine.weeks import week_no, week_no_of

DOMAIN = "beskaeftigelse"


def cash_person_months(ctx: Context, *, weeks_required: int = 42, window_weeks: int = 52) -> ir.Table:
    """Residents on kontanthjaelp or uddannelseshjaelp in the reference week of month m, with
    ``long_term`` true when they had one of those benefits in at least ``weeks_required`` of the
    ``window_weeks`` weeks ending with the reference week; attributed at the month's end.

    Columns: ``person_id``, ``month_idx``, ``m_end``, ``long_term``, ``unit_id``.
    """

    def build() -> ir.Table:
        indices = ctx.months.indices
        refs = {m: reference_week(m) for m in indices}
        starts = {m: refs[m] - dt.timedelta(weeks=window_weeks - 1) for m in indices}
        bw = ctx.registers.benefit_weeks
        bw = bw.filter(
            bw.benefit.isin(CASH_BENEFITS),
            bw.week >= date_lit(min(starts.values())),
            bw.week <= date_lit(max(refs.values())),
        )
        sets = ctx.week_sets
        lo, hi = _cash_weeks(ctx, weeks_required=weeks_required, window_weeks=window_weeks)
        if sets is not None and sets.covers(lo, hi):
            # the run's one pass over the benefit weeks (shared with validation)
            per = sets.table
            any_cash: ir.BooleanValue = ibis.literal(False)
            for w in sets.cash_words:
                any_cash |= per[f"c{w}"] != 0
            per = per.filter(any_cash).select("person_id", **{f"b{w}": per[f"c{w}"] for w in sets.cash_words})
            long = _counts_from_bits(per, sets.first, sets.cash_words, indices, refs, weeks_required, window_weeks)
        elif ctx.backend == "polars":
            long = _wide_counts(ctx, bw, indices, refs, starts, weeks_required, window_weeks)
        elif ctx.backend in BIT_COUNT_BACKENDS:
            long = _bit_set_counts(bw, indices, refs, weeks_required, window_weeks)
        else:
            long = _windowed_counts(bw, indices, weeks_required, window_weeks)
        months = months_table(indices)
        j = long.join(months, "month_idx")
        p = ctx.registers.persons
        j = j.join(p, "person_id")
        j = j.filter(resident_on(j, j.m_end)).select("person_id", "month_idx", "m_end", "long_term")
        return attribute(ctx, j, "m_end", DOMAIN, keys_unique=True)

    return ctx.shared(("cash", weeks_required, window_weeks), build)


def _windowed_counts(bw: ir.Table, indices: list[int], weeks_required: int, window_weeks: int) -> ir.Table:
    """One pass per person: the weeks on benefit in the ``window_weeks`` ending with each week (a
    windowed count over the week number), kept for the weeks that are a reference week."""
    k = (bw.week.epoch_days() // 7).cast("int64")  # consecutive Mondays get consecutive numbers
    t = bw.select("person_id", "week", k=k)
    window = ibis.window(group_by="person_id", order_by="k", range=(-(window_weeks - 1), 0))
    t = t.mutate(n=t.k.count().over(window))
    refs = months_table(indices).select("month_idx", "ref_week")
    j = t.join(refs, t.week == refs.ref_week)
    return j.select("person_id", "month_idx", long_term=j.n >= weeks_required)


def _bit_set_counts(
    bw: ir.Table, indices: list[int], refs: dict[int, dt.date], weeks_required: int, window_weeks: int
) -> ir.Table:
    """The same as :func:`_windowed_counts` without sorting: per person, the weeks on benefit
    as a bit set (a few BIGINTs, one bit per week, OR-ed in one hash aggregation), then per
    month a test of the reference week's bit and a count of the bits in the window (constant
    masks per month, crossed in from a small table)."""
    k = week_no_of(bw.week)
    first = week_no(min(refs.values())) - (window_weeks - 1)
    words = words_for(first, week_no(max(refs.values())))
    t = bw.select("person_id", k=k)
    t = t.filter(t.k >= first)
    word, bit = word_and_bit(t.k, first)
    t = t.select("person_id", word=word, bit=bit)
    per = t.group_by("person_id").agg(**{f"b{w}": t.bit.bit_or(where=t.word == w) for w in range(words)})
    per = per.select("person_id", **{f"b{w}": per[f"b{w}"].fill_null(0) for w in range(words)})
    return _counts_from_bits(per, first, list(range(words)), indices, refs, weeks_required, window_weeks)


def _counts_from_bits(
    per: ir.Table,
    first: int,
    words: list[int],
    indices: list[int],
    refs: dict[int, dt.date],
    weeks_required: int,
    window_weeks: int,
) -> ir.Table:
    """``person_id``, ``month_idx``, ``long_term`` from per-person bit sets ``b<w>`` (``w`` in
    ``words``; bit ``b`` of word ``w`` is week number ``first + w * WORD_BITS + b``)."""

    def word_mask(lo: int, hi: int, w: int) -> int:
        """The bits of the week numbers lo..hi that fall in word w."""
        start = first + w * WORD_BITS
        return sum(1 << (n - start) for n in range(max(lo, start), min(hi, start + WORD_BITS - 1) + 1))

    masks: dict[str, list[int]] = {"c_month_idx": indices}
    for w in words:
        ref_no = {m: week_no(refs[m]) for m in indices}
        masks[f"r{w}"] = [word_mask(ref_no[m], ref_no[m], w) for m in indices]
        masks[f"m{w}"] = [word_mask(ref_no[m] - (window_weeks - 1), ref_no[m], w) for m in indices]
    t = ibis.memtable(masks, schema=dict.fromkeys(masks, "int64"))
    j = per.cross_join(t)
    on_ref: ir.BooleanValue = ibis.literal(False)
    count: ir.IntegerValue = ibis.literal(0, "int64")
    for w in words:
        on_ref |= (j[f"b{w}"] & j[f"r{w}"]) != 0
        count = count + bit_count(j[f"b{w}"] & j[f"m{w}"])
    j = j.filter(on_ref)
    return j.select("person_id", month_idx=j.c_month_idx, long_term=count >= weeks_required)


def _wide_counts(
    ctx: Context,
    bw: ir.Table,
    indices: list[int],
    refs: dict[int, dt.date],
    starts: dict[int, dt.date],
    weeks_required: int,
    window_weeks: int,
) -> ir.Table:
    """The same as :func:`_windowed_counts` without window functions (the polars backend has
    none): per person one conditional count per month, then one row per month."""
    aggs: dict[str, ir.Value] = {}
    for m in indices:
        in_window = (bw.week >= date_lit(starts[m])) & (bw.week <= date_lit(refs[m]))
        aggs[f"n_{m}"] = flag(in_window).sum()
        aggs[f"r_{m}"] = flag(bw.week == date_lit(refs[m])).sum()
    wide = ctx.shared(("cash_wide", window_weeks), lambda: bw.group_by("person_id").agg(**aggs))
    return ibis.union(
        *(
            wide.filter(wide[f"r_{m}"] > 0).select(
                "person_id",
                month_idx=ibis.literal(m, "int64"),
                long_term=wide[f"n_{m}"] >= weeks_required,
            )
            for m in indices
        )
    )


def _cash_weeks(ctx: Context, *, weeks_required: int = 42, window_weeks: int = 52) -> tuple[int, int]:
    """The week numbers of cash-benefit weeks the run reads: the window of the first month to
    the reference week of the last."""
    last = week_no(reference_week(ctx.months.last))
    return week_no(reference_week(ctx.months.first)) - (window_weeks - 1), last


@register_indicator("cash_benefit_long_term", "count", weeks=_cash_weeks)
def cash_benefit_long_term(ctx: Context, *, weeks_required: int = 42, window_weeks: int = 52) -> ir.Table:
    """Long-term cash-benefit recipients at the month's end (stock, count).

    Rule: residents at the month's end who are on kontanthjaelp or uddannelseshjaelp in the
    reference week (the week, Monday, containing the month's last day) and in at least
    ``weeks_required`` (42) of the ``window_weeks`` (52) weeks ending with the reference week.
    Attributed to the person's beskaeftigelse assignment valid at the month's end, else
    ``_unassigned``. Rows: every unit with a resident on cash benefit in the reference week.
    """
    pm = cash_person_months(ctx, weeks_required=weeks_required, window_weeks=window_weeks)
    return aggregate(pm, flag(pm.long_term))


def _worked_months(ctx: Context, persons: ir.Table, min_hours: float) -> ir.Table:
    """(person_id, month_idx) where the summed employment hours in the month exceed ``min_hours``."""
    eh = ctx.registers.employment_hours
    eh = eh.filter(
        eh.month >= date_lit(month_first(ctx.months.first)),
        eh.month <= date_lit(month_last(ctx.months.last)),
    )
    eh = eh.semi_join(persons, "person_id")
    pm = eh.group_by("person_id", month_idx=month_of(eh.month)).agg(hours=eh.hours.sum())
    return pm.filter(pm.hours > min_hours).select(w_person_id="person_id", w_month_idx="month_idx")


def _long_term_persons(ctx: Context, *, weeks_required: int, window_weeks: int) -> ir.Table:
    pm = cash_person_months(ctx, weeks_required=weeks_required, window_weeks=window_weeks)
    return pm.filter(pm.long_term).select("person_id").distinct()


def _in_work_hours(ctx: Context, *, weeks_required: int = 42, window_weeks: int = 52) -> tuple[str, HoursReader]:
    """The long-term recipients' hours are read (only whether they are above 0)."""
    return "cash_in_work", HoursReader(
        lambda: _long_term_persons(ctx, weeks_required=weeks_required, window_weeks=window_weeks), None
    )


@register_indicator("cash_benefit_long_term_in_work", "share", hours=_in_work_hours, weeks=_cash_weeks)
def cash_benefit_long_term_in_work(ctx: Context, *, weeks_required: int = 42, window_weeks: int = 52) -> ir.Table:
    """Share of long-term cash-benefit recipients with employment hours in the month (stock, %).

    Rule: of the persons counted by ``cash_benefit_long_term`` in month m (same attribution),
    those whose employment hours in m, summed over all employers, are greater than 0.
    Value = 100 * numerator / denominator.
    """
    pm = cash_person_months(ctx, weeks_required=weeks_required, window_weeks=window_weeks)
    lt = pm.filter(pm.long_term)
    if hours_masks_apply(ctx):
        # the hours read once per run, with the youth's if they are in it too
        masks = hours_masks(ctx, *_in_work_hours(ctx, weeks_required=weeks_required, window_weeks=window_weeks))
        j = lt.left_join(masks, lt.person_id == masks.h_person_id)
        base = ctx.months.first - HOURS_LEAD
        paid = (j.paid.fill_null(0) >> (j.month_idx - base).cast("int32")) & 1
        return aggregate(j, paid.cast("int64"))
    worked = _worked_months(ctx, lt.select("person_id").distinct(), 0.0)
    j = lt.left_join(worked, [lt.person_id == worked.w_person_id, lt.month_idx == worked.w_month_idx])
    return aggregate(j, flag(j.w_person_id.notnull()))
