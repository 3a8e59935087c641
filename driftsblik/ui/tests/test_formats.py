"""Danish number, percent, change and month formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator
from driftsblik.ui import formats

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
    assert formats.number_da(value, places) == text


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
    assert formats.value_da(indicator, value, suppressed=suppressed) == text


def test_changes_are_signed_and_shares_in_percentage_points():
    assert formats.change_da(COUNT, Decimal(12)) == "+12"
    assert formats.change_da(COUNT, Decimal(-3)) == "-3"
    assert formats.change_da(COUNT, Decimal(0)) == "0"
    assert formats.change_da(SHARE, Decimal("1.25")) == "+1,3 pct.-point"
    assert formats.change_da(SHARE, None) == "–"


def test_month_and_period_names_are_danish():
    assert formats.month_da(Month(2025, 3)) == "marts 2025"
    assert formats.period_da(Period.parse("2025Q1")) == "1. kvartal 2025"
    assert formats.period_da(Period.parse("2025")) == "budgetår 2025"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=1, allow_nan=False, allow_infinity=False))
def test_danish_number_reads_back_as_the_same_number(value):
    text = formats.number_da(value, 1)
    assert Decimal(text.replace(".", "").replace(",", ".")) == value
    whole, decimals = text.lstrip("-").split(",")
    assert len(decimals) == 1
    assert all(len(group) == 3 for group in whole.split(".")[1:])


def test_percentages_points_and_amounts():
    assert formats.percent_da(Decimal("12.345")) == "12,3 %"
    assert formats.percent_da(None) == "–"
    assert formats.points_da(Decimal("-0.25")) == "-0,3 pct.-point"  # half up away from zero
    assert formats.points_da(Decimal("2")) == "+2,0 pct.-point"
    assert formats.thousands_da(Decimal("1234567")) == "1.235"
    assert formats.millions_da(Decimal("1076412345")) == "1.076,4"
    assert formats.amount_da(Decimal("12")) == "12" and formats.amount_da(Decimal("12.5")) == "12,5"


def test_dates_in_the_three_danish_forms():
    day = dt.date(2025, 9, 1)
    assert formats.date_da(day) == "01-09-2025"
    assert formats.date_short_da(day) == "1.9.2025"
    assert formats.date_long_da(day) == "1. september 2025"
    assert formats.date_long_da("2026-03-31T14:05:00") == "31. marts 2026 kl. 14.05"
    moment = dt.datetime(2025, 4, 2, 8, 15, tzinfo=dt.UTC)  # 10:15 in Copenhagen (summer time)
    assert formats.datetime_da(moment) == "02-04-2025 kl. 10:15"
    assert formats.date_da(None) == formats.datetime_da(None) == formats.date_long_da(None) == "–"
