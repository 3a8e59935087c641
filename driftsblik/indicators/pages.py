"""Page assembly: scorecards, heat tables, peers, breadcrumbs and indicator breakdowns.

Everything a page or an export shows is built here, from the shared selectors (figures,
suppression, series, forecasts), the roll-up and the visibility rule; nothing here adds figures
up, decides visibility or suppresses on its own. The page and its Excel download are built by
the same functions, so a download holds exactly the rows and columns the page shows.

Queries per page are constant in the number of units shown: every figure of a table comes from
one `figures` call (one observation query whatever the number of units), the tree is read once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import BadRequest
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from driftsblik.core import hooks
from driftsblik.core.periods import Month, Period, PeriodError, month_range
from driftsblik.indicators import selectors
from driftsblik.indicators.models import ImportBatch, Indicator, Kind, Measure, Observation, Temporal
from driftsblik.indicators.rollup import Cell, monthly_cells, value_of
from driftsblik.indicators.status import Forecast, forecast, period_target, status
from driftsblik.organisation.models import UNASSIGNED_UNIT_ID
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import ABOVE, PEER, today
from driftsblik.ui import charts
from driftsblik.ui import status as status_table
from driftsblik.ui.formats import value_da, value_text

SPARK_MONTHS = 13


# -- who is looking --------------------------------------------------------------------------


# -- periods and freshness -------------------------------------------------------------------


def latest_month() -> Month | None:
    """The latest month with any data loaded."""
    latest = Observation.objects.aggregate(latest=Max("period"))["latest"]
    return Month.of(latest) if latest else None


def resolve_period(text: str | None, latest: Month | None) -> Period:
    """The asked period ('2025-03', '2025Q1', '2025'), or the latest month with data; bad text is a 400."""
    if text:
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise BadRequest(str(exc)) from None
    return Period.month(latest or Month.of(today()))


def period_notice(text: str | None, shown: str) -> str:
    """The polite sentence a page shows for a period in its address that does not exist."""
    return _("There is no period “%(text)s”: the page shows %(period)s instead. Choose a period below.") % {
        "text": (text or "")[:20],
        "period": shown,
    }


def period_or_notice(text: str | None, latest: Month | None) -> tuple[Period, str]:
    """The asked period, or the latest month with data and a notice saying the asked one does not exist."""
    try:
        return resolve_period(text, latest), ""
    except BadRequest:
        period = resolve_period(None, latest)
        return period, period_notice(text, period.label_da)


def period_options(latest: Month | None, chosen: Period) -> list[dict[str, Any]]:
    """Choices for the period selector: the months, quarters and budget years of this and last year."""
    last = latest or chosen.stop
    years = [last.year, last.year - 1]
    groups: list[dict[str, Any]] = [
        {"label": _("Month"), "options": [Period.month(m) for m in reversed(month_range(Month(years[1], 1), last))]},
        {
            "label": _("Quarter"),
            "options": [
                Period.parse(f"{year}Q{q}") for year in years for q in range(4, 0, -1) if Month(year, 3 * q - 2) <= last
            ],
        },
        {"label": _("Budget year"), "options": [Period.parse(str(year)) for year in years]},
    ]
    for group in groups:
        group["options"] = [{"value": str(p), "label": p.label_da, "selected": p == chosen} for p in group["options"]]
    if not any(o["selected"] for g in groups for o in g["options"]):
        groups[0]["options"].insert(0, {"value": str(chosen), "label": chosen.label_da, "selected": True})
    return groups


def data_freshness() -> dt.datetime | None:
    """When data were last loaded: the latest import batch, else the latest observation's load time."""
    batch = ImportBatch.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if batch is not None:
        return batch
    latest: dt.datetime | None = Observation.objects.aggregate(latest=Max("loaded_at"))["latest"]
    return latest


