"""Reading efforts: the shared result over the participants and each participant's part of it.

The shared result of a goal indicator is rolled up over the participating units with the indicators
app's roll-up (`monthly_cells`): per month the cells (numerator, denominator) of the participating
units are added up, then the months are combined as the indicator says (flows add up, stocks take
the last month). A ratio is therefore sum of numerators over sum of denominators across the
participants, never a mean of their ratios. A participating unit below another participating unit
is counted once, in its ancestor's figure (in the tree valid at the period's last month).

External partners have no figures: the registers attribute citizens to the municipality's units only.
Person-based figures are hidden for everyone but analysts as the suppression pattern says (small
figures read "<5", figures hidden so that no small one can be worked out read "x"); the pattern
takes each effort's shared total and its parts into account (`effort_aggregates`), so the total
minus the parts shown never gives a hidden part away.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from driftsblik.core.periods import Month, Period, month_range
from driftsblik.efforts.access import EffortAccess, effort_or_404, efforts_queryset, hidden_tops, remainders
from driftsblik.efforts.models import Effort, EffortTarget, MethodUse, Milestone, MilestoneStatus, Participant
from driftsblik.indicators import selectors, suppression
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.rollup import Cell, combine_months, monthly_cells, value_of
from driftsblik.indicators.status import months_target, period_target, status
from driftsblik.organisation.models import User
from driftsblik.organisation.tree import Tree, TreeCache
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import today
from driftsblik.ui.formats import value_text

OTHERS = "_others"
REMAINDER = "effort-others"  # the kind of an anonymous remainder's node in the suppression pattern


def top_units(unit_ids: list[str], tree: Tree) -> list[str]:
    """The participating units not below another participating unit: the shared result sums these once."""
    chosen = set(unit_ids)
    return [u for u in unit_ids if not any(a in chosen for a in tree.ancestors(u))]


def _add(cells: list[Cell]) -> Cell | None:
    if not cells:
        return None
    total = cells[0]
    for cell in cells[1:]:
        total = total + cell
    return total


class Cells:
    """Monthly cells of the participating units and of the effort's total, read in one roll-up call."""

    def __init__(self, indicators: list[Indicator], units: list[str], months: list[Month], trees: TreeCache):
        self.cells = monthly_cells(indicators, units, months, trees) if units else {}

    def unit_months(self, code: str, unit: str) -> dict[Month, Cell]:
        return {m: c for (k, u, m), c in self.cells.items() if k == code and u == unit}

    def sum_months(self, code: str, units: list[str]) -> dict[Month, Cell]:
        by_month: dict[Month, list[Cell]] = defaultdict(list)
        wanted = set(units)
        for (k, u, m), cell in self.cells.items():
            if k == code and u in wanted:
                by_month[m].append(cell)
        return {m: total for m, cells in by_month.items() if (total := _add(cells)) is not None}


def _figure(indicator: Indicator, key: str, period: Period, by_month: dict[Month, Cell], yearly: Decimal | None):
    """The figure for the period held against the target for its months with data (as
    `selectors.figures` holds a unit's): a flow count's yearly target spread by last year's profile
    of the same total, evenly for figures about persons (a profile would tell hidden months)."""
    series = {m: c for m in period.months if (c := by_month.get(m)) is not None}
    cell = combine_months(indicator, series, period.months)
    last_year = {} if indicator.person_based else {m: c for m, c in by_month.items() if m.year == period.year - 1}
    held = months_target(indicator, yearly, sorted(series) or period.months, last_year)
    return selectors.Figure(
        indicator,
        key,
        period,
        cell,
        held.value,
        status(indicator, value_of(indicator, cell), held.value),
        year_target=held.year_value,
        months=tuple(sorted(series)),
        target_method=held.method,
    )


def node_of(effort: Effort) -> tuple[str, int]:
    """The effort's shared total in the suppression pattern."""
    return ("effort", effort.pk)


# effort_aggregates' answers by what they depend on: reading the remainders costs about a tenth of a
# second on the demo, and every page with figures asks
_AGGREGATES_KEPT: dict[tuple[Any, ...], dict[str, list[tuple[Hashable, list[str]]]]] = {}
_AGGREGATES_LOCK = threading.Lock()


def remainder_node(effort_id: int, units: Iterable[str]) -> tuple[Any, ...]:
    """The anonymous remainder of the participating units `units` in the suppression pattern."""
    return (REMAINDER, effort_id, *sorted(units))


