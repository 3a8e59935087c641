"""The demo's committee reports: a quarterly schedule for every committee, the commentary round
of the last complete quarter under way (some commentary written, some missing, so chasing shows),
and the quarter before issued for Arbejdsmarkeds- og Uddannelsesudvalget.

The schedules are `driftsblik/demo/data/report_schedules.csv`, in the report schedules contract,
loaded through `schedules_import` as `driftsblik report schedules FILE` would; the meeting is ten
weeks after each quarter, so when the demo is built within ten weeks of a quarter's end that
quarter's round is open; the units' and the director's deadlines fall three and two weeks before
the meeting. The commentary is `report_commentary.yaml` beside it, written through
`commentary_write` by the leader each slot of the round asks for (a director's entry may put the
open challenges at some units into the report).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from typing import Any

import yaml
from django.utils import timezone

from driftsblik.demo.indicators import DATA_DIR
from driftsblik.organisation.models import Committee, TaskArea, Unit
from driftsblik.reports.cadence import due_for, quarter_ending
from driftsblik.reports.commentary import commentary_write, slots
from driftsblik.reports.models import ReportKind, ReportSchedule
from driftsblik.reports.schedules import schedules_import
from driftsblik.reports.selectors import choosable
from driftsblik.reports.services import report_issue

ISSUED_COMMITTEE = "AUU"
SCHEDULES_FILE = "report_schedules.csv"
COMMENTARY_FILE = "report_commentary.yaml"


def load_demo(files: Any, *, say: Callable[[str], object] = print) -> str:
    """Load the schedules, write the round's commentary and issue the quarter before; a one-line summary."""
    shutil.copyfile(DATA_DIR / SCHEDULES_FILE, files.path(SCHEDULES_FILE))
    schedules_import(path=files.path(SCHEDULES_FILE))
    last = files.last_month
    quarter = quarter_ending(last.shift(-(last.month % 3)))  # the last complete quarter
    written = _commentary(quarter)
    committee = Committee.objects.filter(code=ISSUED_COMMITTEE).first()
    issued = ""
    if committee is not None:
        report = report_issue(
            committee=committee, period=quarter.previous(), kind=ReportKind.STATUS, by=None, deliver=False
        )
        issued = f"; issued {report.title}"
    return f"{Committee.objects.count()} schedules, {written} commentaries for {quarter}{issued}"


def _commentary(quarter: Any) -> int:
    """Write the demo's commentary into the open slots of the quarter's round; how many were written."""
    entries = yaml.safe_load((DATA_DIR / COMMENTARY_FILE).read_text(encoding="utf-8"))["commentary"]
    texts = {
        (e["committee"], e["task_area"], e["level"]): (e["text"], e.get("example", ""), e.get("challenges_at", []))
        for e in entries
    }
    now, today = timezone.now(), timezone.localdate()
    written = 0
    done: set[tuple[str, str, str]] = set()
    for schedule in ReportSchedule.objects.select_related("committee"):
        due = due_for(schedule, ReportKind.STATUS, quarter)
        if due is None:
            continue
        for slot in slots(due=due, committee=schedule.committee, on=today):
            key = (schedule.committee.code, slot.task_area.code, slot.level)
            text = texts.get(key)
            if text is None or slot.leader is None or key in done:
                continue
            done.add(key)
            task_area = TaskArea.objects.get(pk=slot.task_area.pk)
            at = set(text[2])
            commentary_write(
                author=slot.leader,
                committee=schedule.committee,
                due=due,
                task_area=task_area,
                unit=Unit.objects.get(pk=slot.unit_id),
                text=text[0],
                example=text[1],
                challenges=[c.pk for c in choosable(task_area=task_area, on=today) if c.unit_id in at],
                now=now - dt.timedelta(days=1),
            )
            written += 1
    return written
