"""Excel downloads of the tables on the pages: exactly the rows and columns a person sees.

Each table is built by the same `pages` function as the page, for the same person, so a download
never holds a unit outside the person's view or a figure the page suppresses (those read "<5").
Header lines name the unit, the period, when the data were last loaded and who downloaded; the
workbook itself is written by the one Excel writer (`ui.excel`: widths, frozen header, filter,
number formats). Chart columns (the sparklines) have no cell form and are left out.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from driftsblik.core.periods import Month, Period
from driftsblik.indicators import pages
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.viewer import Viewer
from driftsblik.ui import excel, formats
from driftsblik.ui.downloads import file_name

TABLES = ("scorecard", "below", "children", "peers", "breakdown", "months")
INDICATOR_TABLES = ("breakdown", "months")


def scorecard_table(card: pages.Scorecard) -> excel.Table:
    table = excel.Table(
        _("Scorecard"),
        [
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
        ],
    )
    for row in card.rows:
        ind, fig = row.indicator, row.figure
        table.add(
            row.task_area,
            ind.name,
            excel.figure_of(fig),
            excel.measured(ind, fig.target),
            excel.status_of(fig),
            excel.measured(ind, row.change_previous, change=True),
            excel.measured(ind, row.change_last_year, change=True),
            excel.hidden(row.forecast_suppressed)
            if row.forecast_suppressed
            else excel.measured(ind, row.forecast_value),
            excel.measured(ind, row.year_target),
            excel.status(row.forecast_status),
        )
    return table


def heat_table(heat: pages.HeatTable) -> excel.Table:
    """The units below with, per key indicator, the figure, its target and its status."""
    columns = [_("Unit"), _("Levels below")]
    for indicator in heat.indicators:
        columns += [
            indicator.name,
            _("%(indicator)s: target") % {"indicator": indicator.name},
            _("%(indicator)s: status") % {"indicator": indicator.name},
        ]
    table = excel.Table(_("Units below"), columns)
    for row in heat.rows:
        cells: list[object] = [row.unit_name, row.level]
        for fig in row.figures:
            cells += [excel.figure_of(fig), excel.measured(fig.indicator, fig.target), excel.status_of(fig)]
        table.add(*cells)
    return table


def peer_table(peers: pages.PeerTable) -> excel.Table:
    table = excel.Table(_("Peers"), [_("Unit"), *(i.name for i in peers.indicators)])
    for unit_id, name in peers.units:
        table.add(name, *(excel.figure_of(peers.figures[(i.code, unit_id)]) for i in peers.indicators))
    return table


def breakdown_table(bd: pages.Breakdown, unit_name: str) -> excel.Table:
    table = excel.Table(
        _("Breakdown"), [_("Unit"), _("Numerator"), _("Denominator"), _("Value"), _("Target"), _("Status")]
    )
    ind = bd.indicator
    for name, fig in [(unit_name, bd.total), *((n, f) for _u, n, f in bd.rows)]:
        hidden = bool(fig.suppressed)
        table.add(
            name,
            excel.hidden() if hidden else excel.amount(fig.numerator),
            excel.hidden() if hidden else excel.amount(fig.denominator),
            excel.figure_of(fig),
            excel.measured(ind, fig.target),
            excel.status_of(fig),
        )
    return table


def months_table(tr: pages.Trend, indicator: Indicator) -> excel.Table:
    table = excel.Table(_("Month by month"), [_("Month"), str(tr.year), str(tr.year - 1), _("Target"), _("Forecast")])
    for row in tr.rows:
        table.add(
            formats.month_da(row.month),
            excel.hidden(row.this_suppressed) if row.this_suppressed else excel.measured(indicator, row.this_year),
            excel.hidden(row.last_suppressed) if row.last_suppressed else excel.measured(indicator, row.last_year),
            excel.measured(indicator, row.target),
            excel.measured(indicator, row.forecast),
        )
    return table


def build_table(
    viewer: Viewer,
    *,
    table: str,
    unit_id: str,
    period: Period,
    indicator: Indicator | None,
    latest: Month | None,
    area: str | None = None,
) -> excel.Table:
    """The table as the page shows it to this person (the heat tables with the task area chosen)."""
    every = pages.all_indicators()
    if table == "scorecard":
        return scorecard_table(pages.scorecards(viewer, [unit_id], period, every, latest)[unit_id])
    if table in ("below", "children"):
        levels = 2 if table == "below" else 1
        return heat_table(pages.heat_table(viewer, unit_id, period, every, levels=levels, area=area))
    if table == "peers":
        return peer_table(pages.peer_table(viewer, unit_id, period, pages.key_of(every)))
    assert indicator is not None
    if table == "breakdown":
        return breakdown_table(pages.breakdown(viewer, indicator, unit_id, period), viewer.name(unit_id))
    return months_table(pages.trend(viewer, indicator, unit_id, period, latest), indicator)


def workbook(
    viewer: Viewer,
    *,
    table: str,
    unit_id: str,
    period: Period,
    indicator: Indicator | None,
    latest: Month | None,
    area: str | None = None,
) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of one table for this person."""
    sheet = build_table(
        viewer, table=table, unit_id=unit_id, period=period, indicator=indicator, latest=latest, area=area
    )
    lines = [(_("Unit"), f"{viewer.name(unit_id)} ({unit_id})"), (_("Period"), period.label_da)]
    if indicator is not None:
        lines.insert(0, (_("Indicator"), indicator.name))
    sheet.header = [*lines, excel.loaded(pages.data_freshness()), excel.downloaded_by(viewer.user)]
    return file_name("driftsblik", table, unit_id, period, extension="xlsx"), excel.workbook([sheet])