def common_context(viewer: Viewer, period_text: str | None) -> dict[str, Any]:
    """What every indicator page shows around its tables: the viewer, the period asked for (the
    latest month with data by default) and its choices, when data were loaded, the key indicators.
    A period that does not exist shows the default period with a notice saying so (not a 400)."""
    latest = latest_month()
    every = all_indicators()
    period, notice = period_or_notice(period_text, latest)
    return {
        "period_notice": notice,
        "viewer": viewer,
        "latest": latest,
        "period": period,
        "period_options": period_options(latest, period),
        "freshness": data_freshness(),
        "all_indicators": every,
        "indicators": key_of(every),
    }


def _area_order(indicator: Indicator) -> tuple[str, bool, int, str]:
    """By task area (those without one last), the key indicators first within each."""
    return (
        indicator.task_area.name if indicator.task_area else "~",
        not indicator.key,
        indicator.sort_order,
        indicator.code,
    )


def all_indicators() -> list[Indicator]:
    """Every indicator, grouped by task area, the key indicators first within each (one query)."""
    return sorted(Indicator.objects.select_related("task_area"), key=_area_order)


def key_of(indicators: list[Indicator]) -> list[Indicator]:
    """The key indicators among `indicators` (all of them when none is marked key), in their order."""
    return [i for i in indicators if i.key] or list(indicators)


def key_indicators() -> list[Indicator]:
    """The key indicators, grouped by task area (all indicators when none is marked key)."""
    return key_of(all_indicators())


AREA_PARAM = "omraade"
KEY_AREA = ""  # the choice of the key indicators across task areas (the default)


@dataclass
class AreaChoice:
    """One choice of the heat table's columns: the key indicators, or one task area's indicators."""

    code: str
    label: str
    selected: bool


def area_indicators(indicators: list[Indicator], code: str | None) -> tuple[list[Indicator], list[AreaChoice]]:
    """The heat table's columns for the chosen task area (`code`; the key indicators when empty or
    unknown) and the choices: the key indicators, then every task area that has indicators."""
    areas: dict[str, str] = {}
    for indicator in indicators:
        if indicator.task_area is not None:
            areas.setdefault(indicator.task_area.code, indicator.task_area.name)
    chosen = code if code in areas else KEY_AREA
    choices = [AreaChoice(KEY_AREA, _("Key indicators"), chosen == KEY_AREA)]
    choices += [AreaChoice(c, n, chosen == c) for c, n in sorted(areas.items(), key=lambda a: (a[1], a[0]))]
    if chosen == KEY_AREA:
        return key_of(indicators), choices
    return [i for i in indicators if i.task_area is not None and i.task_area.code == chosen], choices


# -- scorecards ------------------------------------------------------------------------------


@dataclass
class ScoreRow:
    """One indicator on a unit's scorecard."""

    indicator: Indicator
    figure: selectors.Figure
    change_previous: Decimal | None
    change_last_year: Decimal | None
    sparkline: dict[str, Any]
    forecast_value: Decimal | None
    forecast_suppressed: str | None  # the suppression mark (SMALL or SECONDARY) when hidden
    year_target: Decimal | None
    forecast_status: str | None
    explanation: hooks.Explanation | None = None  # the unit's latest words about the figure (`explanations`)

    @property
    def task_area(self) -> str:
        return self.indicator.task_area.name if self.indicator.task_area else _("Other")


