"""The demo's committee reports: a quarterly schedule for every committee, the commentary round
of the last complete quarter under way (some commentary written, some missing, so chasing shows),
and the quarter before issued for Arbejdsmarkeds- og Uddannelsesudvalget.

The meeting is ten weeks after each quarter, so when the demo is built within ten weeks of a
quarter's end that quarter's round is open; the units' and the director's deadlines fall three
and two weeks before the meeting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from driftsblik.organisation.models import Committee, TaskArea, Unit
from driftsblik.reports.cadence import due_for, quarter_ending
from driftsblik.reports.commentary import commentary_write, slots
from driftsblik.reports.models import ReportKind, ReportSchedule
from driftsblik.reports.services import report_issue

ISSUED_COMMITTEE = "AUU"

# (committee, task area, level) -> commentary; what is not here is missing in the demo
COMMENTARY: dict[tuple[str, str, str], tuple[str, str]] = {
    ("AUU", "AUU-BES", "unit"): (
        "Flere borgere får deres første samtale inden for fristen, efter at vi har samlet visitationen "
        "i ét team. Vi er endnu ikke i mål, fordi sygefraværet i to teams har været højt i kvartalet.",
        "",
    ),
    ("AUU", "AUU-BES", "director"): (
        "Beskæftigelsesområdet bevæger sig i den rigtige retning. Vi holder fast i den fælles visitation "
        "og følger sygefraværet tæt sammen med lederne.",
        "En ledig over 50 år kom i job efter to uger i virksomhedspraktik hos en lokal tømrer, som "
        "jobcentrets virksomhedskonsulent fandt.\n\nTre unge fra samme forløb startede på erhvervsskolen i august.",
    ),
    ("AUU", "AUU-UNG", "unit"): (
        "Andelen af unge i job eller uddannelse er stabil. Vi har øget den opsøgende indsats over for unge, "
        "der er faldet fra en ungdomsuddannelse.",
        "",
    ),
    ("BFU", "BFU-SKO", "unit"): (
        "Elevfraværet er faldet på de fleste skoler; to skoler har en særlig indsats med tidlig kontakt til "
        "hjemmet ved fravær.",
        "",
    ),
    ("SAEH", "SAEH-AEL", "unit"): (
        "Hjemmeplejen leverer færre af de visiterede timer end planlagt, især i Hjørring Syd, hvor vi mangler "
        "medarbejdere. Vi rekrutterer og bruger vikarer, til stillingerne er besat.",
        "",
    ),
}


def load_demo(files, *, say: Callable[[str], object] = print) -> str:
    now = timezone.now()
    today = timezone.localdate()
    recipients = 0
    for committee in Committee.objects.order_by("code"):
        emails = [f"udvalg.{committee.code.lower()}@hjoerring-demo.dk", "udvalgssekretariatet@hjoerring-demo.dk"]
        ReportSchedule.objects.update_or_create(
            committee=committee,
            defaults={
                "cadence": "quarterly",
                "budget_months": [3, 6, 9],
                "meeting_offset_weeks": 10,
                "unit_deadline_days": 21,
                "director_deadline_days": 14,
                "recipients": ", ".join(emails),
            },
        )
        recipients += len(emails)
    last = files.last_month
    quarter = quarter_ending(last.shift(-(last.month % 3)))  # the last complete quarter
    written = 0
    done: set[tuple[str, str, str]] = set()
    for schedule in ReportSchedule.objects.select_related("committee"):
        due = due_for(schedule, ReportKind.STATUS, quarter)
        if due is None:
            continue
        for slot in slots(due=due, committee=schedule.committee, on=today):
            key = (schedule.committee.code, slot.task_area.code, slot.level)
            text = COMMENTARY.get(key)
            if text is None or slot.leader is None or key in done:
                continue
            done.add(key)
            commentary_write(
                author=slot.leader,
                committee=schedule.committee,
                due=due,
                task_area=TaskArea.objects.get(pk=slot.task_area.pk),
                unit=Unit.objects.get(pk=slot.unit_id),
                text=text[0],
                example=text[1],
                now=now - dt.timedelta(days=1),
            )
            written += 1
    committee = Committee.objects.filter(code=ISSUED_COMMITTEE).first()
    issued = ""
    if committee is not None:
        report = report_issue(
            committee=committee, period=quarter.previous(), kind=ReportKind.STATUS, by=None, deliver=False
        )
        issued = f"; issued {report.title}"
    return f"{Committee.objects.count()} schedules, {written} commentaries for {quarter}{issued}"
