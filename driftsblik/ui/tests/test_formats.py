"""Danish number, percent, change and month formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
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


def test_the_two_date_styles_in_danish():
    day = dt.date(2026, 12, 7)
    moment = dt.datetime(2026, 12, 7, 12, 5, tzinfo=dt.UTC)  # 13.05 in Copenhagen (winter time)
    with translation.override("da"):
        assert formats.prose_date(day) == "7. december 2026"
        assert formats.table_date(day) == "07.12.2026"
        assert formats.prose_datetime(moment) == "7. december 2026 kl. 13.05"
        assert formats.table_datetime(moment) == "07.12.2026 kl. 13.05"
        assert formats.prose_date(moment) == "7. december 2026"  # a time stamp's day
        assert formats.prose_date("2026-03-01") == "1. marts 2026"  # ISO text from a snapshot
        assert formats.prose_datetime("2026-03-31T14:05:00") == "31. marts 2026 kl. 14.05"
        for style in (formats.prose_date, formats.prose_datetime, formats.table_date, formats.table_datetime):
            assert style(None) == "–"


def test_the_two_date_styles_in_english():
    day = dt.date(2026, 12, 7)
    moment = dt.datetime(2026, 12, 7, 12, 5, tzinfo=dt.UTC)
    with translation.override("en"):
        assert formats.prose_date(day) == "Dec. 7, 2026"
        assert formats.table_date(day) == "12/07/2026"
        assert formats.prose_datetime(moment) == "Dec. 7, 2026 at 13:05"
        assert formats.table_datetime(moment) == "12/07/2026 at 13:05"


@override_settings(TIME_ZONE="Europe/Copenhagen")
def test_a_utc_time_stamp_reads_in_copenhagen_time_across_daylight_saving():
    with translation.override("da"):
        # summer time (UTC+2): 22.30 UTC on 30 June is 00.30 on 1 July
        assert formats.table_datetime(dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)) == "01.07.2026 kl. 00.30"
        assert formats.prose_date(dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)) == "1. juli 2026"
        # winter time (UTC+1): 00.07 UTC on 1 March is 01.07
        assert formats.prose_datetime("2026-03-01T00:07:00+00:00") == "1. marts 2026 kl. 01.07"
        # the night the clocks go back (25 October 2026): 00.30 and 01.30 UTC are 02.30 and 02.30
        assert formats.table_datetime(dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)) == "25.10.2026 kl. 02.30"
        assert formats.table_datetime(dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)) == "25.10.2026 kl. 02.30"
        assert formats.table_datetime(dt.datetime(2026, 10, 25, 2, 30, tzinfo=dt.UTC)) == "25.10.2026 kl. 03.30"


@override_settings(TIME_ZONE="America/New_York")
def test_the_time_zone_is_the_setting_not_copenhagen():
    with translation.override("da"):
        assert formats.table_datetime(dt.datetime(2026, 12, 7, 12, 5, tzinfo=dt.UTC)) == "07.12.2026 kl. 07.05"