@dataclass
class Scorecard:
    unit_id: str
    unit_name: str
    period: Period
    rows: list[ScoreRow]
    relation: str | None = None

    def only(self, indicators: list[Indicator]) -> Scorecard:
        """The same scorecard with the rows of `indicators` only (the key ones above my unit)."""
        codes = {i.code for i in indicators}
        rows = [r for r in self.rows if r.indicator.code in codes]
        return Scorecard(self.unit_id, self.unit_name, self.period, rows, self.relation)

    @property
    def groups(self) -> list[tuple[str, list[ScoreRow]]]:
        grouped: dict[str, list[ScoreRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.task_area, []).append(row)
        return list(grouped.items())


def _difference(a: selectors.Figure, b: selectors.Figure) -> Decimal | None:
    if a.value is None or b.value is None:
        return None
    return a.value - b.value


def scorecards(
    viewer: Viewer, unit_ids: list[str], period: Period, indicators: list[Indicator], latest: Month | None
) -> dict[str, Scorecard]:
    """Scorecards of several units at once (a fixed number of queries whatever their number)."""
    for unit in unit_ids:
        viewer.access(unit)
    user, trees, visible = viewer.user, viewer.trees, viewer.visible
    now = selectors.figures(user, indicators, unit_ids, period, trees=trees, visible=visible)
    year_before = selectors.last_year_figures(user, now, trees=trees)
    # a budget year's previous period is the year before: its same months, as for last year
    previous = (
        year_before
        if period.kind == "year"
        else selectors.figures(user, indicators, unit_ids, period.previous(), trees=trees, visible=visible)
    )
    through = min(period.stop, latest) if latest else period.stop
    spark_months = month_range(period.stop.shift(1 - SPARK_MONTHS), period.stop)
    forecast_months = month_range(Month(through.year - 1, 1), through)
    cells = monthly_cells(indicators, unit_ids, set(spark_months) | set(forecast_months), trees)
    year_targets = selectors.targets_for(indicators, unit_ids, [through.year])
    result: dict[str, Scorecard] = {}
    for unit in unit_ids:
        rows = []
        for indicator in indicators:
            code = indicator.code
            hidden = selectors.hidden_months(user, indicator, unit, spark_months, trees)
            spark = [None if m in hidden else value_of(indicator, cells.get((code, unit, m))) for m in spark_months]
            fc = _forecast(indicator, unit, through, cells)
            year_target = period_target(indicator, year_targets.get((code, unit, through.year)), 12)
            fc_hidden = selectors.forecast_mark(user, indicator, unit, through, fc, trees)
            fc_value = None if fc is None or fc_hidden else fc.value
            figure = now[(code, unit)]
            if figure.cell is None and figure.target is None and all(v is None for v in spark):
                continue  # an indicator this unit has neither figures nor a target for
            rows.append(
                ScoreRow(
                    indicator=indicator,
                    figure=figure,
                    change_previous=_difference(figure, previous[(code, unit)]),
                    change_last_year=_difference(figure, year_before[(code, unit)]),
                    sparkline=charts.sparkline_spec(
                        values=spark,
                        description=_("%(indicator)s at %(unit)s, the last 13 months")
                        % {"indicator": indicator.name, "unit": viewer.name(unit)},
                    ),
                    forecast_value=fc_value,
                    forecast_suppressed=fc_hidden,
                    year_target=year_target,
                    forecast_status=status(indicator, fc_value, year_target),
                )
            )
        access = visible.get(unit)
        result[unit] = Scorecard(unit, viewer.name(unit), period, rows, access.relation if access else None)
    return result


def _forecast(
    indicator: Indicator, unit: str, through: Month, cells: dict[tuple[str, str, Month], Cell]
) -> Forecast | None:
    """The shared year-end forecast (status.forecast) from cells already read."""
    this = {m: c for m in month_range(Month(through.year, 1), through) if (c := cells.get((indicator.code, unit, m)))}
    last = {
        m: c
        for m in month_range(Month(through.year - 1, 1), Month(through.year - 1, 12))
        if (c := cells.get((indicator.code, unit, m)))
    }
    return forecast(indicator, this, last, through)


# -- heat table: the units below -------------------------------------------------------------


@dataclass
class HeatRow:
    unit_id: str
    unit_name: str
    level: int
    parent_id: str | None
    figures: list[selectors.Figure]
    off_target: Decimal
    explanations: list[hooks.Explanation | None] = field(default_factory=list)  # beside `figures`

    @property
    def cells(self) -> list[tuple[selectors.Figure, hooks.Explanation | None]]:
        """Each figure with the unit's latest words about it (None where it has said nothing)."""
        words = self.explanations or [None] * len(self.figures)
        return list(zip(self.figures, words, strict=True))


@dataclass
class HeatTable:
    unit_id: str
    period: Period
    indicators: list[Indicator]
    rows: list[HeatRow]
    area: str = KEY_AREA  # the task area whose indicators are the columns (KEY_AREA: the key indicators)
    choices: list[AreaChoice] = field(default_factory=list)

    @property
    def unattached_note(self) -> str | None:
        """What "Ikke tilknyttet" is, when it stands among the units (it is not one of them)."""
        return unattached_text() if any(r.unit_id == UNASSIGNED_UNIT_ID for r in self.rows) else None


def shortfall(figure: selectors.Figure) -> Decimal | None:
    """How far a shown figure is off its target, relative to the target (positive: worse, 0: met); an
    activity is off its plan either way."""
    value, target = figure.value, figure.target
    if value is None or target is None or figure.shown_status is None or target == 0:
        return None
    if figure.indicator.kind == Kind.ACTIVITY:
        gap = abs(value - target) - abs(target) * figure.indicator.tolerance_pct / 100
    else:
        gap = (target - value) if figure.indicator.direction == "higher" else (value - target)
    return max(gap / abs(target), Decimal(0))


def heat_table(
    viewer: Viewer,
    unit_id: str,
    period: Period,
    indicators: list[Indicator],
    levels: int = 2,
    area: str | None = None,
) -> HeatTable:
    """The visible units one and two levels below, worst first (children by how far off target,
    each child's own children beneath it, again worst first). With `area` the columns are that task
    area's indicators among `indicators` (the key ones without it), and the table carries the choices."""
    viewer.access(unit_id)
    indicators, choices = area_indicators(indicators, area)
    chosen = next(c.code for c in choices if c.selected)
    below = [(u, lvl) for u, lvl in viewer.tree.descendants(unit_id, levels) if viewer.sees(u)]
    units = [u for u, _ in below]
    figs = selectors.figures(viewer.user, indicators, units, period, trees=viewer.trees, visible=viewer.visible)
    indicators = [i for i in indicators if any(figs[(i.code, u)].cell is not None for u in units)]
    rows: dict[str, HeatRow] = {}
    for unit, lvl in below:
        unit_figs = [figs[(i.code, unit)] for i in indicators]
        gaps = [g for f in unit_figs if (g := shortfall(f)) is not None]
        score = sum(gaps, Decimal(0)) / len(gaps) if gaps else Decimal(0)
        rows[unit] = HeatRow(unit, viewer.name(unit), lvl, viewer.tree.parent.get(unit), unit_figs, score)

    def ordered(parent: str) -> list[HeatRow]:
        kids = [rows[k] for k in viewer.tree.children.get(parent, []) if k in rows]
        kids.sort(key=lambda r: (-r.off_target, r.unit_name, r.unit_id))
        out = []
        for kid in kids:
            out.append(kid)
            out.extend(ordered(kid.unit_id))
        return out

    return HeatTable(unit_id, period, indicators, ordered(unit_id), chosen, choices)


# -- peers -----------------------------------------------------------------------------------


@dataclass
class PeerTable:
    unit_id: str
    period: Period
    indicators: list[Indicator]
    units: list[tuple[str, str]]  # (unit id, name), the own unit among them
    figures: dict[tuple[str, str], selectors.Figure]
    charts: list[dict[str, Any]]

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": u,
                "name": n,
                "is_self": u == self.unit_id,
                "figures": [self.figures[(i.code, u)] for i in self.indicators],
            }
            for u, n in self.units
        ]


