"""Assembling a committee report: every figure, sentence, chart and commentary, as one snapshot.

The snapshot is a plain JSON-able dict; the HTML page, the PDF and an issued report's frozen
figures are all rendered from it, so what was issued can be compared with today's figures.

Figures come from `driftsblik.indicators.selectors` as a reader who sees every unit but is no
analyst: reports go to politicians, so small numbers are suppressed as for any non-analyst,
including the secondary suppression of the breakdown by unit (`Viewer.report_reader`).

The indicator blocks of each task area are the report's own; every other part is a `ReportSection`
registered by the app whose data it shows (`core.hooks`): per task area the commentary and the
director's chosen challenges (reports), the open dialogue's counts (dialogue); per report the
cross-cutting efforts (efforts), the budget (budget) and the comparison with similar
municipalities (sources). A section is stored under its name and shown by the templates by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from driftsblik.core import hooks
from driftsblik.core.periods import Month, Period, month_range
from driftsblik.indicators import selectors
from driftsblik.indicators.models import Indicator, Kind, Measure, Observation
from driftsblik.indicators.status import spread_over_months
from driftsblik.indicators.suppression import suppression_label
from driftsblik.organisation.models import Committee, TaskArea
from driftsblik.organisation.viewer import Viewer
from driftsblik.reports.access import reader_units
from driftsblik.reports.cadence import due_for
from driftsblik.reports.models import ReportKind
from driftsblik.reports.selectors import schedule_of
from driftsblik.reports.sentences import indicator_sentence, target_label
from driftsblik.ui import charts
from driftsblik.ui import status as status_table
from driftsblik.ui.formats import value_da, value_text

TARGET = status_table.TARGET
BUDGET = status_table.BUDGET


def sections(scope: str, kind: str) -> tuple[hooks.ReportSection, ...]:
    """The registered sections of one scope that belong in a report of `kind`, in their order."""
    return tuple(s for s in hooks.entries(hooks.ReportSection) if s.scope == scope and (not s.kinds or kind in s.kinds))


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def report_title(committee: Committee, period: Period, kind: str, number: int | None) -> str:
    if kind == ReportKind.BUDGET:
        which = f"{number}. budgetopfølgning" if number else "Budgetopfølgning"
        return f"{which} {period.year} – {committee.name}"
    return f"Status {period.label_da} – {committee.name}"


def build_snapshot(*, committee: Committee, period: Period, kind: str = ReportKind.STATUS) -> dict[str, Any]:
    """Everything the report shows for the committee and period, as it is in the data now.

    The report is a Danish document whoever builds it: its texts are made in Danish.
    """
    with translation.override("da"):
        return _build_snapshot(committee, period, kind)


def _build_snapshot(committee: Committee, period: Period, kind: str) -> dict[str, Any]:
    schedule = schedule_of(committee)
    due = due_for(schedule, kind, period) if schedule else None
    reader = Viewer.report_reader(period.end)
    task_areas = list(TaskArea.objects.filter(committee=committee).prefetch_related("units").order_by("code"))
    indicators_used: dict[str, Indicator] = {}
    areas = []
    chosen = set(schedule.indicators.values_list("code", flat=True)) if schedule else set()
    for task_area in task_areas:
        area = _task_area_section(reader, committee, task_area, period, kind, indicators_used, chosen)
        areas.append(area)
    loaded = (
        Observation.objects.filter(indicator_id__in=list(indicators_used))
        .values("indicator_id")
        .annotate(latest=Max("loaded_at"))
    )
    loaded_at = {row["indicator_id"]: row["latest"] for row in loaded}
    worst = TARGET.worst(a["status"] for a in areas)
    covered = {u["id"] for a in areas for u in a["units"]}
    return {
        "committee": {"code": committee.code, "name": committee.name},
        "period": str(period),
        "period_label": period.label_da,
        "kind": kind,
        "number": due.number if due else None,
        "title": report_title(committee, period, kind, due.number if due else None),
        "meeting": due.meeting.isoformat() if due else None,
        "built_at": timezone.now().isoformat(timespec="seconds"),
        "suppression_label": suppression_label(),
        "status": worst,
        "status_word": TARGET.word(worst),
        # whose leaders read it once issued: the units it covers and the directorate areas above them
        "readers": {"units": reader_units(reader.tree, covered)},
        "task_areas": areas,
        **{s.name: s.build(committee=committee, period=period, kind=kind) for s in sections(hooks.REPORT, kind)},
        "appendix": [
            {
                "code": ind.code,
                "name": ind.name,
                "description": ind.description,
                "source": ind.source,
                "owner": ind.owner,
                "measure": ind.get_measure_display(),
                # an activity is held against its plan both ways: its direction is no part of its status
                "direction": "holdes op mod planen (over og under plan markeres)"
                if ind.kind == Kind.ACTIVITY
                else ind.get_direction_display(),
                "loaded_at": loaded_at[ind.code].isoformat(timespec="minutes") if ind.code in loaded_at else None,
            }
            for ind in sorted(indicators_used.values(), key=lambda i: (i.sort_order, i.code))
        ],
    }


def _task_area_section(
    reader: Viewer,
    committee: Committee,
    task_area: TaskArea,
    period: Period,
    kind: str,
    used: dict[str, Indicator],
    chosen: set[str],
) -> dict[str, Any]:
    """The task area's part of the report: the schedule's own selection of indicators where it names
    some of the area's with figures, else every key and result indicator of the area."""
    units = [u.pk for u in task_area.units.all() if u.pk in reader.tree.parent]
    area_indicators = Indicator.objects.filter(task_area=task_area).order_by("-key", "sort_order", "code")
    blocks = _blocks(reader, area_indicators.filter(code__in=chosen), units, period, used) if chosen else []
    if not blocks:
        blocks = _blocks(reader, area_indicators.filter(Q(key=True) | Q(kind=Kind.RESULT)), units, period, used)
    if not blocks:  # no key or result figures: the area's other indicators that have figures
        blocks = _blocks(reader, area_indicators.exclude(Q(key=True) | Q(kind=Kind.RESULT)), units, period, used)
    status = TARGET.worst(b["status"] for b in blocks)
    return {
        "code": task_area.code,
        "name": task_area.name,
        "units": [{"id": u, "name": reader.tree.name.get(u, u)} for u in units],
        "status": status,
        "status_word": TARGET.word(status),
        "indicators": blocks,
        **{
            s.name: s.build(
                committee=committee, period=period, kind=kind, task_area=task_area, units=units, tree=reader.tree
            )
            for s in sections(hooks.TASK_AREA, kind)
        },
    }


