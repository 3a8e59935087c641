import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from driftsblik.core.periods import Month, Period, PeriodError, month_range


def test_month_parse_and_ends():
    month = Month.parse("2024-02")
    assert month.first == dt.date(2024, 2, 1)
    assert month.end == dt.date(2024, 2, 29)
    assert str(month) == "2024-02"
    assert month.label_da == "februar 2024"


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "24-01", "januar", "2024/01", "", "2024-01-15"])
def test_month_rejects_what_is_no_month(text):
    with pytest.raises(PeriodError):
        Month.parse(text)


def test_periods_parse_month_quarter_year():
    assert Period.parse("2025-03").months == [Month(2025, 3)]
    assert Period.parse("2025Q2").months == [Month(2025, 4), Month(2025, 5), Month(2025, 6)]
    assert len(Period.parse("2025").months) == 12
    assert str(Period.parse("2025q4")) == "2025Q4"
    assert Period.parse("2025Q1").label_da == "1. kvartal 2025"
    assert Period.parse("2025Q1").previous() == Period.parse("2024Q4")
    assert Period.parse("2025").year_before() == Period.parse("2024")


@pytest.mark.parametrize("text", ["2025Q5", "2025Q0", "20251", "Q1"])
def test_period_rejects(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


@given(st.integers(min_value=1900 * 12, max_value=2999 * 12 + 11), st.integers(min_value=-500, max_value=500))
def test_shift_is_index_arithmetic(index, months):
    month = Month.from_index(index)
    if not 1900 * 12 <= index + months <= 2999 * 12 + 11:
        return
    assert month.shift(months).index == index + months
    assert month.shift(months).shift(-months) == month


def test_month_range_inclusive():
    assert month_range(Month(2024, 11), Month(2025, 2)) == [
        Month(2024, 11),
        Month(2024, 12),
        Month(2025, 1),
        Month(2025, 2),
    ]