def peer_table(viewer: Viewer, unit_id: str, period: Period, indicators: list[Indicator]) -> PeerTable:
    """The unit beside the other children of its parent (the peers it sees), per key indicator."""
    viewer.access(unit_id)
    parent = viewer.tree.parent.get(unit_id)
    siblings = viewer.tree.children.get(parent, []) if parent else [unit_id]
    units = [u for u in siblings if viewer.sees(u)]
    figs = selectors.figures(viewer.user, indicators, units, period, trees=viewer.trees, visible=viewer.visible)
    indicators = [i for i in indicators if figs[(i.code, unit_id)].cell is not None]
    chart_list = []
    if len(units) > 1:
        for number, indicator in enumerate(indicators):
            own = figs[(indicator.code, unit_id)]
            spec = charts.ranked_bars_spec(
                rows=[_chart_row(figs[(indicator.code, u)], viewer.name(u), is_self=u == unit_id) for u in units],
                value_label=indicator.unit_label or indicator.name,
                description=_("%(indicator)s, %(period)s: %(unit)s beside its peers")
                % {"indicator": indicator.name, "period": period.label_da, "unit": viewer.name(unit_id)},
                target=float(own.target) if own.target is not None else None,
                target_label=_("Target"),
                value_text=value_text(indicator),
                self_label=_("This unit"),
                peers_label=_("Its peers"),
                width=300,
            )
            chart_list.append({"id": f"peers-{number}", "indicator": indicator, "spec": spec, "own": own})
    return PeerTable(unit_id, period, indicators, [(u, viewer.name(u)) for u in units], figs, chart_list)