def effort_aggregates(
    indicators: list[Indicator] | None, trees: TreeCache
) -> dict[str, list[tuple[Hashable, list[str]]]]:
    """The named sums shown for the indicators (all when None), for the suppression pattern
    (`suppression.register_aggregates`): each effort with the indicator as a goal, its shared total
    over its participating units, and every anonymous remainder of them some reader can be shown
    (`access.remainders`), so that what is hidden in a remainder is decided with everything else."""
    from django.conf import settings
    from django.db.models import Count, Q
    from django.db.models.functions import Lower

    from driftsblik.efforts.models import EffortIndicator
    from driftsblik.organisation.models import Leadership

    goals_qs = EffortIndicator.objects.all()
    if indicators is not None:
        goals_qs = goals_qs.filter(indicator_id__in=[i.code for i in indicators])
    goals = list(goals_qs.values_list("effort_id", "indicator_id", "effort__owner__email"))
    if not goals:
        return {}
    participants: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    rows = Participant.objects.filter(effort_id__in={e for e, _c, _o in goals}).order_by("unit_id", "id")
    for effort_id, unit_id, contact in rows.values_list("effort_id", "unit_id", "contact_email"):
        participants[effort_id].append((unit_id, contact or ""))
    day = today()
    contacts = {email.lower() for p in participants.values() for _u, email in p if email}
    people: dict[str, list[str]] = {email: [] for email in contacts}
    leading = Leadership.objects.valid_on(day)
    several = leading.values("user_id").annotate(units=Count("unit_id", distinct=True)).filter(units__gte=2)
    rows = leading.annotate(email=Lower("user__email")).filter(
        Q(user_id__in=several.values("user_id")) | Q(email__in=sorted(contacts))
    )
    for email, unit_id in rows.values_list("email", "unit_id"):
        people.setdefault(email, []).append(unit_id)
    # what the answer depends on: the tree, the goals and participants, and who leads several units
    # or is a contact (any leader of one unit is a candidate whoever it is)
    key = (
        trees.spans_key,
        day,
        tuple(sorted(goals)),
        tuple(sorted((e, tuple(p)) for e, p in participants.items())),
        tuple(sorted((e, tuple(sorted(u))) for e, u in people.items() if e in contacts or len(set(u)) >= 2)),
    )
    with _AGGREGATES_LOCK:
        kept = _AGGREGATES_KEPT.get(key)
    if kept is not None:
        return kept
    tree = trees.on(day)
    found: dict[str, list[tuple[Hashable, list[str]]]] = defaultdict(list)
    sets: dict[int, list[tuple[str, ...]]] = {}
    for effort_id, code, owner_email in sorted(goals):
        units = [u for u, _c in participants[effort_id] if u is not None]
        if not units:
            continue
        found[code].append((("effort", effort_id), units))
        if effort_id not in sets:
            tops = top_units(units, tree)
            found_sets = remainders(
                participants[effort_id], owner_email, tops, tree, settings.VISIBILITY_RADIUS, people
            )
            sets[effort_id] = sorted(found_sets)
        found[code].extend((remainder_node(effort_id, rest), list(rest)) for rest in sets[effort_id])
    with _AGGREGATES_LOCK:
        while len(_AGGREGATES_KEPT) >= 8:
            _AGGREGATES_KEPT.pop(next(iter(_AGGREGATES_KEPT)))
        _AGGREGATES_KEPT[key] = dict(found)
    return dict(found)


def _marked(found: dict, node: Hashable, figure: selectors.Figure) -> selectors.Figure:
    figure.suppressed = suppression.mark_of(found, figure.indicator, node, figure.period, figure.cell)
    return figure


def _change(a: selectors.Figure, b: selectors.Figure) -> Decimal | None:
    if a.value is None or b.value is None:
        return None
    return a.value - b.value


@dataclass
class PartRow:
    """One participating unit's part of the shared result (or the anonymous remainder of the others)."""

    key: str
    name: str
    participant: Participant | None
    figure: selectors.Figure
    change_previous: Decimal | None = None
    change_last_year: Decimal | None = None
    own: bool = False


@dataclass
class GoalResult:
    """A goal indicator of the effort: the shared figure, its movement, the parts and the chart."""

    indicator: Indicator
    total: selectors.Figure
    change_previous: Decimal | None
    change_last_year: Decimal | None
    parts: list[PartRow]
    year_target: Decimal | None
    chart: dict[str, Any] | None = None
    chart_id: str = ""


def _yearly_targets(effort: Effort, years: set[int]) -> dict[tuple[str, str | None, int], Decimal]:
    rows = EffortTarget.objects.filter(effort=effort, year__in=years).values_list(
        "indicator_id", "unit_id", "year", "value"
    )
    return {(code, unit, year): value for code, unit, year, value in rows}


