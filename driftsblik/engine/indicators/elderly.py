"""Elderly medical patients (domain ``aeldre``): readmissions and preventable admissions."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from driftsblik.engine.indicators import register_indicator
from driftsblik.engine.indicators.base import (
    Context,
    age_at,
    aggregate,
    attribute,
    counts_at_month_end,
    date_lit,
    flag,
    month_of,
    months_table,
    persons_of_age,
    resident_of_age,
    resident_on,
)
from driftsblik.engine.periods import month_first, month_last

DOMAIN = "aeldre"


def _events(ctx: Context, column: str, min_age: int) -> ir.Table:
    """Admissions whose date in ``column`` falls in the months, of persons resident and aged
    ``min_age``+ on that date: ``person_id``, ``admitted``, ``discharged``, ``preventable``."""
    adm = ctx.registers.admissions
    d = adm[column]
    adm = adm.filter(d >= date_lit(month_first(ctx.months.first)), d <= date_lit(month_last(ctx.months.last)))
    p = ctx.registers.persons
    j = adm.join(p, "person_id")
    j = j.filter(resident_on(j, j[column]), age_at(j.birth_date, j[column]) >= min_age)
    return j.select("person_id", "admitted", "discharged", "preventable")


@register_indicator("elderly_readmission_30d", "share")
def elderly_readmission_30d(ctx: Context, *, min_age: int = 65, readmission_days: int = 30) -> ir.Table:
    """Share of discharges followed by a readmission within 30 days (flow, %).

    Rule: of the discharges in month m of persons resident and aged ``min_age`` (65)+ on the
    discharge date, those followed by an admission of the same person strictly after the
    discharge date and at most ``readmission_days`` (30) days after it. Attributed to the
    person's aeldre assignment valid on the discharge date, else ``_unassigned``.
    Value = 100 * numerator / denominator.
    """
    disc = _events(ctx, "discharged", min_age).select("person_id", "discharged")
    adm = ctx.registers.admissions.select(r_person_id="person_id", r_admitted="admitted")
    keys = disc.distinct()
    pairs = keys.join(adm, keys.person_id == adm.r_person_id)
    pairs = pairs.filter(
        pairs.r_admitted > pairs.discharged,
        pairs.r_admitted <= pairs.discharged + ibis.interval(days=readmission_days),
    )
    readm = pairs.select(x_person_id="person_id", x_discharged="discharged").distinct()
    j = disc.left_join(readm, [disc.person_id == readm.x_person_id, disc.discharged == readm.x_discharged])
    j = j.select("person_id", "discharged", readmitted=j.x_person_id.notnull())
    j = attribute(ctx, j, "discharged", DOMAIN)
    j = j.mutate(month_idx=month_of(j.discharged))
    return aggregate(j, flag(j.readmitted))


@register_indicator("elderly_preventable_admissions_per_1000", "rate_per_1000")
def elderly_preventable_admissions_per_1000(ctx: Context, *, min_age: int = 65) -> ir.Table:
    """Preventable admissions per 1000 elderly residents (flow, rate per 1000).

    Rule: numerator: preventable admissions in month m of persons resident and aged
    ``min_age`` (65)+ on the admission date, attributed to their aeldre assignment valid on that
    date. Denominator: residents aged ``min_age``+ at the month's end, attributed to their aeldre
    assignment valid at that date. Unassigned persons go to ``_unassigned``.
    Value = 1000 * numerator / denominator.
    """
    ev = _events(ctx, "admitted", min_age)
    ev = ev.filter(ev.preventable).select("person_id", "admitted")
    ev = attribute(ctx, ev, "admitted", DOMAIN)
    num = ev.group_by("unit_id", month_idx=month_of(ev.admitted)).agg(
        numerator=ev.count().cast("int64"), denominator=ibis.literal(0, "int64")
    )
    # the residents of the ages counted per person and assignment span, not per person-month
    old = persons_of_age(ctx, ctx.months.indices, min_age=min_age, max_age=None)
    counts = counts_at_month_end(
        ctx,
        old,
        months_table(ctx.months.indices, {"min": min_age}),
        DOMAIN,
        lambda t: resident_of_age(t, min_age=min_age, max_age=None),
        lambda t: {},
        key=("elderly", min_age),
    )
    den = counts.select("unit_id", "month_idx", numerator=ibis.literal(0, "int64"), denominator=counts.n)
    both = ibis.union(num, den)
    return both.group_by("unit_id", "month_idx").agg(
        numerator=both.numerator.sum().cast("int64"), denominator=both.denominator.sum().cast("int64")
    )
