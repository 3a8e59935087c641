"""Downloads: the quality of the follow-up as Excel, and the audit log as CSV or Excel for administrators."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from driftsblik.dialogue.models import AuditEntry
from driftsblik.dialogue.selectors import Quality, QualityRow
from driftsblik.ui import excel
from driftsblik.ui.csvfile import csv_text
from driftsblik.ui.downloads import download, file_name
from driftsblik.ui.formats import prose_date


def quality_table(title: str, first: str, rows: Iterable[QualityRow]) -> excel.Table:
    """One of the page's tables, row for row: counts, shares as percentages, the status, median days."""
    table = excel.Table(
        title,
        [
            first,
            _("Challenges raised"),
            _("Answered on time"),
            _("Status"),
            _("Median days to answer"),
            _("Actions done on time"),
        ],
    )
    for row in rows:
        table.add(
            row.name,
            row.raised,
            excel.percent(row.share_on_time),
            excel.status(row.status),
            excel.number(row.median_days, 1),
            excel.percent(row.actions_share),
        )
    return table


def quality_workbook(user: object, quality: Quality) -> FileResponse:
    """The page's two tables (per unit, the person's units only; per level), one sheet each."""
    header = [
        (_("Period"), _("Every challenge up to %(day)s") % {"day": prose_date(timezone.localdate())}),
        (_("Target"), _("80 per cent answered on time; yellow from 60 per cent")),
        excel.downloaded_by(user),
    ]
    units = quality_table(_("Per unit"), _("Unit"), quality.units)
    levels = quality_table(_("Per level"), _("Level"), quality.levels)
    units.header = levels.header = header
    name = file_name("driftsblik", "opfoelgning", f"{timezone.localdate():%Y-%m-%d}", extension="xlsx")
    return download(excel.workbook([units, levels]), name)


AUDIT_HEADER = ["when", "person", "access", "what", "thread", "unit"]


def audit_rows(entries: Iterable[AuditEntry], *, text_times: bool = True) -> list[list]:
    """One row per entry; the time as ISO text (CSV) or as a local date and time (Excel)."""
    return [
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")
            if text_times
            else timezone.localtime(e.at).replace(tzinfo=None),
            e.user_email,
            e.access,
            e.what,
            e.challenge_id or "",
            e.unit_id_copy,
        ]
        for e in entries
    ]


def audit_csv(entries: Iterable[AuditEntry]) -> FileResponse:
    return download(
        csv_text(AUDIT_HEADER, audit_rows(entries)), file_name("driftsblik", "revisionslog", extension="csv")
    )


def audit_xlsx(user: object, entries: Iterable[AuditEntry]) -> FileResponse:
    table = excel.Table(_("Audit log"), AUDIT_HEADER, header=[excel.downloaded_by(user)])
    for row in audit_rows(entries, text_times=False):
        table.add(*row)
    return download(excel.workbook([table]), file_name("driftsblik", "revisionslog", extension="xlsx"))