def shared_results(
    *,
    user: User,
    effort: Effort,
    access: EffortAccess,
    period: Period,
    names: dict[str, str],
    trees: TreeCache | None = None,
    with_chart: bool = True,
) -> list[GoalResult]:
    """The shared result of each goal indicator with each participating unit's part, as the person may see it."""
    from driftsblik.ui import charts

    trees = trees or TreeCache()
    indicators = [g.indicator for g in effort.goal_indicators.select_related("indicator")]
    participants = [p for p in effort.participants.all() if p.unit_id is not None]
    units = [p.unit_id for p in participants]
    tree = trees.on(period.stop.end)
    tops = top_units(units, tree)
    previous, last_year = period.previous(), period.year_before()
    months = set(period.months) | set(previous.months) | set(month_range(Month(period.year - 1, 1), period.stop))
    if with_chart:
        months |= set(month_range(Month(period.year - 1, 1), Month(period.year, 12)))
    cells = Cells(indicators, units, sorted(months), trees)
    targets = _yearly_targets(effort, {period.year})
    shown = [p for p in participants if access.sees_part(p.unit_id)]
    rest = hidden_tops(tops, access)
    years = {period.year, previous.year, last_year.year} | ({period.year - 1} if with_chart else set())
    found = suppression.patterns(indicators, years, trees) if not selectors.unsuppressed(user) else {}
    node = node_of(effort)
    results = []
    for number, indicator in enumerate(indicators):
        code = indicator.code
        total_months = cells.sum_months(code, tops)
        shared = targets.get((code, None, period.year))
        total = _marked(found, node, _figure(indicator, "", period, total_months, shared))
        # change from last year: the same months as the shared result has data for, for every part too
        _months, last_year = selectors.same_months_before(period, total.months)
        total_prev, total_ly = (
            _marked(found, node, _figure(indicator, "", w, total_months, None)) for w in (previous, last_year)
        )
        rows: list[PartRow] = []
        for p in shown:
            series = cells.unit_months(code, p.unit_id)
            yearly = targets.get((code, p.unit_id, period.year))
            fig, prev, ly = (
                _marked(
                    found, p.unit_id, _figure(indicator, p.unit_id, when, series, yearly if when == period else None)
                )
                for when in (period, previous, last_year)
            )
            rows.append(
                PartRow(p.unit_id, names.get(p.unit_id, p.unit_id), p, fig, None, None, p.unit_id in access.own_units)
            )
            rows[-1].change_previous, rows[-1].change_last_year = _change(fig, prev), _change(fig, ly)
        if len(rest) >= 2:
            whens = (period, previous, last_year)
            others = _others_row(indicator, cells.sum_months(code, rest), (effort.pk, rest), whens, found, trees)
            if others is not None:
                rows.append(others)
        for row in rows:
            if row.figure.suppressed:
                row.change_previous = row.change_last_year = None
        rows.sort(key=lambda r: (r.key == OTHERS, -(r.figure.value or Decimal("-1e18")), r.name))
        changes = (_change(total, total_prev), _change(total, total_ly))
        result = GoalResult(indicator, total, *changes, rows, period_target(indicator, shared, 12))
        if with_chart:
            result.chart = _chart(found, node, indicator, effort, period.year, total_months, shared, charts)
            result.chart_id = f"goal-{number}"
        results.append(result)
    return results


def _others_row(
    indicator: Indicator,
    series: Any,
    rest: tuple[int, list[str]],
    whens: tuple[Period, Period, Period],
    found: Any,
    trees: TreeCache,
) -> PartRow | None:
    """One row for the participating units the person may not see, together (two or more; `rest`:
    the effort and those units), marked by the pattern, which holds every remainder a reader can be
    shown (`effort_aggregates`). None where suppression applies and the pattern does not hold this
    one (the period's tree is not today's): it is then left out, as a remainder of one unit is."""
    node = remainder_node(*rest)
    if found and indicator.person_based:
        held = {held for held, _units in suppression.aggregates(trees).get(indicator.code, [])}
        if node not in held:
            return None
    fig, prev, ly = (_marked(found, node, _figure(indicator, OTHERS, when, series, None)) for when in whens)
    label = _("Other participants (%(count)s units)") % {"count": len(rest[1])}
    return PartRow(OTHERS, label, None, fig, _change(fig, prev), _change(fig, ly))