def _chart_row(figure: selectors.Figure, name: str, *, is_self: bool = False) -> dict[str, Any]:
    """A unit's bar as its table row shows it: the value's and the target's texts ('<5' when
    hidden), and the link to the indicator at that unit for the period."""
    indicator = figure.indicator
    return {
        "name": name,
        "value": figure.value,
        "value_text": value_da(indicator, figure.value, suppressed=figure.suppressed),
        "target": figure.target,
        "target_text": value_da(indicator, figure.target),
        "status": figure.shown_status,
        "is_self": is_self,
        "href": f"{reverse('indicator', args=[indicator.code, figure.unit_id])}?periode={figure.period}",
    }


# -- breadcrumb and leaders ------------------------------------------------------------------


def breadcrumb(viewer: Viewer, unit_id: str) -> list[dict[str, Any]]:
    """The leadership chain from the root to the unit; steps the person sees are links."""
    return [
        {"id": u, "name": viewer.name(u), "link": viewer.sees(u), "current": u == unit_id}
        for u in viewer.tree.chain(unit_id)
    ]


# -- the catalogue ---------------------------------------------------------------------------


@dataclass
class CatalogueEntry:
    """An indicator's definition and the units in the person's view where its figures can be seen."""

    indicator: Indicator
    places: list[tuple[str, str]]  # (unit id, name): the person's own units, then those above them

    @property
    def task_area(self) -> str:
        return self.indicator.task_area.name if self.indicator.task_area else _("Other")


def _searched(indicator: Indicator) -> str:
    """What a search looks through: the definition's words, casefolded."""
    parts = [
        indicator.name,
        indicator.code,
        indicator.description,
        indicator.source,
        indicator.owner,
        indicator.unit_label,
        indicator.task_area.name if indicator.task_area else "",
        str(indicator.get_kind_display()),
        str(indicator.get_measure_display()),
    ]
    return " ".join(parts).casefold()


def search(indicators: list[Indicator], query: str) -> list[Indicator]:
    """The indicators whose definition holds every word of `query` (any case), in their order."""
    words = query.casefold().split()
    return [i for i in indicators if all(w in _searched(i) for w in words)]


def catalogue(
    viewer: Viewer, indicators: list[Indicator], latest: Month | None
) -> list[tuple[str, list[CatalogueEntry]]]:
    """The indicators by task area, each with the units where the person can see its figures: their
    own units and the units above them in their view that have figures for it in the 13 months up
    to the latest month with data (one roll-up for all, whatever the number of indicators)."""
    own = viewer.home_units()
    above = [
        u
        for home in own
        for u in viewer.tree.ancestors(home)
        if (a := viewer.visible.get(u)) is not None and a.relation == ABOVE
    ]
    places = list(dict.fromkeys([*own, *above]))
    stop = latest or Month.of(today())
    months = month_range(stop.shift(1 - SPARK_MONTHS), stop)
    cells = monthly_cells(indicators, places, months, viewer.trees)
    with_data = {(code, unit) for code, unit, _m in cells}
    grouped: dict[str, list[CatalogueEntry]] = {}
    for indicator in indicators:
        seen = [(u, viewer.name(u)) for u in places if (indicator.code, u) in with_data]
        entry = CatalogueEntry(indicator, seen)
        grouped.setdefault(entry.task_area, []).append(entry)
    return list(grouped.items())


