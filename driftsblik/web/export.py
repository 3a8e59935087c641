"""Excel downloads of the tables on the pages: exactly the rows and columns a person sees.

Each table is built by the same `pages` function as the page, for the same person, so a download
never holds a unit outside the person's view or a figure the page suppresses (those read "<5").
A header names the table, the unit, the period, when the data were last loaded and who downloaded.
Chart columns (the sparklines) have no cell form and are left out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator, Measure
from driftsblik.indicators.selectors import Figure
from driftsblik.indicators.suppression import suppression_label
from driftsblik.ui import formats
from driftsblik.ui import status as status_table
from driftsblik.ui.downloads import file_name
from driftsblik.web import pages


def status_word(status: str | None) -> str:
    return status_table.word(status)


def _number_format(indicator: Indicator, value: Decimal | None) -> str:
    places = formats.places_for(indicator.measure, value)
    base = "#,##0" if places == 0 else "#,##0." + "0" * places
    return base + ' "%"' if indicator.measure == Measure.SHARE else base


class Sheet:
    """Rows for one worksheet; each cell a plain value or (value, number format, fill)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.columns: list[str] = []
        self.rows: list[list[Any]] = []

    @staticmethod
    def figure(figure: Figure | None) -> Any:
        if figure is None:
            return None
        if figure.suppressed:
            return suppression_label()
        value = figure.value
        fill = status_table.status(figure.shown_status).tone.fill
        return (value, _number_format(figure.indicator, value), fill)

    @staticmethod
    def value(indicator: Indicator, value: Decimal | None, *, suppressed: bool = False) -> Any:
        if suppressed:
            return suppression_label()
        return (value, _number_format(indicator, value), None)


def scorecard_sheet(card: pages.Scorecard) -> Sheet:
    sheet = Sheet(_("Scorecard"))
    sheet.columns = [
        _("Task area"),
        _("Indicator"),
        _("Value"),
        _("Target"),
        _("Status"),
        _("Change from previous period"),
        _("Change from last year"),
        _("Forecast for the year"),
        _("Target for the year"),
        _("Forecast status"),
    ]
    for row in card.rows:
        ind, fig = row.indicator, row.figure
        sheet.rows.append(
            [
                row.task_area,
                ind.name,
                Sheet.figure(fig),
                Sheet.value(ind, fig.target),
                status_word(fig.shown_status) if not fig.suppressed else "",
                Sheet.value(ind, row.change_previous),
                Sheet.value(ind, row.change_last_year),
                Sheet.value(ind, row.forecast_value, suppressed=row.forecast_suppressed),
                Sheet.value(ind, row.year_target),
                status_word(row.forecast_status),
            ]
        )
    return sheet


def heat_sheet(heat: pages.HeatTable) -> Sheet:
    sheet = Sheet(_("Units below"))
    sheet.columns = [_("Unit"), _("Levels below"), *(i.name for i in heat.indicators)]
    for row in heat.rows:
        sheet.rows.append([row.unit_name, row.level, *(Sheet.figure(f) for f in row.figures)])
    return sheet


def peer_sheet(peers: pages.PeerTable) -> Sheet:
    sheet = Sheet(_("Peers"))
    sheet.columns = [_("Unit"), *(i.name for i in peers.indicators)]
    for unit_id, name in peers.units:
        sheet.rows.append([name, *(Sheet.figure(peers.figures[(i.code, unit_id)]) for i in peers.indicators)])
    return sheet


def breakdown_sheet(bd: pages.Breakdown, unit_name: str) -> Sheet:
    sheet = Sheet(_("Breakdown"))
    sheet.columns = [_("Unit"), _("Numerator"), _("Denominator"), _("Value"), _("Target"), _("Status")]
    ind = bd.indicator
    for name, fig in [(unit_name, bd.total), *((n, f) for _u, n, f in bd.rows)]:
        sheet.rows.append(
            [
                name,
                suppression_label() if fig.suppressed else fig.numerator,
                suppression_label() if fig.suppressed else fig.denominator,
                Sheet.figure(fig),
                Sheet.value(ind, fig.target),
                "" if fig.suppressed else status_word(fig.shown_status),
            ]
        )
    return sheet


def months_sheet(tr: pages.Trend, indicator: Indicator) -> Sheet:
    sheet = Sheet(_("Month by month"))
    sheet.columns = [_("Month"), str(tr.year), str(tr.year - 1), _("Target"), _("Forecast")]
    for row in tr.rows:
        sheet.rows.append(
            [
                formats.month_da(row.month),
                Sheet.value(indicator, row.this_year, suppressed=row.this_suppressed),
                Sheet.value(indicator, row.last_year, suppressed=row.last_suppressed),
                Sheet.value(indicator, row.target),
                Sheet.value(indicator, row.forecast),
            ]
        )
    return sheet


def build_sheet(
    viewer: pages.Viewer,
    *,
    table: str,
    unit_id: str,
    period: Period,
    indicator: Indicator | None,
    latest: Month | None,
) -> Sheet:
    """The table as the page shows it to this person."""
    indicators = pages.key_indicators()
    if table == "scorecard":
        return scorecard_sheet(pages.scorecards(viewer, [unit_id], period, indicators, latest)[unit_id])
    if table in ("below", "children"):
        levels = 2 if table == "below" else 1
        return heat_sheet(pages.heat_table(viewer, unit_id, period, indicators, levels=levels))
    if table == "peers":
        return peer_sheet(pages.peer_table(viewer, unit_id, period, indicators))
    assert indicator is not None
    if table == "breakdown":
        return breakdown_sheet(pages.breakdown(viewer, indicator, unit_id, period), viewer.name(unit_id))
    return months_sheet(pages.trend(viewer, indicator, unit_id, period, latest), indicator)


def write_workbook(sheet: Sheet, header: Sequence[tuple[str, str]]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet.title[:31]
    ws.append([sheet.title])
    ws["A1"].font = Font(bold=True, size=14)
    for label, text in header:
        ws.append([label, text])
    ws.append([])
    ws.append(sheet.columns)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        values, formats = [], []
        for item in row:
            if isinstance(item, tuple):
                values.append(item[0])
                formats.append(item[1:])
            else:
                values.append(item)
                formats.append((None, None))
        ws.append(values)
        for cell, (number_format, fill) in zip(ws[ws.max_row], formats, strict=True):
            if number_format and isinstance(cell.value, (int, float, Decimal)):
                cell.number_format = number_format
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
    ws.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(
    viewer: pages.Viewer,
    *,
    table: str,
    unit_id: str,
    period: Period,
    indicator: Indicator | None,
    latest: Month | None,
) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of one table for this person."""
    sheet = build_sheet(viewer, table=table, unit_id=unit_id, period=period, indicator=indicator, latest=latest)
    freshness = pages.data_freshness()
    header = [
        (_("Unit"), f"{viewer.name(unit_id)} ({unit_id})"),
        (_("Period"), period.label_da),
        (_("Data loaded"), timezone.localtime(freshness).strftime("%d-%m-%Y %H:%M") if freshness else "–"),
        (_("Downloaded by"), f"{viewer.user} {timezone.localtime():%d-%m-%Y %H:%M}"),
    ]
    if indicator is not None:
        header.insert(0, (_("Indicator"), indicator.name))
    return file_name("driftsblik", table, unit_id, period, extension="xlsx"), write_workbook(sheet, header)