def _chart(found, node, indicator, effort, year, total_months, yearly, charts) -> dict[str, Any]:
    def value(month: Month) -> Decimal | None:
        if suppression.mark_of(found, indicator, node, Period.month(month)):
            return None
        return value_of(indicator, total_months.get(month))

    months = month_range(Month(year, 1), Month(year, 12))
    target = period_target(indicator, yearly, 1)
    return charts.trend_spec(
        months=[str(m) for m in months],
        this_year=[value(m) for m in months],
        last_year=[value(m.shift(-12)) for m in months],
        target=float(target) if target is not None else None,
        value_label=indicator.unit_label or indicator.name,
        value_text=value_text(indicator),
        description=_("%(indicator)s, all participants of %(effort)s together, budget year %(year)s month by month")
        % {"indicator": indicator.name, "effort": effort.name, "year": year},
        series_labels={
            "this_year": str(year),
            "last_year": str(year - 1),
            "target": _("Shared target"),
            "month": _("Month"),
            "series": _("Series"),
            "forecast": _("Forecast"),
            "forecast_band": _("Forecast range"),
        },
    )


# -- the list and the overview ---------------------------------------------------------------


@dataclass
class EffortLine:
    """An effort on the efforts page or in "Mit overblik": phase, milestones and the shared goal's status."""

    effort: Effort
    access: EffortAccess
    goals: list[selectors.Figure] = field(default_factory=list)
    milestones_done: int = 0
    milestones_late: int = 0
    milestones_total: int = 0
    next_milestone: Milestone | None = None
    overdue_milestones: list[Milestone] = field(default_factory=list)


def effort_lines(
    user: User, pairs: list[tuple[Effort, EffortAccess]], period: Period, trees: TreeCache | None = None
) -> list[EffortLine]:
    """The efforts with their shared goals' figures for the period (a fixed number of queries)."""
    if not pairs:
        return []
    from driftsblik.efforts.models import EffortIndicator

    trees = trees or TreeCache()
    ids = [e.id for e, _a in pairs]
    goal_rows = list(EffortIndicator.objects.filter(effort_id__in=ids).select_related("indicator"))
    indicators = {g.indicator.code: g.indicator for g in goal_rows}
    targets = {
        (e, code, unit): value
        for e, code, unit, value in EffortTarget.objects.filter(effort_id__in=ids, year=period.year).values_list(
            "effort_id", "indicator_id", "unit_id", "value"
        )
    }
    tree = trees.on(period.stop.end)
    tops = {e.id: top_units([p.unit_id for p in e.participants.all() if p.unit_id], tree) for e, _a in pairs}
    all_units = sorted({u for units in tops.values() for u in units})
    # last year's months too: a flow count's target is spread by last year's profile (`_figure`)
    profile = month_range(Month(period.year - 1, 1), Month(period.year - 1, 12))
    cells = Cells(list(indicators.values()), all_units, [*period.months, *profile], trees)
    found = suppression.patterns(indicators.values(), [period.year], trees) if not selectors.unsuppressed(user) else {}
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(effort_id__in=ids):
        milestones[milestone.effort_id].append(milestone)
    day = today()
    lines = []
    for effort, access in pairs:
        line = EffortLine(effort, access)
        for goal in (g for g in goal_rows if g.effort_id == effort.id):
            ind = goal.indicator
            by_month = cells.sum_months(ind.code, tops[effort.id])
            line.goals.append(
                _marked(
                    found, node_of(effort), _figure(ind, "", period, by_month, targets.get((effort.id, ind.code, None)))
                )
            )
        own = milestones[effort.id]
        line.milestones_total = len(own)
        line.milestones_done = sum(1 for m in own if m.status == MilestoneStatus.DONE)
        # one whose date has passed unmet is overdue, said by name; the next one is still ahead
        line.overdue_milestones = [m for m in own if m.status_on(day) == MilestoneStatus.LATE]
        line.milestones_late = len(line.overdue_milestones)
        line.next_milestone = next((m for m in own if m.status != MilestoneStatus.DONE and m.due >= day), None)
        lines.append(line)
    return lines


@dataclass
class ParticipantRow:
    """A participant on the effort page: who, contact and role, methods, and its parts (None where not shown)."""

    participant: Participant
    name: str
    linked: bool
    own: bool
    methods: list[MethodUse]
    parts: list[PartRow | None]


def participant_rows(
    effort: Effort,
    participants: list[Participant],
    names: dict[str, str],
    access: EffortAccess,
    goals: list[GoalResult],
) -> list[ParticipantRow]:
    """The participant table: internal units first (by name), then the external partners."""
    uses: dict[int, list[MethodUse]] = defaultdict(list)
    for use in MethodUse.objects.filter(participant__effort=effort).select_related("method"):
        uses[use.participant_id].append(use)
    by_goal = [{r.key: r for r in goal.parts} for goal in goals]
    rows = []
    for p in participants:
        unit = p.unit_id
        rows.append(
            ParticipantRow(
                p,
                names.get(unit, unit) if unit else p.partner,
                bool(unit and unit in access.visible),
                bool(unit and unit in access.own_units),
                uses[p.id],
                [parts.get(unit) if unit else None for parts in by_goal],
            )
        )
    rows.sort(key=lambda r: (not r.participant.unit_id, r.name.lower()))
    return rows


