"""The effort's participant table as an Excel workbook: exactly the rows and columns the page shows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from driftsblik.organisation.models import User
from driftsblik.ui.downloads import file_name
from driftsblik.web import pages
from driftsblik.web.export import Sheet, write_workbook

__all__ = ["participants_workbook"]


def participants_sheet(context: dict[str, Any]) -> Sheet:
    sheet = Sheet(_("Participants"))
    goals = context["goals"]
    sheet.columns = [_("Participant"), _("Kind"), _("Role"), _("Contact"), _("E-mail"), _("Methods")]
    for goal in goals:
        sheet.columns += [goal.indicator.name, _("Change since the previous period"), _("Change since last year")]
    for row in context["participants"]:
        p = row.participant
        methods = ", ".join(f"{u.method.name} ({u.since:%d-%m-%Y})" for u in row.methods)
        cells: list[Any] = [
            row.name,
            _("Internal unit") if p.unit_id else _("External partner"),
            p.role,
            p.contact_name,
            p.contact_email,
            methods,
        ]
        for part in row.parts:
            if part is None:
                cells += [None, None, None]
            else:
                cells += [
                    Sheet.figure(part.figure),
                    Sheet.value(part.figure.indicator, part.change_previous),
                    Sheet.value(part.figure.indicator, part.change_last_year),
                ]
        sheet.rows.append(cells)
    remainder = context["remainder"]
    if remainder:
        cells = [remainder["name"], "", "", "", "", ""]
        for part in remainder["parts"]:
            cells += (
                [None, None, None]
                if part is None
                else [
                    Sheet.figure(part.figure),
                    Sheet.value(part.figure.indicator, part.change_previous),
                    Sheet.value(part.figure.indicator, part.change_last_year),
                ]
            )
        sheet.rows.append(cells)
    total = [_("All participants together"), "", "", "", "", ""]
    for goal in goals:
        total += [
            Sheet.figure(goal.total),
            Sheet.value(goal.indicator, goal.change_previous),
            Sheet.value(goal.indicator, goal.change_last_year),
        ]
    sheet.rows.append(total)
    return sheet


def participants_workbook(user: User, context: dict[str, Any]) -> tuple[str, bytes]:
    effort, period = context["effort"], context["period"]
    freshness = pages.data_freshness()
    header = [
        (_("Effort"), effort.name),
        (_("Period"), period.label_da),
        (_("Data loaded"), timezone.localtime(freshness).strftime("%d-%m-%Y %H:%M") if freshness else "–"),
        (_("Downloaded by"), f"{user} {timezone.localtime():%d-%m-%Y %H:%M}"),
    ]
    name = file_name("driftsblik", "indsats", effort.code, period, extension="xlsx")
    return name, write_workbook(participants_sheet(context), header)
