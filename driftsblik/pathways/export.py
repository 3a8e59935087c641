"""The pathway as an Excel workbook: exactly the page's (suppressed) tables, one sheet each."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from driftsblik.pathways.selectors import PathwayView
from driftsblik.ui.downloads import file_name


def _sheet(
    book: Workbook, title: str, header: list[tuple[str, str]], columns: list[str], rows: list[list[Any]]
) -> None:
    ws = book.create_sheet(title[:31])
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    for label, text in header:
        ws.append([label, text])
    ws.append([])
    ws.append(columns)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.column_dimensions["A"].width = 30


def workbook(view: PathwayView, context: dict[str, Any]) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of the pathway's tables as the person sees them."""
    result = view.result
    header = [
        (_("Cohort"), str(context["cohort_label"])),
        (_("Unit"), str(context["unit_name"])),
        (_("Month 0"), view.months[0]["label"] if view.months else result.cohort_month),
        (_("Persons in the cohort"), str(result.cohort_size)),
        (_("Small numbers"), _("suppressed (<5)") if view.suppressed else _("not suppressed (analyst)")),
        (_("Downloaded by"), f"{context['viewer'].user} {timezone.localtime():%d-%m-%Y %H:%M}"),
    ]
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        _("Status month by month"),
        header,
        [_("Month"), _("Months after"), *view.status_labels],
        [[m["label"], m["offset"], *(c.value for c in m["cells"])] for m in view.months],
    )
    _sheet(
        book,
        _("Transitions"),
        header,
        [_("Month"), _("From"), _("To"), _("Persons")],
        [[t["label"], t["from"], t["to"], t["persons"].value] for t in view.transitions],
    )
    silo_rows = []
    for dim, label in (("units", _("Units")), ("domains", _("Domains"))):
        for r in view.silos.get(dim, []):
            silo_rows.append([label, r.label, r.persons.value, r.outcome.value, r.share])
    _sheet(
        book,
        _("Across silos"),
        header,
        [_("Counted"), _("Number involved"), _("Persons"), _("In job or education at the end"), _("Share")],
        silo_rows,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    unit = context["unit_id"] or "kommune"
    return file_name("driftsblik", "forloeb", result.cohort, result.start, unit, extension="xlsx"), buffer.getvalue()