def remainder_row(goals: list[GoalResult]) -> dict[str, Any] | None:
    """The anonymous "other participants" row across the goal indicators, when there is one."""
    parts = [next((r for r in goal.parts if r.participant is None), None) for goal in goals]
    found = [p for p in parts if p is not None]
    return {"name": found[0].name, "parts": parts} if found else None


def method_table(effort: Effort, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each method with where it is used (participant, since when); reach is not in the registers."""
    names = names or {}
    uses = (
        MethodUse.objects.filter(participant__effort=effort)
        .select_related("method", "participant")
        .order_by("method__name", "since")
    )
    grouped: dict[int, dict[str, Any]] = {}
    for use in uses:
        p = use.participant
        use.who = names.get(p.unit_id, p.unit_id) if p.unit_id else p.partner
        entry = grouped.setdefault(use.method_id, {"method": use.method, "uses": []})
        entry["uses"].append(use)
    return list(grouped.values())


# -- for committee reports -------------------------------------------------------------------


@dataclass
class EffortSummary:
    """An effort as a section of a committee report: what it is, where it stands and its shared goal.

    Figures are the shared totals over all participants (suppressed as for the person); no
    participant's part is included, so the summary can go to anyone who sees the effort.
    """

    effort: Effort
    period: Period
    phase_label: str
    goals: list[selectors.Figure]
    participants_internal: int
    participants_external: int
    milestones_done: int
    milestones_late: int
    milestones_total: int
    next_milestone: Milestone | None
    methods: list[str]
    overdue_milestones: list[Milestone] = field(default_factory=list)


def effort_summary(
    *, user: User | None, effort: Effort, period: Period | None = None, suppress: bool = False
) -> EffortSummary:
    """The effort's summary for a report, as `user` may see it (a 404 when they do not see the effort).

    With `user=None` it is read as the system, which sees every effort (a committee report is read
    by the committee, not a person); `suppress=True` then shows small person-based figures as for a
    non-analyst. `suppress` does not change what a person sees. The period defaults to the latest
    month with data.
    """
    from django.contrib.auth.models import AnonymousUser

    from driftsblik.indicators.pages import latest_month

    if user is None:
        effort = efforts_queryset().get(pk=effort.pk)
        access = EffortAccess("system", frozenset(), {}, all_parts=True)
        reader: Any = AnonymousUser() if suppress else None
    else:
        effort, access = effort_or_404(Viewer.of(user), effort.code)
        reader = user
    if period is None:
        period = Period.month(latest_month() or Month.of(today()))
    line = effort_lines(reader, [(effort, access)], period)[0]
    participants = list(effort.participants.all())
    methods = sorted(
        {u.method.name for u in MethodUse.objects.filter(participant__effort=effort).select_related("method")}
    )
    return EffortSummary(
        effort,
        period,
        str(effort.get_phase_display()),
        line.goals,
        sum(1 for p in participants if p.unit_id),
        sum(1 for p in participants if not p.unit_id),
        line.milestones_done,
        line.milestones_late,
        line.milestones_total,
        line.next_milestone,
        methods,
        line.overdue_milestones,
    )


def municipal_unit(viewer: Viewer) -> str | None:
    """The municipality (the root unit), where the person may open its figures: an effort's shared
    result (its participants only) links to the same measure for the whole municipality there."""
    roots = viewer.tree.roots
    return roots[0] if roots and roots[0] in viewer.visible else None


def milestones_of(effort: Effort, day: dt.date | None = None) -> list[tuple[Milestone, str]]:
    day = day or today()
    return [(m, m.status_on(day)) for m in effort.milestones.all()]


def committee_efforts(committee: Any) -> list[Effort]:
    """The efforts (not retired) with a shared goal indicator in one of the committee's task areas."""
    return list(
        Effort.objects.filter(goal_indicators__indicator__task_area__committee=committee)
        .distinct()
        .order_by("name", "code")
    )


def shared_year_targets(effort: Effort, year: int) -> dict[str, Decimal]:
    """The shared goal's yearly targets (over all participants), by indicator code."""
    return dict(EffortTarget.objects.filter(effort=effort, year=year, unit=None).values_list("indicator_id", "value"))