# -- the indicator page ----------------------------------------------------------------------


def indicator_or_404(code: str) -> Indicator:
    try:
        return Indicator.objects.select_related("task_area").get(code=code)
    except Indicator.DoesNotExist:
        raise Http404("No such indicator") from None


def formula(indicator: Indicator) -> str:
    """How the figure is computed, in plain words."""
    if indicator.measure == Measure.COUNT:
        text = _("The number counted, summed over the units below.")
    elif indicator.measure == Measure.SHARE:
        text = _(
            "Numerator divided by denominator, times 100; over units and months the numerators and the "
            "denominators are summed first, never the percentages averaged."
        )
    else:
        text = _(
            "Numerator per 1,000 of the denominator; over units and months the numerators and the "
            "denominators are summed first."
        )
    if indicator.temporal == Temporal.FLOW:
        return text + " " + _("Over several months the months add up.")
    return text + " " + _("Over several months the last month counts (a stock).")


@dataclass
class Breakdown:
    unit_id: str
    indicator: Indicator
    period: Period
    total: selectors.Figure
    rows: list[tuple[str, str, selectors.Figure]]  # (unit id, name, figure), highest value first
    spec: dict[str, Any] | None
    explanations: dict[str, hooks.Explanation] = field(default_factory=dict)  # by unit id (`explanations`)

    @property
    def total_explanation(self) -> hooks.Explanation | None:
        return self.explanations.get(self.unit_id)

    @property
    def explained_rows(self) -> list[tuple[str, str, selectors.Figure, hooks.Explanation | None]]:
        """The rows, each with the unit's latest words about its figure."""
        return [(u, name, fig, self.explanations.get(u)) for u, name, fig in self.rows]


def breakdown(viewer: Viewer, indicator: Indicator, unit_id: str, period: Period) -> Breakdown:
    """The unit and its visible child units for the period, with secondary suppression."""
    viewer.access(unit_id)
    kids = [k for k in viewer.tree.children.get(unit_id, []) if viewer.sees(k)]
    figs = selectors.figures(
        viewer.user, [indicator], [unit_id, *kids], period, trees=viewer.trees, visible=viewer.visible
    )
    rows = [(k, viewer.name(k), figs[(indicator.code, k)]) for k in kids]
    with_value = sorted((r for r in rows if r[2].value is not None), key=lambda r: -(r[2].value or Decimal(0)))
    rows = with_value + [r for r in rows if r[2].value is None]
    spec = None
    if rows:
        spec = charts.breakdown_spec(
            rows=[_chart_row(f, n) for _, n, f in rows],
            value_label=indicator.unit_label or indicator.name,
            target_label=_("Target"),
            value_text=value_text(indicator),
            description=_("%(indicator)s, %(period)s: the units under %(unit)s against their targets")
            % {"indicator": indicator.name, "period": period.label_da, "unit": viewer.name(unit_id)},
            family=status_table.PLAN if indicator.kind == Kind.ACTIVITY else status_table.TARGET,
        )
    return Breakdown(unit_id, indicator, period, figs[(indicator.code, unit_id)], rows, spec)


@dataclass
class MonthRow:
    month: Month
    this_year: Decimal | None
    this_suppressed: str | None  # the suppression mark (SMALL or SECONDARY) when hidden
    last_year: Decimal | None
    last_suppressed: str | None
    target: Decimal | None
    forecast: Decimal | None


@dataclass
class Trend:
    year: int
    rows: list[MonthRow]
    spec: dict[str, Any]
    forecast_value: Decimal | None
    forecast_method: str | None
    year_target: Decimal | None
    forecast_status: str | None
    forecast_suppressed: str | None  # the suppression mark (SMALL or SECONDARY) when hidden


