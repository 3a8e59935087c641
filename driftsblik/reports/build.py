"""Assembling a committee report: every figure, sentence, chart and commentary, as one snapshot.

The snapshot is a plain JSON-able dict; the HTML page, the PDF and an issued report's frozen
figures are all rendered from it, so what was issued can be compared with today's figures.

Figures come from `driftsblik.indicators.selectors` as a reader who sees every unit but is no
analyst: reports go to politicians, so small numbers are suppressed as for any non-analyst,
including the secondary suppression of the breakdown by unit.
"""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max
from django.utils import timezone, translation

from driftsblik.core.periods import Month, Period, month_range
from driftsblik.dialogue import selectors as dialogue_selectors
from driftsblik.indicators import selectors
from driftsblik.indicators.models import Indicator, Measure, Observation
from driftsblik.indicators.status import period_target
from driftsblik.indicators.suppression import suppression_label
from driftsblik.organisation.models import Committee, TaskArea
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.visibility import BELOW, Access
from driftsblik.reports import commentary as commentary_service
from driftsblik.reports.access import reader_units
from driftsblik.reports.cadence import due_for
from driftsblik.reports.models import ReportKind, ReportSchedule
from driftsblik.reports.sentences import indicator_sentence
from driftsblik.ui import status as status_table
from driftsblik.ui.formats import date_short_da, millions_da, number_da, value_da
from driftsblik.web import charts

TARGET, BUDGET = status_table.TARGET, status_table.BUDGET


class Reader:
    """Who a report is read as: every unit visible, small numbers suppressed (not an analyst)."""

    def __init__(self, day: dt.date) -> None:
        self.user = AnonymousUser()
        self.trees = TreeCache()
        self.tree = self.trees.on(day)
        self.visible = {u: Access(BELOW, "committee report") for u in self.tree.parent}


def optional_module(dotted: str) -> Any | None:
    """Another app's module when it exists (budget and dialogue may not be installed yet)."""
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as exc:
        if exc.name and dotted.startswith(exc.name):
            return None
        raise


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def report_title(committee: Committee, period: Period, kind: str, number: int | None) -> str:
    if kind == ReportKind.BUDGET:
        return f"Budgetopfølgning {number or ''} {period.year} – {committee.name}".replace("  ", " ")
    return f"Status {period.label_da} – {committee.name}"


def build_snapshot(*, committee: Committee, period: Period, kind: str = ReportKind.STATUS) -> dict[str, Any]:
    """Everything the report shows for the committee and period, as it is in the data now.

    The report is a Danish document whoever builds it: its texts are made in Danish.
    """
    with translation.override("da"):
        return _build_snapshot(committee, period, kind)


def _build_snapshot(committee: Committee, period: Period, kind: str) -> dict[str, Any]:
    schedule = ReportSchedule.objects.filter(committee=committee).first()
    due = due_for(schedule, kind, period) if schedule else None
    reader = Reader(period.end)
    task_areas = list(TaskArea.objects.filter(committee=committee).prefetch_related("units").order_by("code"))
    indicators_used: dict[str, Indicator] = {}
    areas = []
    for task_area in task_areas:
        area = _task_area_section(reader, committee, task_area, period, kind, indicators_used)
        areas.append(area)
    loaded = (
        Observation.objects.filter(indicator_id__in=list(indicators_used))
        .values("indicator_id")
        .annotate(latest=Max("loaded_at"))
    )
    loaded_at = {row["indicator_id"]: row["latest"] for row in loaded}
    budget = _budget_section(committee, period)
    efforts = _efforts_section(committee, period) if kind != ReportKind.BUDGET else []
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
        "efforts": efforts,
        "budget": budget,
        "appendix": [
            {
                "code": ind.code,
                "name": ind.name,
                "description": ind.description,
                "source": ind.source,
                "owner": ind.owner,
                "measure": ind.get_measure_display(),
                "direction": ind.get_direction_display(),
                "loaded_at": loaded_at[ind.code].isoformat(timespec="minutes") if ind.code in loaded_at else None,
            }
            for ind in sorted(indicators_used.values(), key=lambda i: (i.sort_order, i.code))
        ],
    }


