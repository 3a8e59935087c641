"""The effort's participant table as an Excel workbook: exactly the rows and columns the page shows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from driftsblik.indicators import pages
from driftsblik.organisation.models import User
from driftsblik.ui import excel, formats
from driftsblik.ui.downloads import file_name

__all__ = ["participants_workbook"]


def _part_cells(part: Any) -> list[Any]:
    """A participant's part of one shared goal: the figure, its status and the two changes."""
    if part is None:
        return [None, None, None, None]
    figure = part.figure
    return [
        excel.figure_of(figure),
        excel.status_of(figure) if figure.cell is not None else "",
        excel.measured(figure.indicator, part.change_previous, change=True),
        excel.measured(figure.indicator, part.change_last_year, change=True),
    ]


def participants_table(context: dict[str, Any]) -> excel.Table:
    goals = context["goals"]
    columns = [_("Participant"), _("Kind"), _("Role"), _("Contact"), _("E-mail"), _("Methods")]
    for goal in goals:
        name = goal.indicator.name
        columns += [
            name,
            _("%(indicator)s: status") % {"indicator": name},
            _("%(indicator)s: change since the previous period") % {"indicator": name},
            _("%(indicator)s: change since last year") % {"indicator": name},
        ]
    table = excel.Table(_("Participants"), columns)
    for row in context["participants"]:
        p = row.participant
        methods = ", ".join(f"{u.method.name} ({formats.table_date(u.since)})" for u in row.methods)
        kind = _("Internal unit") if p.unit_id else _("External partner")
        cells: list[Any] = [row.name, kind, p.role, p.contact_name, p.contact_email, methods]
        for part in row.parts:
            cells += _part_cells(part)
        table.add(*cells)
    remainder = context["remainder"]
    if remainder:
        cells = [remainder["name"], "", "", "", "", ""]
        for part in remainder["parts"]:
            cells += _part_cells(part)
        table.add(*cells)
    total: list[Any] = [_("All participants together"), "", "", "", "", ""]
    for goal in goals:
        total += [
            excel.figure_of(goal.total),
            excel.status_of(goal.total),
            excel.measured(goal.indicator, goal.change_previous, change=True),
            excel.measured(goal.indicator, goal.change_last_year, change=True),
        ]
    table.add(*total)
    return table


def participants_workbook(user: User, context: dict[str, Any]) -> tuple[str, bytes]:
    effort, period = context["effort"], context["period"]
    table = participants_table(context)
    table.header = [
        (_("Effort"), effort.name),
        (_("Period"), period.label_da),
        excel.loaded(pages.data_freshness()),
        excel.downloaded_by(user),
    ]
    return file_name("driftsblik", "indsats", effort.code, period, extension="xlsx"), excel.workbook([table])