Series = list[Decimal | None]


def _forecast_line(
    indicator: Indicator, actual: Series, last_year: Series, fc_value: Decimal | None
) -> tuple[Series, Series, Series]:
    """The forecast line after the last month with data, and its band (see `trend`), month by month."""
    line: Series = [None] * 12
    low: Series = [None] * 12
    high: Series = [None] * 12
    done = [i for i, v in enumerate(actual) if v is not None]
    known = [v for v in actual if v is not None]
    if fc_value is None or not done or done[-1] >= 11:
        return line, low, high
    rest = list(range(done[-1] + 1, 12))
    if indicator.measure == Measure.COUNT and indicator.temporal == Temporal.FLOW:
        remainder = fc_value - sum(known, Decimal(0))
        profile = [v for v in (last_year[i] for i in rest) if v is not None]
        weights = profile if len(profile) == len(rest) and sum(profile, Decimal(0)) > 0 else [Decimal(1)] * len(rest)
        total_weight = sum(weights, Decimal(0))
        run_rate = sum(known, Decimal(0)) / len(done)
        for i, w in zip(rest, weights, strict=True):
            value = remainder * w / total_weight
            line[i], low[i], high[i] = value, min(value, run_rate), max(value, run_rate)
    else:
        for i in rest:
            line[i], low[i], high[i] = fc_value, min(fc_value, known[-1]), max(fc_value, known[-1])
    return line, low, high


def trend(viewer: Viewer, indicator: Indicator, unit_id: str, period: Period, latest: Month | None) -> Trend:
    """The budget year month by month against last year and the target, with the year-end forecast.

    The forecast line continues the year after the last month with data: for flow counts the
    forecast's remainder spread over the missing months by last year's profile (evenly without
    it), otherwise the forecast level; the band spans that line and the run rate of the year so
    far (for ratios and stocks: the forecast and the latest actual value).
    """
    viewer.access(unit_id)
    year = period.year
    months = month_range(Month(year, 1), Month(year, 12))
    this = selectors.monthly_series(viewer.user, indicator, unit_id, months, trees=viewer.trees)
    last = selectors.monthly_series(viewer.user, indicator, unit_id, [m.shift(-12) for m in months], trees=viewer.trees)
    yearly = selectors.targets_for([indicator], [unit_id], [year]).get((indicator.code, unit_id, year))
    month_targets = [t.value for t in selectors.month_targets(indicator, unit_id, year, viewer.trees, yearly)]
    year_target = period_target(indicator, yearly, 12)
    through = min(Month(year, 12), latest) if latest else Month(year, 12)
    fc = selectors.year_forecast(indicator, unit_id, through, viewer.trees) if through.year == year else None
    fc_hidden = selectors.forecast_mark(viewer.user, indicator, unit_id, through, fc, viewer.trees)
    fc_value = None if fc is None or fc_hidden else fc.value
    actual = [p.value for p in this]
    line, low, high = _forecast_line(indicator, actual, [p.value for p in last], fc_value)
    rows = [
        MonthRow(m, this[i].value, this[i].mark, last[i].value, last[i].mark, month_targets[i], line[i])
        for i, m in enumerate(months)
    ]
    spec = charts.trend_spec(
        months=[str(m) for m in months],
        this_year=actual,
        last_year=[p.value for p in last],
        target=month_targets,  # one rule when every month's is the same, else a stepped line
        forecast=line if any(v is not None for v in line) else None,
        forecast_low=low if any(v is not None for v in low) else None,
        forecast_high=high if any(v is not None for v in high) else None,
        value_label=indicator.unit_label or indicator.name,
        value_text=value_text(indicator),
        description=_(
            "%(indicator)s at %(unit)s, budget year %(year)s month by month, against last year and the target"
        )
        % {"indicator": indicator.name, "unit": viewer.name(unit_id), "year": year},
        series_labels={
            "this_year": str(year),
            "last_year": str(year - 1),
            "forecast": _("Forecast"),
            "forecast_band": _("Forecast range"),
            "target": _("Target"),
            "month": _("Month"),
            "series": _("Series"),
        },
    )
    return Trend(
        year,
        rows,
        spec,
        fc_value,
        fc.method if fc and not fc_hidden else None,
        year_target,
        status(indicator, fc_value, year_target),
        fc_hidden,
    )