def _task_area_section(
    reader: Reader, committee: Committee, task_area: TaskArea, period: Period, kind: str, used: dict[str, Indicator]
) -> dict[str, Any]:
    units = [u.pk for u in task_area.units.all() if u.pk in reader.tree.parent]
    indicators = list(Indicator.objects.filter(task_area=task_area, key=True).order_by("sort_order", "code"))
    blocks = []
    for indicator in indicators:
        used[indicator.code] = indicator
        now = selectors.figures(reader.user, [indicator], units, period, trees=reader.trees, visible=reader.visible)
        with_data = [u for u in units if now[(indicator.code, u)].cell is not None] or units[:1]
        for unit in with_data:
            blocks.append(
                _indicator_block(reader, indicator, unit, period, now[(indicator.code, unit)], len(units) > 1)
            )
    status = TARGET.worst(b["status"] for b in blocks)
    return {
        "code": task_area.code,
        "name": task_area.name,
        "units": [{"id": u, "name": reader.tree.name.get(u, u)} for u in units],
        "status": status,
        "status_word": TARGET.word(status),
        "indicators": blocks,
        "commentary": commentary_service.current_for_report(
            committee=committee, period=str(period), kind=kind, task_area=task_area
        ),
        "dialogue": _dialogue_section(reader, units),
        "chosen": _chosen_section(reader, committee, period, kind, task_area, units),
    }


