"""Budget follow-up: roll-up over the tree of each month, forecast, traffic light, committees, visibility."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.budget.models import LedgerMonth
from driftsblik.budget.selectors import (
    GREEN,
    RED,
    SPENT,
    YELLOW,
    Ledger,
    budget_status,
    children_budget,
    committee_budget,
    unit_budget,
    unit_monthly,
)
from driftsblik.budget.services import ledger_import
from driftsblik.budget.tests.helpers import small_org, write_ledger
from driftsblik.core.periods import Month
from driftsblik.organisation.models import Unit
from driftsblik.organisation.tests.factories import make_committee, make_leader, make_span, move_unit

pytestmark = pytest.mark.django_db

D = Decimal


def book(tmp_path, rows, name="ledger.csv"):
    """rows: (period, unit, kind, amount) on 5.30.26."""
    lines = [[p, u, "5.30.26", "", "", k, a] for p, u, k, a in rows]
    ledger_import(path=write_ledger(tmp_path / name, lines))


def test_a_unit_moved_mid_year_counts_under_its_parent_of_each_month(tmp_path):
    small_org()
    move_unit("I2", "B", on=dt.date(2025, 7, 1))
    rows = [(f"2025-{m:02d}", "I1", "forbrug", 100) for m in range(1, 10)]
    rows += [(f"2025-{m:02d}", "I2", "forbrug", 50) for m in range(1, 10)]
    rows += [(f"2025-{m:02d}", "I3", "forbrug", 10) for m in range(1, 10)]
    rows += [("2025-01", "I2", "oprindeligt budget", 600)]
    book(tmp_path, rows)
    through = Month(2025, 9)
    a = unit_budget(user=None, unit_id="A", year=2025, through=through)
    b = unit_budget(user=None, unit_id="B", year=2025, through=through)
    k = unit_budget(user=None, unit_id="K", year=2025, through=through)
    assert a.spent == 900 + 6 * 50  # I1 all year, I2 January to June
    assert b.spent == 90 + 3 * 50  # I3 all year, I2 July to September
    assert k.spent == a.spent + b.spent == 1440
    assert (a.original, b.original, k.original) == (600, 0, 600)  # booked in January, when I2 was under A
    assert [c.unit_id for c in children_budget(user=None, unit_id="B", year=2025, through=through)] == ["I2", "I3"]


def test_children_summed_by_one_query_each_roll_up_through_the_tree_of_each_month(tmp_path):
    small_org()
    move_unit("I2", "B", on=dt.date(2025, 7, 1))
    rows = [(f"2025-{m:02d}", "I1", "forbrug", 100) for m in range(1, 10)]
    rows += [(f"2025-{m:02d}", "I2", "forbrug", 50) for m in range(1, 10)]
    rows += [(f"2025-{m:02d}", "I3", "forbrug", 10) for m in range(1, 10)]
    rows += [("2025-01", "A", "oprindeligt budget", 1000), ("2025-03", "I3", "tillægsbevilling", 7)]
    book(tmp_path, rows)
    through = Month(2025, 9)
    by_unit = {c.unit_id: c for c in children_budget(user=None, unit_id="K", year=2025, through=through)}
    assert by_unit["A"].spent == 900 + 6 * 50  # A's own 0, I1 nine months, I2 January to June
    assert by_unit["B"].spent == 90 + 3 * 50
    assert (by_unit["A"].original, by_unit["A"].corrected) == (1000, 1000)
    assert (by_unit["B"].original, by_unit["B"].corrected) == (0, 7)
    ledger = Ledger(2025)
    a_alone, b_alone, both = ledger.series_each([["A"], ["B"], ["A", "I1", "B"]])
    assert sum(a_alone[SPENT].values()) == 1200 and sum(b_alone[SPENT].values()) == 240
    assert sum(both[SPENT].values()) == 1440  # I1 counted once, under A
    assert a_alone[SPENT][Month(2025, 7)] == 100 and b_alone[SPENT][Month(2025, 7)] == 60
    assert ledger.by_account("K", ["5.30.26", "3.22.01"], kind=SPENT) == {
        "5.30.26": {Month(2025, m): D(160) for m in range(1, 10)}
    }


def test_forecast_from_last_years_profile_deviation_and_status(tmp_path):
    small_org()
    last = [(f"2024-{m:02d}", "I1", "forbrug", 300 if m == 12 else 100) for m in range(1, 13)]
    book(tmp_path, last, "2024.csv")
    this = [(f"2025-{m:02d}", "I1", "forbrug", 110) for m in range(1, 4)]
    this += [
        ("2025-01", "I1", "oprindeligt budget", 1500),
        ("2025-02", "I1", "tillægsbevilling", 20),
        ("2025-04", "I1", "tillægsbevilling", 1000),  # after the month followed up: not in the corrected budget
    ]
    book(tmp_path, this, "2025.csv")
    figures = unit_budget(user=None, unit_id="I1", year=2025, through=Month(2025, 3))
    # last year: 300 of 1400 fell in January-March; 330 / (300 / 1400) = 1540
    assert (figures.original, figures.corrected, figures.spent) == (1500, 1520, 330)
    assert figures.forecast == D("1540.00") and figures.forecast_kind == "seasonal"
    assert figures.deviation == 20 and figures.deviation_pct == D("1.3")
    assert figures.status == RED
    assert "21,4 %" in figures.method
    assert figures.last_year_spent == 1400
    # the whole year followed up: the forecast is what was spent
    book(tmp_path, [(f"2025-{m:02d}", "I1", "forbrug", 110) for m in range(4, 13)], "rest.csv")
    year_end = unit_budget(user=None, unit_id="I1", year=2025, through=Month(2025, 12))
    assert year_end.forecast == year_end.spent == 1320 and year_end.corrected == 2520 and year_end.status == GREEN


def test_linear_forecast_without_last_year(tmp_path):
    small_org()
    book(
        tmp_path,
        [(f"2025-{m:02d}", "I3", "forbrug", 100) for m in range(1, 4)]
        + [("2025-01", "I3", "oprindeligt budget", 1250)],
    )
    figures = unit_budget(user=None, unit_id="I3", year=2025, through=Month(2025, 3))
    assert figures.forecast == 1200 and figures.forecast_kind == "linear"
    assert "12/3" in figures.method
    assert figures.status == GREEN and figures.deviation == -50 and figures.deviation_pct == D("-4.0")
    nothing = unit_budget(user=None, unit_id="I2", year=2025, through=Month(2025, 3))
    assert (nothing.spent, nothing.forecast, nothing.status) == (0, 0, None)


def test_traffic_light_tolerance_is_one_percent_of_the_corrected_budget():
    assert budget_status(D("1000"), D("1000")) == GREEN
    assert budget_status(D("999"), D("1000")) == GREEN
    assert budget_status(D("1010"), D("1000")) == YELLOW
    assert budget_status(D("1010.01"), D("1000")) == RED
    assert budget_status(D("1"), D("0")) == RED


def test_monthly_profile_for_the_chart(tmp_path):
    small_org()
    book(tmp_path, [(f"2024-{m:02d}", "I1", "forbrug", 100) for m in range(1, 13)], "2024.csv")
    book(
        tmp_path,
        [
            ("2025-01", "I1", "forbrug", 90),
            ("2025-02", "I1", "forbrug", 120),
            ("2025-01", "I1", "oprindeligt budget", 1200),
        ],
    )
    rows = unit_monthly(user=None, unit_id="A", year=2025, through=Month(2025, 2))
    assert len(rows) == 12
    assert [r["spent_cumulative"] for r in rows[:3]] == [90, 210, None]
    assert rows[1]["last_year_cumulative"] == 200
    assert rows[0]["corrected_budget_cumulative"] == 100 and rows[11]["corrected_budget_cumulative"] == 1200


def test_committee_counts_each_unit_once(tmp_path):
    small_org()
    committee = make_committee(
        "SU", "Socialudvalget", task_areas={"T1": ("Ældre", ["A", "I1"]), "T2": ("Handicap", ["I3"])}
    )
    book(
        tmp_path, [("2025-01", "I1", "forbrug", 100), ("2025-01", "I2", "forbrug", 10), ("2025-01", "I3", "forbrug", 1)]
    )
    result = committee_budget(user=None, committee=committee, year=2025, through=Month(2025, 1))
    assert result.total.spent == 111  # I1 is in A: not counted twice
    assert [(t.unit_id, t.spent) for t in result.task_areas] == [("T1", 110), ("T2", 1)]
    assert [(u.unit_id, u.spent) for u in result.units] == [("A", 110), ("I3", 1)]
    assert result.monthly[0]["spent"] == 111


def test_a_unit_outside_the_view_is_a_404(tmp_path):
    small_org()
    leader = make_leader("leder@example.org", "I1")
    book(tmp_path, [("2025-01", "I1", "forbrug", 100), ("2025-01", "I3", "forbrug", 5)])
    through = Month(2025, 1)
    assert unit_budget(user=leader, unit_id="K", year=2025, through=through).spent == 105  # two levels up
    for unit_id in ("B", "I3", "NOPE"):
        with pytest.raises(Http404):
            unit_budget(user=leader, unit_id=unit_id, year=2025, through=through)
        with pytest.raises(Http404):
            children_budget(user=leader, unit_id=unit_id, year=2025, through=through)
        with pytest.raises(Http404):
            unit_monthly(user=leader, unit_id=unit_id, year=2025, through=through)
    assert [c.unit_id for c in children_budget(user=leader, unit_id="K", year=2025, through=through)] == ["A"]
    with pytest.raises(Http404):
        unit_budget(user=None, unit_id="NOPE", year=2025, through=through)
    committee = make_committee("X", "X", task_areas={"T": ("T", ["B"])})
    with pytest.raises(Http404):
        committee_budget(user=leader, committee=committee, year=2025, through=through)


MONTHS = [Month(2024, m) for m in range(1, 13)] + [Month(2025, m) for m in range(1, 13)]
KINDS = ["original", "supplementary", "spent"]


@st.composite
def trees_and_ledgers(draw):
    size = draw(st.integers(min_value=1, max_value=10))
    parents = [None] + [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, size)]
    cells = draw(
        st.dictionaries(
            st.tuples(st.integers(0, size - 1), st.integers(0, len(MONTHS) - 1), st.sampled_from(KINDS)),
            st.integers(-100_000, 1_000_000).map(lambda n: D(n) / 100),
            max_size=40,
        )
    )
    through = draw(st.integers(1, 12))
    return parents, cells, through


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=trees_and_ledgers())
def test_a_units_figures_are_the_sum_of_its_own_lines_and_its_childrens_figures(data):
    parents, cells, through_month = data
    with transaction.atomic():
        for node, parent in enumerate(parents):
            make_span(f"u{node}", None if parent is None else f"u{parent}", kind="team")
        LedgerMonth.objects.bulk_create(
            LedgerMonth(
                year=MONTHS[m].year,
                period=MONTHS[m].first,
                unit=Unit(id=f"u{n}"),
                account_id="5.30.26",
                kind=k,
                amount=a,
            )
            for (n, m, k), a in cells.items()
        )
        through = Month(2025, through_month)
        for node in range(len(parents)):
            here = unit_budget(user=None, unit_id=f"u{node}", year=2025, through=through)
            kids = children_budget(user=None, unit_id=f"u{node}", year=2025, through=through)
            own = {
                kind: sum(
                    (
                        a
                        for (n, m, k), a in cells.items()
                        if n == node
                        and k == kind
                        and MONTHS[m].year == 2025
                        and (kind == "original" or MONTHS[m].month <= through_month)
                    ),
                    D(0),
                )
                for kind in KINDS
            }
            assert here.original == own["original"] + sum(k.original for k in kids)
            assert here.corrected == own["original"] + own["supplementary"] + sum(k.corrected for k in kids)
            assert here.spent == own["spent"] + sum(k.spent for k in kids)
        root = unit_budget(user=None, unit_id="u0", year=2025, through=through)
        assert root.spent == sum(
            (
                a
                for (n, m, k), a in cells.items()
                if k == "spent" and MONTHS[m].year == 2025 and MONTHS[m].month <= through_month
            ),
            D(0),
        )
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=trees_and_ledgers(), move=st.tuples(st.integers(1, 9), st.integers(0, 8), st.integers(2, 12)))
def test_a_move_mid_year_never_loses_or_doubles_money_at_the_root(data, move):
    parents, cells, through_month = data
    node, new_parent, month = move
    with transaction.atomic():
        for n, parent in enumerate(parents):
            make_span(f"u{n}", None if parent is None else f"u{parent}", kind="team")
        below = {node}
        for child, parent in enumerate(parents):  # parents come before children
            if parent in below:
                below.add(child)
        if node < len(parents) and new_parent < len(parents) and new_parent not in below:  # a valid move
            move_unit(f"u{node}", f"u{new_parent}", on=dt.date(2025, month, 1))
        LedgerMonth.objects.bulk_create(
            LedgerMonth(
                year=MONTHS[m].year,
                period=MONTHS[m].first,
                unit=Unit(id=f"u{n}"),
                account_id="5.30.26",
                kind=k,
                amount=a,
            )
            for (n, m, k), a in cells.items()
        )
        through = Month(2025, through_month)
        root = unit_budget(user=None, unit_id="u0", year=2025, through=through)
        this_year = [(k, MONTHS[m].month, a) for (_n, m, k), a in cells.items() if MONTHS[m].year == 2025]
        assert root.original == sum((a for k, _m, a in this_year if k == "original"), D(0))
        assert root.spent == sum((a for k, m, a in this_year if k == "spent" and m <= through_month), D(0))
        assert root.corrected == root.original + sum(
            (a for k, m, a in this_year if k == "supplementary" and m <= through_month), D(0)
        )
        transaction.set_rollback(True)
