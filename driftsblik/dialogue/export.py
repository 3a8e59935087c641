"""Downloads: the quality of the follow-up as Excel, and the audit log as CSV or Excel for administrators."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from driftsblik.dialogue.models import AuditEntry
from driftsblik.dialogue.selectors import Quality
from driftsblik.ui.downloads import download, file_name


def _xlsx(rows: Iterable[list], filename: str) -> FileResponse:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return download(buffer.getvalue(), filename)


def quality_header() -> list[str]:
    return [
        _("Unit"),
        _("Challenges raised"),
        _("Answered on time (%)"),
        _("Median days to answer"),
        _("Actions done on time (%)"),
    ]


def quality_workbook(quality: Quality) -> FileResponse:
    """The page's unit table, row for row (the person's units only)."""
    rows: list[list] = [quality_header()]
    for row in quality.units:
        rows.append([row.name, row.raised, row.share_on_time, row.median_days, row.actions_share])
    return _xlsx(rows, file_name("driftsblik", "opfoelgning", f"{timezone.localdate():%Y-%m-%d}", extension="xlsx"))


AUDIT_HEADER = ["when", "person", "access", "what", "thread", "unit"]


def audit_rows(entries: Iterable[AuditEntry]) -> list[list]:
    return [
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.user_email,
            e.access,
            e.what,
            e.challenge_id or "",
            e.unit_id_copy,
        ]
        for e in entries
    ]


def audit_csv(entries: Iterable[AuditEntry]) -> FileResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(AUDIT_HEADER)
    writer.writerows(audit_rows(entries))
    return download(buffer.getvalue(), file_name("driftsblik", "revisionslog", extension="csv"))


def audit_xlsx(entries: Iterable[AuditEntry]) -> FileResponse:
    return _xlsx([AUDIT_HEADER, *audit_rows(entries)], file_name("driftsblik", "revisionslog", extension="xlsx"))