def _blocks(
    reader: Viewer, indicators: Iterable[Indicator], units: list[str], period: Period, used: dict[str, Indicator]
) -> list[dict[str, Any]]:
    """A block per indicator and unit with figures: the key indicators always (a block without figures
    says so), the others only where they have figures in the period."""
    blocks = []
    for indicator in indicators:
        now = selectors.figures(reader.user, [indicator], units, period, trees=reader.trees, visible=reader.visible)
        with_data = [u for u in units if now[(indicator.code, u)].cell is not None]
        if not with_data and not indicator.key:
            continue
        used[indicator.code] = indicator
        for unit in with_data or units[:1]:
            blocks.append(
                _indicator_block(reader, indicator, unit, period, now[(indicator.code, unit)], len(units) > 1)
            )
    return blocks


def _indicator_block(
    reader: Viewer, indicator: Indicator, unit: str, period: Period, figure: selectors.Figure, named: bool
) -> dict[str, Any]:
    previous_period = period.previous()
    before = selectors.figures(
        reader.user, [indicator], [unit], previous_period, trees=reader.trees, visible=reader.visible
    )[(indicator.code, unit)]
    name = indicator.name + (f" ({reader.tree.name.get(unit, unit)})" if named else "")
    sentence = indicator_sentence(
        name=name,
        measure=indicator.measure,
        value=figure.value,
        previous=before.value,
        target=figure.target,
        year=period.year,
        period_label=period.label_da,
        suppressed=figure.suppressed is not None,
        previous_suppressed=before.suppressed is not None,
        target_label=target_label(
            year=period.year,
            period_label=period.label_da,
            spread=spread_over_months(indicator),
            months=len(figure.months),
            period_months=len(period.months),
        ),
    )
    kids = list(reader.tree.children.get(unit, []))
    kid_figures = selectors.figures(reader.user, [indicator], kids, period, trees=reader.trees, visible=reader.visible)
    group = {k: kid_figures[(indicator.code, k)] for k in kids}
    rows = sorted(
        (
            {
                "unit_id": k,
                "name": reader.tree.name.get(k, k),
                "value": _num(f.value),
                "value_text": value_da(indicator, f.value, suppressed=f.suppressed),
                "target_text": value_da(indicator, f.target),
                "status": f.shown_status,
                "status_word": TARGET.word(f.shown_status),
                "suppressed": f.suppressed is not None,
            }
            for k, f in group.items()
        ),
        key=lambda r: (r["value"] is None, -(Decimal(r["value"]) if r["value"] is not None else 0), r["name"]),
    )
    return {
        "indicator": indicator.code,
        "name": indicator.name,
        "unit_id": unit,
        "unit_name": reader.tree.name.get(unit, unit),
        "measure": indicator.measure,
        "value": _num(figure.value),
        "value_text": value_da(indicator, figure.value, suppressed=figure.suppressed),
        "previous": _num(before.value),
        "previous_text": value_da(indicator, before.value, suppressed=before.suppressed),
        "target": _num(figure.target),
        "target_text": value_da(indicator, figure.target),
        "year_target": _num(figure.year_target),
        "year_target_text": value_da(indicator, figure.year_target),
        "status": figure.shown_status,
        "status_word": TARGET.word(figure.shown_status),
        "suppressed": figure.suppressed is not None,
        "sentence": sentence,
        "breakdown": rows,
        "chart": _trend_chart(reader, indicator, unit, period),
    }


