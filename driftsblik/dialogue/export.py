"""Downloads: the quality of the follow-up as Excel, and the audit log as CSV or Excel for administrators."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from driftsblik.dialogue.models import AuditEntry
from driftsblik.dialogue.selectors import Quality

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows: Iterable[list], filename: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def quality_header() -> list[str]:
    return [
        _("Unit"),
        _("Challenges raised"),
        _("Answered on time (%)"),
        _("Median days to answer"),
        _("Actions done on time (%)"),
    ]


def quality_workbook(quality: Quality) -> HttpResponse:
    """The page's unit table, row for row (the person's units only)."""
    rows: list[list] = [quality_header()]
    for row in quality.units:
        rows.append([row.name, row.raised, row.share_on_time, row.median_days, row.actions_share])
    return _xlsx(rows, f"driftsblik-opfoelgning-{timezone.localdate():%Y-%m-%d}.xlsx")


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


def audit_csv(entries: Iterable[AuditEntry]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(AUDIT_HEADER)
    writer.writerows(audit_rows(entries))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="driftsblik-revisionslog.csv"'
    return response


def audit_xlsx(entries: Iterable[AuditEntry]) -> HttpResponse:
    return _xlsx([AUDIT_HEADER, *audit_rows(entries)], "driftsblik-revisionslog.xlsx")
