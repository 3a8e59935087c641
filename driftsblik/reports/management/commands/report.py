"""`driftsblik report committees | build ... | issue ...`: committee reports from the command line.

driftsblik report committees
driftsblik report schedules FILE
driftsblik report build --committee CODE --period 2026Q1 [--kind status|budget] [--format pdf|html] --out FILE
driftsblik report issue --committee CODE --period 2026Q1 [--kind status|budget] [--by EMAIL]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from driftsblik.core.periods import PeriodError
from driftsblik.core.tabular import ImportRejected
from driftsblik.organisation.models import Committee, User
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.cadence import next_due, report_period
from driftsblik.reports.models import ReportKind, ReportSchedule
from driftsblik.reports.render import render_document, render_pdf
from driftsblik.reports.schedules import schedules_import
from driftsblik.reports.services import report_issue


class Command(BaseCommand):
    help = "Committee reports: list the committees and what is due, build a report to a file, issue one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("committees", help="The committees, their codes and the next report due.")
        schedules = sub.add_parser("schedules", help="Set the committees' report schedules from a CSV or Excel file.")
        schedules.add_argument("file", help="One row per committee (see docs/data-contracts.md).")
        for name, text in (("build", "Build a report to a file."), ("issue", "Issue a report (a new version).")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--committee", required=True, help="Committee code.")
            p.add_argument("--period", required=True, help="Quarter, e.g. 2026Q1.")
            p.add_argument("--kind", choices=ReportKind.values, default=ReportKind.STATUS)
            if name == "build":
                p.add_argument("--format", choices=("pdf", "html"), default="pdf")
                p.add_argument("--out", required=True, help="The file to write.")
            else:
                p.add_argument("--by", metavar="EMAIL", help="Who issues it (recorded on the report).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "committees":
            return self.committees()
        if options["action"] == "schedules":
            try:
                return self.stdout.write(f"report schedules: {schedules_import(path=options['file'])}")
            except ImportRejected as exc:
                raise CommandError(str(exc)) from None
        try:
            committee = Committee.objects.get(code=options["committee"])
        except Committee.DoesNotExist:
            codes = ", ".join(Committee.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"--committee: no committee {options['committee']!r} (codes: {codes})") from None
        try:
            period = report_period(options["period"])
        except (PeriodError, ValueError) as exc:
            raise CommandError(f"--period: {exc}") from None
        if options["action"] == "build":
            return self.build(committee, period, options)
        by = None
        if options.get("by"):
            by = User.objects.filter(email__iexact=options["by"]).first()
            if by is None:
                raise CommandError(f"--by: no user with e-mail {options['by']!r}")
        issued = report_issue(committee=committee, period=period, kind=options["kind"], by=by)
        self.stdout.write(
            f"Issued {issued.title}, version {issued.version} ({len(bytes(issued.pdf)):,} bytes PDF, "
            f"sha256 {issued.pdf_sha256})"
        )

    def committees(self) -> None:
        today = timezone.localdate()
        schedules = {s.committee_id: s for s in ReportSchedule.objects.select_related("committee")}
        for committee in Committee.objects.order_by("code"):
            schedule = schedules.get(committee.pk)
            due = next_due(schedule, today) if schedule else None
            when = f"{due.title}, meeting {due.meeting.isoformat()} ({due.period})" if due else "no schedule"
            self.stdout.write(f"{committee.code:<8} {committee.name:<45} next: {when}")

    def build(self, committee: Committee, period: Any, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"--out: the folder {out.parent} does not exist")
        document = render_document(build_snapshot(committee=committee, period=period, kind=options["kind"]))
        if options["format"] == "html":
            out.write_text(document, encoding="utf-8")
        else:
            out.write_bytes(render_pdf(document))
        self.stdout.write(f"Wrote {out} ({out.stat().st_size:,} bytes)")