def _trend_chart(reader: Viewer, indicator: Indicator, unit: str, period: Period) -> dict:
    """The budget year month by month up to the report period, against last year and the target."""
    months = month_range(Month(period.year, 1), Month(period.year, 12))
    this = selectors.monthly_series(reader.user, indicator, unit, months, trees=reader.trees)
    last = selectors.monthly_series(reader.user, indicator, unit, [m.shift(-12) for m in months], trees=reader.trees)
    targets = [t.value for t in selectors.month_targets(indicator, unit, period.year, reader.trees)]
    # one rule when every month has the same target (a level, or spread evenly), else a stepped line
    month_targets = [_float(t) for t in targets] if len(targets) == len(months) else None
    return charts.trend_spec(
        months=[str(m) for m in months],
        this_year=[_float(p.value) if p.month <= period.stop else None for p in this],
        last_year=[_float(p.value) for p in last],
        target=month_targets,
        value_label=indicator.unit_label or indicator.name,
        description=f"{indicator.name}, {reader.tree.name.get(unit, unit)}: {period.year} måned for måned "
        f"mod {period.year - 1} og målet",
        series_labels={
            "this_year": str(period.year),
            "last_year": str(period.year - 1),
            "target": "Mål",
            "month": "Måned",
            "series": "Serie",
        },
        value_format=",.1~f",
        value_text=value_text(indicator),
        width=520,
        height=200,
    )


PLAN_CODES = ("on_plan", "over_plan", "under_plan")


def status_counts(snapshot: dict[str, Any]) -> dict[str, int]:
    """How many of the report's indicator figures are on target, close, off and without a target
    (results), and on, over and under plan (activities)."""
    counts = {"green": 0, "yellow": 0, "red": 0, "none": 0, **dict.fromkeys(PLAN_CODES, 0)}
    for area in snapshot["task_areas"]:
        for block in area["indicators"]:
            counts[block["status"] or "none"] += 1
    return counts


def counts_text(counts: dict[str, int]) -> str:
    """'5 af 8 nøgletal på mål, 2 tæt på, 1 ikke på mål; aktiviteter: 1 af 2 efter plan, 1 over plan,
    0 under plan': a summary never says one word for all, and an activity is never "på mål"."""
    planned = sum(counts.get(code, 0) for code in PLAN_CODES)
    total = sum(counts.values()) - planned
    if not total and not planned:
        return gettext("no indicators")
    parts = []
    if total:
        parts = [
            ngettext("%(n)d of %(total)d indicator on target", "%(n)d of %(total)d indicators on target", total)
            % {"n": counts["green"], "total": total},
            gettext("%(n)d close to target") % {"n": counts["yellow"]},
            gettext("%(n)d off target") % {"n": counts["red"]},
        ]
        if counts["none"]:
            parts.append(gettext("%(n)d without a target") % {"n": counts["none"]})
    text = ", ".join(parts)
    if planned:
        activities = ", ".join(
            [
                ngettext("%(n)d of %(total)d activity on plan", "%(n)d of %(total)d activities on plan", planned)
                % {"n": counts["on_plan"], "total": planned},
                gettext("%(n)d over plan") % {"n": counts["over_plan"]},
                gettext("%(n)d under plan") % {"n": counts["under_plan"]},
            ]
        )
        text = f"{text}; {activities}" if text else activities
    return text


def budget_summary_status(snapshot: dict[str, Any]) -> str | None:
    """The budget's status in a summary: the worst of the total and its headings, so a heading
    over its corrected budget beyond the tolerance is red there even when the total is not."""
    budget = snapshot.get("budget")
    if not budget:
        return None
    return BUDGET.worst([budget["total"]["status"], *(row["status"] for row in budget["areas"])])


def budget_line(snapshot: dict[str, Any]) -> str:
    """The budget status in one line for page one: the total, and each heading heading over its
    corrected budget beyond the tolerance by name (red in the summary even when the total is not)."""
    budget = snapshot.get("budget")
    if not budget:
        return "Ingen budgetdata indlæst."
    total = budget["total"]
    line = f"{total['sentence']} ({total['status_word'].lower()})."
    over = [row["label"] for row in budget["areas"] if row["status"] == "red"]
    if over:
        line += f" Over det korrigerede budget ud over tolerancen: {', '.join(over)}."
    return line


__all__ = [
    "Measure",
    "budget_line",
    "budget_summary_status",
    "build_snapshot",
    "counts_text",
    "sections",
    "status_counts",
]