def _indicator_block(
    reader: Reader, indicator: Indicator, unit: str, period: Period, figure: selectors.Figure, named: bool
) -> dict[str, Any]:
    previous_period = period.previous()
    before = selectors.figures(
        reader.user, [indicator], [unit], previous_period, trees=reader.trees, visible=reader.visible
    )[(indicator.code, unit)]
    yearly = selectors.targets_for([indicator], [unit], [period.year]).get((indicator.code, unit, period.year))
    year_target = period_target(indicator, yearly, 12)
    name = indicator.name + (f" ({reader.tree.name.get(unit, unit)})" if named else "")
    sentence = indicator_sentence(
        name=name,
        measure=indicator.measure,
        value=figure.value,
        previous=before.value,
        target=year_target,
        year=period.year,
        period_label=period.label_da,
        suppressed=figure.suppressed is not None,
        previous_suppressed=before.suppressed is not None,
    )
    kids = list(reader.tree.children.get(unit, []))
    kid_figures = selectors.figures(reader.user, [indicator], kids, period, trees=reader.trees, visible=reader.visible)
    group = {k: kid_figures[(indicator.code, k)] for k in kids}
    selectors.suppress_siblings(reader.user, group)
    rows = sorted(
        (
            {
                "unit_id": k,
                "name": reader.tree.name.get(k, k),
                "value": _num(f.value),
                "value_text": value_da(indicator, f.value, suppressed=f.suppressed is not None),
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
        "value_text": value_da(indicator, figure.value, suppressed=figure.suppressed is not None),
        "previous": _num(before.value),
        "previous_text": value_da(indicator, before.value, suppressed=before.suppressed is not None),
        "target": _num(year_target),
        "target_text": value_da(indicator, year_target),
        "status": figure.shown_status,
        "status_word": TARGET.word(figure.shown_status),
        "suppressed": figure.suppressed is not None,
        "sentence": sentence,
        "breakdown": rows,
        "chart": _trend_chart(reader, indicator, unit, period, yearly),
    }


def _trend_chart(reader: Reader, indicator: Indicator, unit: str, period: Period, yearly: Decimal | None) -> dict:
    """The budget year month by month up to the report period, against last year and the target."""
    months = month_range(Month(period.year, 1), Month(period.year, 12))
    this = selectors.monthly_series(reader.user, indicator, unit, months, trees=reader.trees)
    last = selectors.monthly_series(reader.user, indicator, unit, [m.shift(-12) for m in months], trees=reader.trees)
    month_target = period_target(indicator, yearly, 1)
    return charts.trend_spec(
        months=[str(m) for m in months],
        this_year=[_float(p.value) if p.month <= period.stop else None for p in this],
        last_year=[_float(p.value) for p in last],
        target=_float(month_target),
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
        width=520,
        height=200,
    )


def _dialogue_section(reader: Reader, units: list[str]) -> dict[str, Any]:
    """How many challenges (not closed) and follow-up actions are open at each of the task area's units
    and the two levels below them: counts only, no unit's dialogue text."""
    counts = dialogue_selectors.open_counts(commentary_service.dialogue_scope(reader.tree, units))
    return {
        "available": True,
        "units": [
            {
                "unit_id": c.unit_id,
                "unit_name": reader.tree.name.get(c.unit_id, c.unit_id),
                "challenges": c.challenges,
                "actions": c.actions,
            }
            for c in counts
        ],
        "challenges": sum(c.challenges for c in counts),
        "actions": sum(c.actions for c in counts),
    }


def _chosen_section(
    reader: Reader, committee: Committee, period: Period, kind: str, task_area: TaskArea, units: list[str]
) -> list[dict[str, Any]]:
    """The open challenges the director put in the report in the commentary round, with their open actions."""
    ids = commentary_service.chosen_for_report(committee=committee, period=str(period), kind=kind, task_area=task_area)
    if not ids:
        return []
    scope = set().union(*commentary_service.dialogue_scope(reader.tree, units).values())
    return [
        {
            "title": f"{c.indicator.name}: {_short(c.question)}",
            "unit_name": reader.tree.name.get(c.unit_id, c.unit_id),
            "status": c.get_status_display(),
            "actions": [
                {"title": _short(a.title), "due": date_short_da(a.due), "owner": str(a.owner)} for a in c.actions.all()
            ],
        }
        for c in dialogue_selectors.chosen_threads(ids, scope)
    ]


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _efforts_section(committee: Committee, period: Period) -> list[dict[str, Any]]:
    """The cross-cutting efforts with a shared goal indicator in one of the committee's task areas.

    Read as the committee, not a person: every such effort, its shared figures over all participants
    (no participant's part), small person-based numbers suppressed as for any non-analyst.
    """
    module = optional_module("driftsblik.efforts.selectors")
    if module is None:
        return []
    from driftsblik.efforts.models import Effort, EffortTarget

    efforts = (
        Effort.objects.filter(goal_indicators__indicator__task_area__committee=committee)
        .distinct()
        .order_by("name", "code")
    )
    section = []
    for effort in efforts:
        now = module.effort_summary(user=None, effort=effort, period=period, suppress=True)
        before = module.effort_summary(user=None, effort=effort, period=period.previous(), suppress=True)
        targets = EffortTarget.objects.filter(effort=effort, year=period.year, unit=None)
        yearly = dict(targets.values_list("indicator_id", "value"))
        goals = []
        for figure, previous in zip(now.goals, before.goals, strict=True):
            indicator = figure.indicator
            year_target = period_target(indicator, yearly.get(indicator.code), 12)
            goals.append(
                {
                    "indicator": indicator.code,
                    "name": indicator.name,
                    "value": _num(figure.value),
                    "value_text": value_da(indicator, figure.value, suppressed=figure.suppressed is not None),
                    "previous_text": value_da(indicator, previous.value, suppressed=previous.suppressed is not None),
                    "target": _num(year_target),
                    "target_text": value_da(indicator, year_target),
                    "status": figure.shown_status,
                    "status_word": TARGET.word(figure.shown_status),
                    "suppressed": figure.suppressed is not None,
                    "sentence": indicator_sentence(
                        name=f"{indicator.name} for indsatsens deltagere samlet",
                        measure=indicator.measure,
                        value=figure.value,
                        previous=previous.value,
                        target=year_target,
                        year=period.year,
                        period_label=period.label_da,
                        suppressed=figure.suppressed is not None,
                        previous_suppressed=previous.suppressed is not None,
                    ),
                }
            )
        status = TARGET.worst(g["status"] for g in goals)
        section.append(
            {
                "code": effort.code,
                "name": effort.name,
                "phase": now.phase_label,
                "owner": str(effort.owner),
                "status": status,
                "status_word": TARGET.word(status),
                "goals": goals,
                "milestones": milestones_line(now),
            }
        )
    return section


def milestones_line(summary: Any) -> str:
    """'2 af 5 milepæle nået, 1 forsinket; næste: Evaluering (frist 1.9.2025).'"""
    if not summary.milestones_total:
        return "Ingen milepæle."
    text = f"{summary.milestones_done} af {summary.milestones_total} milepæle nået"
    if summary.milestones_late:
        text += f", {summary.milestones_late} forsinket"
    upcoming = summary.next_milestone
    if upcoming is not None:
        text += f"; næste: {_short(upcoming.title, 100)} (frist {date_short_da(upcoming.due)})"
    return text + "."


def _budget_section(committee: Committee, period: Period) -> dict[str, Any] | None:
    """The committee area's budget status through the period's last month (None: no budget data)."""
    module = optional_module("driftsblik.budget.selectors")
    if module is None or not hasattr(module, "committee_budget"):
        return None
    budget = module.committee_budget(user=None, committee=committee, year=period.year, through=period.stop)
    if budget is None or budget.total is None or not getattr(budget.total, "has_data", True):
        return None

    def row(fig: Any) -> dict[str, Any]:
        amounts = ("original", "corrected", "spent", "forecast", "deviation")
        values = {name: getattr(fig, name, None) for name in (*amounts, "deviation_pct")}
        status = getattr(fig, "status", None)
        return {
            "label": str(fig.label),
            **{name: _num(Decimal(str(v))) if v is not None else None for name, v in values.items()},
            **{f"{name}_text": millions_da(values[name]) for name in amounts},
            "deviation_pct_text": number_da(values["deviation_pct"], 1, sign=True),
            "status": status,
            "status_word": BUDGET.word(status),
            "method": str(getattr(fig, "method", "") or ""),
        }

    rows = [row(f) for f in (getattr(budget, "task_areas", None) or getattr(budget, "units", None) or [])]
    total = row(budget.total)
    for entry in [*rows, total]:
        entry["sentence"] = budget_sentence(entry)
    return {
        "total": total,
        "areas": rows,
        "chart": _budget_chart(committee, period, getattr(budget, "monthly", None)),
        "through": str(period.stop),
    }


def _budget_chart(committee: Committee, period: Period, monthly: list[dict] | None) -> dict[str, Any] | None:
    """Spending cumulated month by month against last year and the corrected budget (the budget app's chart)."""
    module = optional_module("driftsblik.budget.charts")
    if module is None or not monthly or not hasattr(module, "cumulative_spend_spec"):
        return None
    return module.cumulative_spend_spec(
        monthly=monthly,
        labels={
            "this_year": f"Forbrug {period.year}",
            "last_year": f"Forbrug {period.year - 1}",
            "budget": "Korrigeret budget",
            "value": "mio. kr. (akkumuleret)",
            "month": "Måned",
        },
        description=f"{committee.name}: forbrug {period.year} måned for måned, akkumuleret, mod "
        f"{period.year - 1} og det korrigerede budget",
        width=520,
        height=200,
    )


def budget_line(snapshot: dict[str, Any]) -> str:
    """The budget status in one line for page one."""
    budget = snapshot.get("budget")
    if not budget:
        return "Ingen budgetdata indlæst."
    total = budget["total"]
    return f"{budget_sentence(total)} ({total['status_word'].lower()})."


def budget_sentence(row: dict[str, Any]) -> str:
    """'Forventet regnskab 1.076,4 mio. kr., 7,2 mio. kr. under det korrigerede budget på 1.083,6 mio. kr.'"""
    deviation = Decimal(row["deviation"] or 0)
    if millions_da(abs(deviation)) == "0,0":
        where = "svarende til det korrigerede budget"
    else:
        side = "over" if deviation > 0 else "under"
        where = f"{millions_da(abs(deviation))} mio. kr. {side} det korrigerede budget"
    return f"Forventet regnskab {row['forecast_text']} mio. kr., {where} på {row['corrected_text']} mio. kr."


__all__ = ["Measure", "budget_line", "budget_sentence", "build_snapshot"]
