import datetime as dt

import pytest

from driftsblik.core.periods import Period
from driftsblik.organisation.tests.factories import make_committee
from driftsblik.reports.cadence import due_for, next_due, open_rounds, report_period
from driftsblik.reports.models import ReportSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    committee = make_committee("AUU", "Arbejdsmarkeds- og Uddannelsesudvalget", task_areas={})
    return ReportSchedule.objects.create(
        committee=committee,
        meeting_offset_weeks=6,
        unit_deadline_days=21,
        director_deadline_days=14,
        budget_months=[3, 6, 9],
    )


def test_quarterly_status_dates(schedule):
    due = due_for(schedule, "status", Period.parse("2026Q1"))
    assert due.meeting == dt.date(2026, 5, 12)  # 31 March + 6 weeks
    assert due.unit_deadline == dt.date(2026, 4, 21)
    assert due.director_deadline == dt.date(2026, 4, 28)
    assert due.unit_deadline < due.director_deadline < due.meeting
    assert due.opens == dt.date(2026, 4, 1)
    assert due.title == "Status 1. kvartal 2026"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 31), "2026Q4"),
        (dt.date(2026, 11, 11), "2026Q3"),  # 30 September + 6 weeks = 11 November
        (dt.date(2026, 11, 12), "2026Q4"),
        (dt.date(2027, 2, 11), "2026Q4"),  # 31 Dec 2026 + 6 weeks = 11 Feb 2027, across the year end
        (dt.date(2027, 2, 12), "2027Q1"),
        (dt.date(2026, 1, 1), "2025Q4"),
    ],
)
def test_next_due_around_year_ends(schedule, today, expected):
    assert str(next_due(schedule, today).period) == expected


def test_budget_follow_ups_are_numbered_within_the_year(schedule):
    assert due_for(schedule, "budget", Period.parse("2026Q2")).number == 2
    assert due_for(schedule, "budget", Period.parse("2026Q2")).title == "2. budgetopfølgning 2026"
    assert due_for(schedule, "budget", Period.parse("2026Q4")) is None
    assert str(next_due(schedule, dt.date(2026, 12, 1), "budget").period) == "2027Q1"


def test_half_yearly_has_no_q1(schedule):
    schedule.cadence = "half_yearly"
    assert due_for(schedule, "status", Period.parse("2026Q1")) is None
    assert str(next_due(schedule, dt.date(2026, 3, 1)).period) == "2026Q2"


def test_open_rounds_from_the_day_after_the_quarter_to_the_meeting(schedule):
    assert [str(d.period) for d in open_rounds(schedule, dt.date(2026, 2, 11))] == ["2025Q4"]
    assert open_rounds(schedule, dt.date(2026, 3, 31)) == []
    assert sorted((d.kind, str(d.period)) for d in open_rounds(schedule, dt.date(2026, 4, 1))) == [
        ("budget", "2026Q1"),
        ("status", "2026Q1"),
    ]
    assert open_rounds(schedule, dt.date(2026, 5, 13)) == []


def test_report_periods_are_quarters():
    assert str(report_period("2026q2")) == "2026Q2"
    with pytest.raises(ValueError):
        report_period("2026-03")
