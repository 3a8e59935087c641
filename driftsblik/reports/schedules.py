"""Report schedules from a file (`driftsblik report schedules FILE`): when each committee gets its reports.

A CSV file (or the first sheet of a workbook), one row per committee:

    committee,cadence,budget_months,meeting_offset_weeks,unit_deadline_days,director_deadline_days,recipients
    AUU,quarterly,3|6|9,10,21,14,udvalg.auu@kommune.dk|sekretariat@kommune.dk

`cadence` is `quarterly`, `half_yearly` or `yearly`; `budget_months` the months whose end brings a
budget follow-up (`|`-separated, may be empty); the deadlines are days before the meeting, the
director's after the units' (fewer days before it); `recipients` the e-mail addresses the issued
reports are sent to, `|`-separated. The committee's members are named by the organisation import
(`driftsblik org import`, the committee members table); a `members` column here (from earlier
files) must be empty. An optional `indicators` column names the reports' own indicators
(`|`-separated codes; empty: every key and result indicator of each task area); without the column
a schedule keeps its selection. A schedule in the file is set to exactly what the file says; committees not in
the file keep theirs; the same file twice changes nothing. All or nothing: every problem names the
file, row, column and reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from driftsblik.core.tabular import ImportRejected, Problem, Row, read_table
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Committee
from driftsblik.reports.models import Cadence, ReportSchedule

COLUMNS = (
    "committee",
    "cadence",
    "budget_months",
    "meeting_offset_weeks",
    "unit_deadline_days",
    "director_deadline_days",
    "recipients",
)
NUMBERS = ("meeting_offset_weeks", "unit_deadline_days", "director_deadline_days")


def _listed(row: Row, column: str) -> list[str]:
    return [part.strip() for part in str(row.get(column) or "").split("|") if part.strip()]


def _number(row: Row, column: str, found: list[Problem]) -> int:
    value = row.get(column)
    text = str(int(value) if isinstance(value, float) and value.is_integer() else value or "")
    if not text.isdigit() or int(text) > 1000:
        found.append(row.problem(column, f"{text!r} is not a whole number from 0 to 1000"))
        return 0
    return int(text)


def _schedule(row: Row, committees: dict[str, Committee], known_indicators: set[str], found: list[Problem]) -> Any:
    """One row as the schedule's fields, or None with its problems in `found`."""
    committee = committees.get(str(row.get("committee") or ""))
    if committee is None:
        found.append(row.problem("committee", f"no committee with code {row.get('committee')!r}"))
    cadence = row.get("cadence")
    if cadence not in Cadence.values:
        found.append(row.problem("cadence", f"{cadence!r} is not one of {', '.join(Cadence.values)}"))
    months = _listed(row, "budget_months")
    if not all(m.isdigit() and 1 <= int(m) <= 12 for m in months):
        found.append(row.problem("budget_months", f"{row.get('budget_months')!r} is not months 1-12 separated by |"))
    fields = {column: _number(row, column, found) for column in NUMBERS}
    if fields["director_deadline_days"] >= fields["unit_deadline_days"]:
        found.append(
            row.problem("director_deadline_days", "the director's deadline must be fewer days before the meeting")
        )
    for email in _listed(row, "recipients"):
        try:
            validate_email(email)
        except ValidationError:
            found.append(row.problem("recipients", f"{email!r} is not an e-mail address"))
    if _listed(row, "members"):
        found.append(
            row.problem("members", "committee members are named by `driftsblik org import` (committee, member_email)")
        )
    codes = _listed(row, "indicators")
    unknown = sorted(set(codes) - known_indicators)
    if unknown:
        found.append(row.problem("indicators", f"no indicator with code {', '.join(map(repr, unknown))}"))
    fields.update(
        cadence=cadence,
        budget_months=sorted({int(m) for m in months if m.isdigit()}),
        recipients=", ".join(_listed(row, "recipients")),
    )
    return committee, fields


@transaction.atomic
def schedules_import(*, path: str | Path) -> str:
    """Set committees' report schedules from a CSV or Excel file; all or nothing. Returns a summary."""
    table = read_table(path)
    table.require_columns(COLUMNS)
    committees = {c.code: c for c in Committee.objects.all()}
    known_indicators = set(Indicator.objects.values_list("code", flat=True))
    with_indicators = "indicators" in table.columns
    problems: list[Problem] = []
    wanted = []
    first: dict[str, int] = {}
    for row in table.rows:
        found: list[Problem] = []
        committee, fields = _schedule(row, committees, known_indicators, found)
        if committee is not None and committee.code in first:
            found.append(row.problem("committee", f"{committee.code} twice (first at row {first[committee.code]})"))
        if found:
            problems.extend(found)
            continue
        first[committee.code] = row.number
        wanted.append((committee, fields, _listed(row, "indicators")))
    if problems:
        raise ImportRejected(problems)
    for committee, fields, codes in wanted:
        schedule, _created = ReportSchedule.objects.update_or_create(committee=committee, defaults=fields)
        if with_indicators:
            schedule.indicators.set(codes)
    return f"{len(wanted)} schedule(s) from {table.name}"
