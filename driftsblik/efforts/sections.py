"""The efforts on other apps' pages and documents: "Cross-cutting efforts I take part in" on "Mit
overblik" (an `OverviewSection`) and "Tværgående indsatser" in committee reports (a `ReportSection`),
both registered in `EffortsConfig.ready()`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from driftsblik.core.periods import Month, Period
from driftsblik.efforts.access import visible_efforts
from driftsblik.efforts.models import Effort
from driftsblik.efforts.selectors import (
    committee_efforts,
    effort_lines,
    effort_summary,
    municipal_unit,
    shared_year_targets,
)
from driftsblik.indicators.pages import latest_month
from driftsblik.indicators.status import period_target, spread_over_months
from driftsblik.organisation.viewer import viewer_of
from driftsblik.ui import status as status_table
from driftsblik.ui.formats import prose_date, value_da

TARGET = status_table.TARGET


def involved(access: Any, participating: set[str], led: list[str], tree: Any) -> bool:
    """Takes part in the effort: owns it, is a participant's contact or leads a participating unit, leads a
    unit inside one (a team of a participating institution), or leads a unit above one within the radius
    of the visibility rule (a director whose area takes part), or is in the directorate."""
    if access.takes_part or access.reason == "directorate":
        return True
    for unit in led:
        chain = {unit, *tree.ancestors(unit)}
        if chain & participating:
            return True
        if any(unit in tree.ancestors(p) and p in access.visible for p in participating):
            return True
    return False


def my_efforts(page: template.Context) -> dict[str, Any]:
    """The cross-cutting efforts the person takes part in, with the shared goal's status, for the overview."""
    if not Effort.objects.exists():
        return {"lines": [], "period": None}
    viewer = viewer_of(page["request"])
    period = page.get("period")
    if not isinstance(period, Period):
        period = Period.month(latest_month() or Month.of(viewer.day))
    pairs = [
        (effort, access)
        for effort, access in visible_efforts(viewer)
        if involved(access, {p.unit_id for p in effort.participants.all() if p.unit_id}, viewer.led, viewer.tree)
    ]
    return {
        "lines": effort_lines(viewer.user, pairs, period, viewer.trees),
        "period": period,
        "municipal_unit": municipal_unit(viewer),
    }


def report_efforts(*, committee: Any, period: Period, kind: str) -> list[dict[str, Any]]:
    """The committee report's section "Tværgående indsatser" (a `ReportSection` of status reports):
    the efforts not retired with a shared goal indicator in one of the committee's task areas.

    Read as the committee, not a person: every such effort, its shared figures over all participants
    (no participant's part), small person-based numbers suppressed as for any non-analyst.
    """
    section = []
    for effort in committee_efforts(committee):
        now = effort_summary(user=None, effort=effort, period=period, suppress=True)
        before = effort_summary(user=None, effort=effort, period=period.previous(), suppress=True)
        yearly = shared_year_targets(effort, period.year)
        pairs = zip(now.goals, before.goals, strict=True)
        goals = [_goal(figure, previous, yearly, period) for figure, previous in pairs]
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


def _goal(figure: Any, previous: Any, yearly: dict[str, Decimal], period: Period) -> dict[str, Any]:
    from driftsblik.reports.sentences import indicator_sentence, target_label

    indicator = figure.indicator
    year_target = period_target(indicator, yearly.get(indicator.code), 12)
    return {
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
            target=figure.target,
            year=period.year,
            period_label=period.label_da,
            suppressed=figure.suppressed is not None,
            previous_suppressed=previous.suppressed is not None,
            target_label=target_label(
                year=period.year,
                period_label=period.label_da,
                spread=spread_over_months(indicator),
                months=len(figure.months),
                period_months=len(period.months),
            ),
        ),
    }


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f") if value == value.to_integral() else str(value)


def milestones_line(summary: Any) -> str:
    """'2 af 5 milepæle nået, 1 forsinket (Kick-off, frist 1. marts 2025); næste: Evaluering (frist
    1. september 2025).' The next one is still ahead; one whose date has passed unmet is named as overdue."""
    if not summary.milestones_total:
        return "Ingen milepæle."

    def named(milestone: Any) -> str:
        title = " ".join(milestone.title.split())
        title = title if len(title) <= 100 else title[:99].rstrip() + "…"
        return f"{title}, frist {prose_date(milestone.due)}"

    text = f"{summary.milestones_done} af {summary.milestones_total} milepæle nået"
    if summary.milestones_late:
        overdue = "; ".join(named(m) for m in summary.overdue_milestones[:3])
        more = len(summary.overdue_milestones) - 3
        overdue += f" og {more} flere" if more > 0 else ""
        text += f", {summary.milestones_late} forsinket" + (f" ({overdue})" if overdue else "")
    upcoming = summary.next_milestone
    if upcoming is not None:
        title, due = named(upcoming).rsplit(", frist ", 1)
        text += f"; næste: {title} (frist {due})"
    return text + "."
