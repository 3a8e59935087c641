"""Status against target at the tolerance edges, and the year-end forecast."""

from __future__ import annotations

from decimal import Decimal

import pytest

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator, Target
from driftsblik.indicators.selectors import figures, year_forecast
from driftsblik.indicators.status import GREEN, ON_PLAN, OVER_PLAN, RED, UNDER_PLAN, YELLOW, period_target, status
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree

D = Decimal


def make(direction: str, tolerance: str = "10", measure: str = "share", temporal: str = "stock") -> Indicator:
    return Indicator(
        code="x",
        name="x",
        kind="result",
        measure=measure,
        temporal=temporal,
        direction=direction,
        tolerance_pct=D(tolerance),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120", GREEN), ("100", GREEN), ("99.99", YELLOW), ("90", YELLOW), ("89.99", RED), ("0", RED)],
)
def test_higher_is_better(value, expected):
    assert status(make("higher"), D(value), D(100)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("80", GREEN), ("100", GREEN), ("100.01", YELLOW), ("110", YELLOW), ("110.01", RED), ("500", RED)],
)
def test_lower_is_better(value, expected):
    assert status(make("lower"), D(value), D(100)) == expected


def test_zero_tolerance_has_no_yellow():
    ind = make("higher", tolerance="0")
    assert status(ind, D(100), D(100)) == GREEN
    assert status(ind, D("99.999"), D(100)) == RED


def test_no_value_or_no_target_has_no_status():
    assert status(make("higher"), None, D(1)) is None
    assert status(make("higher"), D(1), None) is None


def test_a_flow_counts_yearly_target_is_shared_out_over_the_months_of_a_period():
    flow_count = make("higher", measure="count", temporal="flow")
    assert period_target(flow_count, D(1200), 3) == 300
    assert period_target(flow_count, D(1200), 12) == 1200
    assert period_target(make("higher", measure="count", temporal="stock"), D(50), 3) == 50
    assert period_target(make("higher"), D(80), 1) == 80


@pytest.mark.django_db
def test_figures_hold_a_quarter_of_a_flow_against_its_share_of_the_year():
    small_tree()
    visits = indicator("visits", tolerance_pct=10)
    Target.objects.create(indicator=visits, unit_id="T11", year=2025, value=D(1200))
    for month, number in (("2025-01", 90), ("2025-02", 90), ("2025-03", 91)):
        observe(visits, "T11", month, number)
    figure = figures(None, [visits], ["T11"], Period.parse("2025Q1"))[("visits", "T11")]
    assert figure.target == 300 and figure.value == 271
    assert figure.status == YELLOW  # 271 >= 300 - 30
    january = figures(None, [visits], ["T11"], Period.parse("2025-01"))[("visits", "T11")]
    # January: 90 against 100 with 10 % tolerance sits exactly on the edge, which is still yellow.
    assert (january.value, january.target, january.status) == (90, 100, YELLOW)
    Target.objects.filter(indicator=visits).update(value=D(1212))  # a month's target 101: 90 < 90.9 is red
    january = figures(None, [visits], ["T11"], Period.parse("2025-01"))[("visits", "T11")]
    assert (january.target, january.status) == (101, RED)


@pytest.mark.django_db
def test_forecast_of_a_stock_is_its_latest_value():
    small_tree()
    citizens = indicator("citizens", temporal="stock")
    observe(citizens, "T11", "2025-01", 40)
    observe(citizens, "T11", "2025-02", 44)
    result = year_forecast(citizens, "T11", Month(2025, 4))
    assert result.method == "latest" and result.value == 44


@pytest.mark.django_db
def test_forecast_of_a_flow_follows_last_years_seasonal_profile():
    small_tree()
    visits = indicator("visits")
    # Last year: 10 a month in January to March, 20 a month after: 30 + 180 = 210 for the year.
    for month in range(1, 13):
        observe(visits, "T11", f"2024-{month:02d}", 10 if month <= 3 else 20)
    for month in range(1, 4):
        observe(visits, "T11", f"2025-{month:02d}", 15)
    result = year_forecast(visits, "T11", Month(2025, 3))
    # Year to date 45 is 1.5 times last year's 30 for the same months: 45 * 210 / 30 = 315.
    assert result.method == "seasonal"
    assert result.value == 315


@pytest.mark.django_db
def test_forecast_of_a_flow_falls_back_to_the_run_rate_when_last_year_is_incomplete():
    small_tree()
    visits = indicator("visits")
    for month in range(1, 12):  # no December last year
        observe(visits, "T11", f"2024-{month:02d}", 10 if month <= 3 else 20)
    for month in range(1, 4):
        observe(visits, "T11", f"2025-{month:02d}", 15)
    result = year_forecast(visits, "T11", Month(2025, 3))
    assert result.method == "run_rate"
    assert result.value == 45 * 12 / 3


@pytest.mark.django_db
def test_forecast_of_a_flow_share_scales_numerator_and_denominator():
    small_tree()
    share = indicator("readm", measure="share", temporal="flow")
    for month in range(1, 13):
        observe(share, "T11", f"2024-{month:02d}", 1, 10)
    observe(share, "T11", "2025-01", 3, 20)
    result = year_forecast(share, "T11", Month(2025, 1))
    assert result.method == "seasonal"
    assert (result.cell.numerator, result.cell.denominator) == (36, 240)
    assert result.value == 15


def activity(tolerance: str = "10") -> Indicator:
    ind = make("lower", tolerance=tolerance, measure="count", temporal="flow")
    ind.kind = "activity"
    return ind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100", ON_PLAN),
        ("110", ON_PLAN),
        ("90", ON_PLAN),
        ("110.01", OVER_PLAN),
        ("89.99", UNDER_PLAN),
        ("0", UNDER_PLAN),
    ],
)
def test_an_activity_is_held_against_its_plan_both_ways(value, expected):
    # delivered hours 'lower is better' no more: fewer hours than planned is under plan, not green
    assert status(activity(), D(value), D(100)) == expected


def test_an_activity_never_reads_on_target():
    from driftsblik.ui import status as status_table

    codes = {status(activity(), D(v), D(100)) for v in ("50", "100", "150")}
    assert {status_table.word(c) for c in codes} == {
        status_table.word(c, "plan") for c in (ON_PLAN, OVER_PLAN, UNDER_PLAN)
    }
    assert status_table.word("green") not in {status_table.word(c) for c in codes}
