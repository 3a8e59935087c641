"""Danish number, percent, change and month formats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator
from driftsblik.web import formatting

COUNT = Indicator(code="c", name="c", measure="count")
SHARE = Indicator(code="s", name="s", measure="share")
RATE = Indicator(code="r", name="r", measure="rate_per_1000")


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("1234.5"), 1, "1.234,5"),
        (Decimal("1234567.89"), 2, "1.234.567,89"),
        (Decimal("0.05"), 1, "0,1"),  # half up, not to even
        (Decimal("-1234.5"), 1, "-1.234,5"),
        (Decimal("-0.04"), 1, "0,0"),  # no negative zero
        (12, 0, "12"),
        (None, 1, "–"),
    ],
)
def test_number_da(value, places, text):
    assert formatting.number_da(value, places) == text


@pytest.mark.parametrize(
    ("indicator", "value", "suppressed", "text"),
    [
        (COUNT, Decimal("1896"), False, "1.896"),
        (COUNT, Decimal("12.25"), False, "12,3"),
        (SHARE, Decimal("12.345"), False, "12,3 %"),
        (RATE, Decimal("4.56"), False, "4,6"),
        (COUNT, Decimal("3"), True, "<5"),
        (SHARE, None, False, "–"),
    ],
)
def test_value_da(indicator, value, suppressed, text):
    assert formatting.value_da(indicator, value, suppressed=suppressed) == text


def test_changes_are_signed_and_shares_in_percentage_points():
    assert formatting.change_da(COUNT, Decimal(12)) == "+12"
    assert formatting.change_da(COUNT, Decimal(-3)) == "-3"
    assert formatting.change_da(COUNT, Decimal(0)) == "0"
    assert formatting.change_da(SHARE, Decimal("1.25")) == "+1,3 pct.-point"
    assert formatting.change_da(SHARE, None) == "–"


def test_month_and_period_names_are_danish():
    assert formatting.month_da(Month(2025, 3)) == "marts 2025"
    assert formatting.period_da(Period.parse("2025Q1")) == "1. kvartal 2025"
    assert formatting.period_da(Period.parse("2025")) == "budgetår 2025"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=1, allow_nan=False, allow_infinity=False))
def test_danish_number_reads_back_as_the_same_number(value):
    text = formatting.number_da(value, 1)
    assert Decimal(text.replace(".", "").replace(",", ".")) == value
    whole, decimals = text.lstrip("-").split(",")
    assert len(decimals) == 1
    assert all(len(group) == 3 for group in whole.split(".")[1:])
