"""When reports are due: the periods a committee's schedule reports on, the meeting they are for,
and the cascading commentary deadlines before it.

Every report period is a quarter ending in a month of the schedule (quarterly: March, June,
September, December). The meeting is `meeting_offset_weeks` after the quarter's last day; the
units' commentary is due `unit_deadline_days` before the meeting and the director's
`director_deadline_days` before it. The commentary round opens the day after the quarter ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from driftsblik.core.periods import Month, Period
from driftsblik.reports.models import CADENCE_MONTHS, ReportKind, ReportSchedule


@dataclass(frozen=True)
class Due:
    """One report a committee is due to get: its kind, period, meeting and commentary deadlines."""

    committee_code: str
    kind: str
    period: Period
    number: int | None  # the budget follow-up's number within the year (1, 2, 3); None for status
    opens: dt.date
    unit_deadline: dt.date
    director_deadline: dt.date
    meeting: dt.date

    @property
    def title(self) -> str:
        if self.kind == ReportKind.BUDGET:
            return f"{self.number}. budgetopfølgning {self.period.year}"
        return f"Status {self.period.label_da}"


def quarter_ending(month: Month) -> Period:
    return Period(month.shift(-2), month, "quarter")


def report_period(text: str) -> Period:
    """A report period from its code: a quarter such as 2026Q1 (ValueError otherwise)."""
    period = Period.parse(text)
    if period.kind != "quarter":
        raise ValueError(f"{text!r} is no quarter (expected YYYYQn)")
    return period


def due_for(schedule: ReportSchedule, kind: str, period: Period) -> Due | None:
    """The due report of the schedule for the period, or None when the schedule has no such report."""
    months = report_months(schedule, kind)
    if period.kind != "quarter" or period.stop.month not in months:
        return None
    meeting = period.end + dt.timedelta(weeks=schedule.meeting_offset_weeks)
    number = months.index(period.stop.month) + 1 if kind == ReportKind.BUDGET else None
    return Due(
        committee_code=schedule.committee.code,
        kind=kind,
        period=period,
        number=number,
        opens=period.end + dt.timedelta(days=1),
        unit_deadline=meeting - dt.timedelta(days=schedule.unit_deadline_days),
        director_deadline=meeting - dt.timedelta(days=schedule.director_deadline_days),
        meeting=meeting,
    )


def report_months(schedule: ReportSchedule, kind: str) -> list[int]:
    if kind == ReportKind.BUDGET:
        return sorted(int(m) for m in schedule.budget_months if int(m) in (3, 6, 9, 12))
    return list(CADENCE_MONTHS[schedule.cadence])


def dues_around(schedule: ReportSchedule, day: dt.date, kind: str = ReportKind.STATUS) -> list[Due]:
    """The schedule's reports of one kind for the quarters of last year to next year, by meeting."""
    dues = []
    for year in (day.year - 1, day.year, day.year + 1):
        for month in report_months(schedule, kind):
            due = due_for(schedule, kind, quarter_ending(Month(year, month)))
            if due is not None:
                dues.append(due)
    return sorted(dues, key=lambda d: d.meeting)


def next_due(schedule: ReportSchedule, today: dt.date, kind: str = ReportKind.STATUS) -> Due | None:
    """The next report of the kind: the first whose meeting is today or later."""
    return next((d for d in dues_around(schedule, today, kind) if d.meeting >= today), None)


def open_rounds(schedule: ReportSchedule, today: dt.date) -> list[Due]:
    """Reports whose commentary round is open today: the period has ended, the meeting not passed."""
    return [
        d
        for kind in (ReportKind.STATUS, ReportKind.BUDGET)
        for d in dues_around(schedule, today, kind)
        if d.opens <= today <= d.meeting
    ]
