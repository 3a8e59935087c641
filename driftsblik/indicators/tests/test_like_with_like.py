"""Like with like: a flow over some months is held against the target for the same months, and
compared with the same months last year. Worked by hand: a partial year, a seasonal profile, a unit
that started mid-year; and a property that a year to date's target is the sum of its months'."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator, Target
from driftsblik.indicators.rollup import Cell
from driftsblik.indicators.selectors import figures, last_year_figures, month_targets
from driftsblik.indicators.status import EVEN, GREEN, LEVEL, RED, SEASONAL, months_target
from driftsblik.indicators.tests.helpers import indicator, observe, person, small_tree, unit

D = Decimal
# last year's hours: a quiet first half (50 a month) and a busy second half (150 a month): 1,200 in all
SEASON = [50] * 6 + [150] * 6


def show(code: str, unit_id: str, period: str) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "observations", "show", "--indicator", code, "--unit", unit_id, "--period", period, "--json", stdout=out
    )
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def flow(code: str = "hours", direction: str = "higher", person_based: bool = False) -> Indicator:
    return indicator(code, measure="count", temporal="flow", direction=direction, person_based=person_based)


@pytest.fixture
def seasonal():
    """T11 with last year's seasonal hours, this year's first 11 months at 10 % above them, target 1,320."""
    small_tree()
    hours = flow()
    for month, number in enumerate(SEASON, start=1):
        observe(hours, "T11", f"2025-{month:02d}", number)
        if month <= 11:
            observe(hours, "T11", f"2026-{month:02d}", number * D("1.1"))
    Target.objects.create(indicator=hours, unit_id="T11", year=2026, value=D(1320))
    return hours


@pytest.mark.django_db
def test_a_partial_year_is_held_against_the_same_months_of_the_target(seasonal):
    data = show("hours", "T11", "2026")
    # 11 months: 6 x 55 + 5 x 165 = 1,155 hours. Last year the same 11 months were 1,050 of 1,200,
    # so their part of this year's 1,320 is 1,320 x 1,050 / 1,200 = 1,155: exactly on target.
    assert data["value"] == 1155 and data["months"] == 11
    assert (data["target"], data["year_target"], data["target_method"]) == (1155, 1320, SEASONAL)
    assert data["status"] == GREEN
    # the whole year's target (1,320) against 1,155 would have called it red ("higher is better")
    assert data["forecast"] == {"value": 1320, "method": "seasonal"}


@pytest.mark.django_db
def test_a_seasonal_profile_gives_each_quarter_its_own_part(seasonal):
    q1 = figures(None, [seasonal], ["T11"], Period.parse("2026Q1"))[("hours", "T11")]
    q3 = figures(None, [seasonal], ["T11"], Period.parse("2026Q3"))[("hours", "T11")]
    # Q1 was 150 of last year's 1,200 (1/8), Q3 450 (3/8): 165 and 495 of 1,320
    assert (q1.target, q1.value, q1.status) == (165, 165, GREEN)
    assert (q3.target, q3.value, q3.status) == (495, 495, GREEN)
    # the even spread (1,320 / 4 = 330 a quarter) would call Q1 red and Q3 far above target
    january = figures(None, [seasonal], ["T11"], Period.parse("2026-01"))[("hours", "T11")]
    assert january.target == 55 and january.target_method == SEASONAL
    # the page's month-by-month targets are the same numbers
    assert [t.value for t in month_targets(seasonal, "T11", 2026)] == [55] * 6 + [165] * 6


@pytest.mark.django_db
def test_without_a_whole_last_year_the_target_is_spread_evenly():
    small_tree()
    hours = flow()
    observe(hours, "T11", "2025-12", 100)  # one month of last year is no profile
    for month in range(1, 12):
        observe(hours, "T11", f"2026-{month:02d}", 100)
    Target.objects.create(indicator=hours, unit_id="T11", year=2026, value=D(1200))
    data = show("hours", "T11", "2026")
    assert (data["value"], data["months"], data["target"], data["target_method"]) == (1100, 11, 1100, EVEN)
    assert data["status"] == GREEN


@pytest.mark.django_db
def test_a_unit_that_started_mid_year_is_held_against_its_months_only():
    small_tree()
    unit("T13", "I1", valid_from=dt.date(2026, 7, 1))
    hours = flow()
    for month in range(7, 13):
        observe(hours, "T13", f"2026-{month:02d}", 95)
    Target.objects.create(indicator=hours, unit_id="T13", year=2026, value=D(1200))
    figure = figures(None, [hours], ["T13"], Period.parse("2026"))[("hours", "T13")]
    # July to December: 570 hours against 6 months of a 1,200 year (600), within the 10 % tolerance
    assert figure.months == tuple(Month(2026, m) for m in range(7, 13))
    assert (figure.value, figure.target, figure.year_target, figure.target_method) == (570, 600, 1200, EVEN)
    assert figure.status == "yellow"
    # its first quarter has no figures: held against the quarter's part of the year, and no status
    q1 = figures(None, [hours], ["T13"], Period.parse("2026Q1"))[("hours", "T13")]
    assert (q1.value, q1.target, q1.months, q1.status) == (None, 300, (), None)


@pytest.mark.django_db
def test_stocks_and_shares_keep_the_target_as_it_is():
    small_tree()
    stock = indicator("people", measure="count", temporal="stock", direction="lower")
    share = indicator("share", measure="share", temporal="flow")
    for month in range(1, 4):
        observe(stock, "T11", f"2026-{month:02d}", 40)
        observe(share, "T11", f"2026-{month:02d}", 30, 100)
    Target.objects.create(indicator=stock, unit_id="T11", year=2026, value=D(50))
    Target.objects.create(indicator=share, unit_id="T11", year=2026, value=D(25))
    found = figures(None, [stock, share], ["T11"], Period.parse("2026"))
    assert (found[("people", "T11")].target, found[("people", "T11")].target_method) == (50, LEVEL)
    assert (found[("share", "T11")].target, found[("share", "T11")].status) == (25, GREEN)


@pytest.mark.django_db
def test_change_from_last_year_compares_the_same_months(seasonal):
    now = figures(None, [seasonal], ["T11"], Period.parse("2026"))
    before = last_year_figures(None, now)[("hours", "T11")]
    # last year's January to November (1,050), not its whole year (1,200)
    assert before.value == 1050 and len(before.months) == 11
    assert now[("hours", "T11")].value - before.value == 105


@pytest.mark.django_db
def test_a_hidden_month_last_year_is_not_told_by_a_seasonal_target():
    small_tree()
    admissions = flow("admissions", direction="lower", person_based=True)
    for month in range(1, 13):
        observe(admissions, "T11", f"2025-{month:02d}", 3 if month == 5 else 20)
        observe(admissions, "T12", f"2025-{month:02d}", 20)
    for month in range(1, 4):
        observe(admissions, "T11", f"2026-{month:02d}", 20)
    Target.objects.create(indicator=admissions, unit_id="T11", year=2026, value=D(240))
    # May last year at T11 was 3 (shown as <5): a seasonal spread would give May's target as 240 x 3 / 223
    for user in (None, person("leader@example.dk", leads="I1")):  # one number for everyone
        figure = figures(user, [admissions], ["T11"], Period.parse("2026Q1"))[("admissions", "T11")]
        assert (figure.target, figure.target_method) == (60, EVEN)
    assert {t.method for t in month_targets(admissions, "T11", 2026)} == {EVEN}
    # the same figures where nobody is counted (not person-based) are spread by last year's profile
    Indicator.objects.filter(code="admissions").update(person_based=False)
    admissions.refresh_from_db()
    figure = figures(None, [admissions], ["T11"], Period.parse("2026Q1"))[("admissions", "T11")]
    assert (figure.target, figure.target_method) == (D(240) * 60 / 223, SEASONAL)


def test_a_flow_is_red_against_the_same_months_when_it_falls_short():
    ind = Indicator(code="x", name="x", kind="result", measure="count", temporal="flow", direction="higher")
    ind.tolerance_pct = D(5)
    last = {Month(2025, m): Cell(D(100), None) for m in range(1, 13)}
    held = months_target(ind, D(1200), [Month(2026, m) for m in range(1, 7)], last)
    assert (held.value, held.method, held.months) == (600, SEASONAL, 6)
    from driftsblik.indicators.status import status

    assert status(ind, D(560), held.value) == RED


MONTHS = [Month(2026, m) for m in range(1, 13)]


@given(
    yearly=st.decimals(min_value=0, max_value=10**7, places=2),
    profile=st.one_of(
        st.lists(st.integers(min_value=0, max_value=10**5), min_size=12, max_size=12),
        st.lists(st.integers(min_value=0, max_value=10**5), min_size=0, max_size=11),
    ),
    through=st.integers(min_value=1, max_value=12),
)
def test_a_year_to_dates_target_is_the_sum_of_its_months_targets(yearly, profile, through):
    ind = Indicator(code="x", name="x", kind="result", measure="count", temporal="flow", direction="higher")
    last = {Month(2025, m + 1): Cell(D(v), None) for m, v in enumerate(profile)}
    ytd = months_target(ind, yearly, MONTHS[:through], last)
    months = [months_target(ind, yearly, [m], last) for m in MONTHS[:through]]
    assert ytd.method == months[0].method
    assert ytd.value is not None
    assert abs(ytd.value - sum((m.value or D(0) for m in months), D(0))) <= D("1e-18") * max(yearly, D(1))
    whole = months_target(ind, yearly, MONTHS, last)
    assert abs((whole.value or D(0)) - yearly) <= D("1e-18") * max(yearly, D(1))


@pytest.mark.django_db
def test_the_figure_says_what_its_target_is_for(seasonal):
    from django.utils import translation

    figure = figures(None, [seasonal], ["T11"], Period.parse("2026"))[("hours", "T11")]
    with translation.override("da"):
        assert figure.target_note == "mål for de 11 måneder med tal, fordelt efter sidste års måneder"