# -- empty states: a sentence where a chart or a button would make no sense --------------------


@dataclass
class EmptyStates:
    """What the indicator page says instead of a blank chart or a button with nothing behind it."""

    future: str | None = None  # the period has no figures yet (it lies after the latest data)
    no_data: str | None = None  # the unit has no figure for the period
    no_target: str | None = None  # no target: no status, nothing to measure against
    no_target_word: str = ""  # the status table's word for it, the sentence's heading
    unattached: str | None = None  # the unit is "Ikke tilknyttet", not a unit of the organisation
    no_trend: bool = False  # the year's chart would be empty
    no_breakdown: bool = False  # the units below have no figure to draw

    @property
    def challengeable(self) -> bool:
        """A challenge needs a figure to be about: none in a future period or without data."""
        return self.future is None and self.no_data is None

    @property
    def why_no_challenge(self) -> str | None:
        if self.challengeable:
            return None
        return _("There is no figure here to raise a challenge about.") + " " + (self.future or self.no_data or "")


def unattached_text() -> str:
    """What "Ikke tilknyttet" is and who puts it right."""
    return _(
        "“Not attached” is not a unit of the organisation: it collects the figures of persons and records "
        "that the source systems did not link to any unit, so that they still count in the municipality's "
        "total. It is put right at the source: the unit that registers the person enters their unit in its "
        "professional system, and a unit code Driftsblik does not know is added to the organisation by "
        "Driftsblik's administrator."
    )


def empty_states(
    indicator: Indicator,
    unit_name: str,
    unit_id: str,
    period: Period,
    latest: Month | None,
    page: Breakdown,
    year: Trend,
) -> EmptyStates:
    """The indicator page's empty states for the unit and period (see `EmptyStates`)."""
    states = EmptyStates()
    names = {"indicator": indicator.name, "unit": unit_name, "period": period.label_da, "year": period.year}
    if latest is None:
        states.future = _("No figures have been loaded yet.")
    elif latest < period.start:
        states.future = _("%(period)s has no figures yet: the latest figures are from %(latest)s.") % {
            **names,
            "latest": Period.month(latest).label_da,
        }
    elif page.total.cell is None and not page.total.suppressed:
        states.no_data = (
            _(
                "%(unit)s has no figures for %(indicator)s in %(period)s. They appear when the source's figures "
                "for the unit are loaded."
            )
            % names
        )
    if page.total.target is None and year.year_target is None:
        owner = f" ({indicator.owner})" if indicator.owner else ""
        states.no_target = _(
            "No target is set for %(indicator)s at %(unit)s in %(year)s, so the figure has no status. "
            "Targets are proposed by the indicator's owner%(owner)s and loaded by Driftsblik's administrator."
        ) % {**names, "owner": owner}
        states.no_target_word = status_table.word(None)
    if unit_id == UNASSIGNED_UNIT_ID:
        states.unattached = unattached_text()
    states.no_trend = all(r.this_year is None and r.last_year is None and not r.this_suppressed for r in year.rows)
    states.no_breakdown = not any(f.value is not None for _, _, f in page.rows)
    return states


__all__ = [
    "ABOVE",
    "PEER",
    "Breakdown",
    "HeatTable",
    "PeerTable",
    "Scorecard",
    "Trend",
    "Viewer",
    "breadcrumb",
    "all_indicators",
    "area_indicators",
    "breakdown",
    "catalogue",
    "common_context",
    "empty_states",
    "data_freshness",
    "heat_table",
    "indicator_or_404",
    "key_indicators",
    "key_of",
    "latest_month",
    "peer_table",
    "period_options",
    "resolve_period",
    "scorecards",
    "search",
    "trend",
]
