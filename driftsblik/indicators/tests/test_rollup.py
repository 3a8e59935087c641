"""The roll-up, worked by hand on a small tree, and as properties over random trees and figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.rollup import period_cells
from driftsblik.indicators.selectors import figures
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree, unit

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2025Q1")


def value(code, unit_id, period):
    from driftsblik.indicators.models import Indicator

    return figures(None, [Indicator.objects.get(code=code)], [unit_id], Period.parse(period))[(code, unit_id)]


def test_share_is_sum_over_sum_never_the_mean_of_ratios():
    small_tree()
    share = indicator("share", measure="share", temporal="stock")
    observe(share, "T11", "2025-03", 1, 2)  # 50 %
    observe(share, "T12", "2025-03", 30, 100)  # 30 %
    observe(share, "T21", "2025-03", 9, 10)  # 90 %
    institution = value("share", "I1", "2025-03")
    assert institution.numerator == 31 and institution.denominator == 102
    assert institution.value == Decimal(100) * 31 / 102  # 30.39 %, where the mean of ratios is 40 %
    assert institution.value != Decimal(40)
    root = value("share", "K", "2025-03")
    assert (root.numerator, root.denominator) == (40, 112)
    assert root.value == Decimal(100) * 40 / 112


def test_rate_per_1000_is_sum_over_sum():
    small_tree()
    rate = indicator("rate", measure="rate_per_1000")
    observe(rate, "T11", "2025-01", 2, 100)
    observe(rate, "T21", "2025-01", 3, 900)
    assert value("rate", "K", "2025-01").value == Decimal(1000) * 5 / 1000


def test_a_parents_own_observations_count_with_its_children():
    small_tree()
    visits = indicator("visits")
    observe(visits, "I1", "2025-01", 7)
    observe(visits, "T11", "2025-01", 3)
    assert value("visits", "I1", "2025-01").value == 10
    assert value("visits", "K", "2025-01").value == 10


def test_a_flow_over_a_quarter_adds_up():
    small_tree()
    visits = indicator("visits", temporal="flow")
    for month, t11, t12 in (("2025-01", 3, 1), ("2025-02", 4, 0), ("2025-03", 5, 2)):
        observe(visits, "T11", month, t11)
        observe(visits, "T12", month, t12)
    observe(visits, "T11", "2025-04", 100)  # outside the quarter
    assert value("visits", "T11", "2025Q1").value == 12
    assert value("visits", "I1", "2025Q1").value == 15
    assert value("visits", "I1", "2025").value == 115


def test_a_flow_share_over_a_quarter_is_sum_over_sum_of_the_months():
    small_tree()
    readmitted = indicator("readm", measure="share", temporal="flow")
    observe(readmitted, "T11", "2025-01", 1, 10)
    observe(readmitted, "T11", "2025-02", 9, 10)
    observe(readmitted, "T11", "2025-03", 0, 80)
    figure = value("readm", "T11", "2025Q1")
    assert (figure.numerator, figure.denominator) == (10, 100)
    assert figure.value == 10


def test_a_stock_over_a_quarter_takes_the_last_month():
    small_tree()
    citizens = indicator("citizens", temporal="stock")
    share = indicator("inwork", measure="share", temporal="stock")
    for month, number in (("2025-01", 40), ("2025-02", 42), ("2025-03", 45)):
        observe(citizens, "T11", month, number)
        observe(share, "T11", month, number // 4, number)
    observe(citizens, "T12", "2025-01", 10)
    observe(citizens, "T12", "2025-02", 11)  # no March figure: its last month with data is February
    assert value("citizens", "T11", "2025Q1").value == 45
    assert value("citizens", "T12", "2025Q1").value == 11
    # The institution's March is T11's March alone (T12 has none), so the quarter is 45.
    assert value("citizens", "I1", "2025Q1").value == 45
    inwork = value("inwork", "T11", "2025Q1")
    assert (inwork.numerator, inwork.denominator) == (11, 45)


def test_a_unit_moved_mid_year_rolls_up_through_the_tree_at_each_months_end():
    unit("K", kind="root")
    unit("I1", "K", kind="institution")
    unit("I2", "K", kind="institution")
    unit("T", "I1", valid_to=dt.date(2025, 6, 15))
    unit("T", "I2", valid_from=dt.date(2025, 6, 16))  # moved in mid-June: June's end has it under I2
    visits = indicator("visits")
    for month in range(1, 13):
        observe(visits, "T", f"2025-{month:02d}", month)
    assert value("visits", "I1", "2025-05").value == 5
    assert value("visits", "I2", "2025-05").cell is None
    assert value("visits", "I1", "2025-06").cell is None
    assert value("visits", "I2", "2025-06").value == 6
    assert value("visits", "I1", "2025").value == sum(range(1, 6))
    assert value("visits", "I2", "2025").value == sum(range(6, 13))
    assert value("visits", "K", "2025").value == sum(range(1, 13))


# --- properties over random trees -------------------------------------------------------------------------

MONTHS = [Month(2025, 1), Month(2025, 2), Month(2025, 3)]


@st.composite
def trees_and_figures(draw):
    size = draw(st.integers(min_value=1, max_value=12))
    parents = [None] + [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, size)]
    cells = draw(
        st.dictionaries(
            st.tuples(st.integers(0, size - 1), st.integers(0, len(MONTHS) - 1)),
            st.integers(0, 500).flatmap(lambda den: st.tuples(st.integers(0, den), st.just(den))),
            max_size=30,
        )
    )
    return parents, cells


def build(parents, cells, measure, temporal):
    for node, parent in enumerate(parents):
        unit(f"u{node}", None if parent is None else f"u{parent}")
    ind = indicator("p", measure=measure, temporal=temporal)
    for (node, month), (num, den) in cells.items():
        observe(ind, f"u{node}", str(MONTHS[month]), num, den if measure != "count" else None)
    return ind


def subtree(parents, node):
    found = {node}
    changed = True
    while changed:
        changed = False
        for child, parent in enumerate(parents):
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(data=trees_and_figures())
def test_rollup_of_a_rollup_equals_rollup_of_the_leaves_and_ratios_are_never_averaged(data):
    parents, cells = data
    with transaction.atomic():
        ind = build(parents, cells, "share", "flow")
        units = [f"u{n}" for n in range(len(parents))]
        periods = [Period.month(m) for m in MONTHS]
        rolled = period_cells([ind], units, periods)
        for period_index, period in enumerate(periods):
            for node in range(len(parents)):
                here = rolled.get(("p", f"u{node}", period))
                # From the children's roll-ups plus the unit's own figure:
                num = den = Decimal(0)
                own = cells.get((node, period_index))
                if own:
                    num, den = num + own[0], den + own[1]
                for child, parent in enumerate(parents):
                    if parent == node and ("p", f"u{child}", period) in rolled:
                        num += rolled[("p", f"u{child}", period)].numerator
                        den += rolled[("p", f"u{child}", period)].denominator
                # From every observation in the subtree directly:
                leaves = [cells[(n, period_index)] for n in subtree(parents, node) if (n, period_index) in cells]
                assert (num, den) == (sum(c[0] for c in leaves), sum(c[1] for c in leaves))
                if not leaves:
                    assert here is None
                    continue
                assert (here.numerator, here.denominator) == (num, den)
                shown = figures(None, [ind], [f"u{node}"], period)[("p", f"u{node}")].value
                expected = Decimal(100) * num / den if den else None
                assert shown == expected
        transaction.set_rollback(True)


@PROPERTY
@given(data=trees_and_figures(), temporal=st.sampled_from(["flow", "stock"]))
def test_a_quarter_is_the_sum_of_its_months_for_flows_and_the_last_month_for_stocks(data, temporal):
    parents, cells = data
    with transaction.atomic():
        ind = build(parents, cells, "count", temporal)
        units = [f"u{n}" for n in range(len(parents))]
        months = [Period.month(m) for m in MONTHS]
        rolled = period_cells([ind], units, [Q1, *months])
        for u in units:
            monthly = [rolled.get(("p", u, p)) for p in months]
            present = [c for c in monthly if c is not None]
            quarter = rolled.get(("p", u, Q1))
            if not present:
                assert quarter is None
            elif temporal == "flow":
                assert quarter.numerator == sum(c.numerator for c in present)
            else:
                assert quarter.numerator == present[-1].numerator
        transaction.set_rollback(True)


def test_property_helpers_see_a_deep_subtree():
    assert subtree([None, 0, 1, 2, 0], 1) == {1, 2, 3}
    assert subtree([None, 0, 1, 2, 0], 0) == {0, 1, 2, 3, 4}
