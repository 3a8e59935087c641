"""An attacker with every figure a group of leaders can open recovers no hidden small number.

For random trees and figures, the leader of every unit (and the effort's owner) open what the pages
and downloads are built from: the breakdown of every unit for every month, quarter and the year
(the unit's figure and its child units'), the unit's trend month by month, the year-end forecast,
and an effort's shared total with the parts and the anonymous remainder each of them sees. Put
together, with what the marks say ("<5" is 1..limit-1, "x" is 0 or at least the limit: at least 0
to a linear program), a linear program
(HiGHS) bounds each hidden figure over the observations behind it: no small one may be narrowed
further than the marks alone say (a "<5" and the "<5" of the total it belongs to), and no hidden
figure pinned to one value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from driftsblik.core.periods import Month, Period
from driftsblik.efforts.access import effort_or_404
from driftsblik.efforts.selectors import OTHERS, shared_results
from driftsblik.efforts.services import effort_create, goal_indicator_add, participant_add
from driftsblik.indicators import pages
from driftsblik.indicators.suppression import SMALL
from driftsblik.indicators.tests.helpers import indicator, observe, unit
from driftsblik.organisation.models import DIRECTORATE_GROUP, Unit
from driftsblik.organisation.tests.factories import make_leader, make_user
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import today, visible_units

YEAR = 2026
MONTHS = [Month(YEAR, m) for m in range(1, 7)]  # data for the first half year
PERIODS = [Period.month(m) for m in MONTHS] + [Period.parse(f"{YEAR}Q1"), Period.parse(f"{YEAR}Q2")]
PERIODS.append(Period.parse(str(YEAR)))
KINDS = ["root", "area", "sector", "institution"]


@dataclass
class World:
    parent: dict[str, str | None]
    own: dict[tuple[str, Month], int]  # each unit's own observations
    participants: list[str]
    stock: bool


@st.composite
def worlds(draw) -> World:
    size = draw(st.integers(2, 7))
    parent: dict[str, str | None] = {"U0": None}
    depth = {"U0": 0}
    for i in range(1, size):
        choices = [u for u in parent if depth[u] < 3]
        up = draw(st.sampled_from(choices))
        parent[f"U{i}"] = up
        depth[f"U{i}"] = depth[up] + 1
    has_kids = set(parent.values())
    value = st.one_of(st.none(), st.just(0), st.integers(1, 4), st.integers(5, 12), st.integers(13, 60))
    own = {}
    for u in parent:
        if u in has_kids and not draw(st.booleans()):
            continue  # most units above others have no observations of their own
        for month in MONTHS:
            v = draw(value)
            if v is not None:
                own[(u, month)] = v
    participants = draw(st.lists(st.sampled_from(sorted(parent)), min_size=0, max_size=3, unique=True))
    return World(parent, own, participants, draw(st.booleans()))


def subtree(world: World, top: str) -> set[str]:
    found = {top}
    changed = True
    while changed:
        changed = False
        for u, p in world.parent.items():
            if p in found and u not in found:
                found.add(u)
                changed = True
    return found


def expression(world: World, units: set[str], period: Period) -> dict[tuple[str, Month], int] | None:
    """The figure of the units together in the period, as coefficients over the observations."""
    keys = [(u, m) for (u, m) in world.own if u in units and m in period.months]
    if not keys:
        return None
    if world.stock:
        last = max(m for _, m in keys)
        keys = [(u, m) for u, m in keys if m == last]
    return dict.fromkeys(keys, 1)


def tops(world: World, units: list[str]) -> list[str]:
    chosen = set(units)
    result = []
    for u in units:
        above, p = False, world.parent[u]
        while p is not None:
            above = above or p in chosen
            p = world.parent[p]
        if not above:
            result.append(u)
    return result


def build(world: World):
    for u, p in world.parent.items():
        depth, q = 0, p
        while q is not None:
            depth, q = depth + 1, world.parent[q]
        unit(u, p, kind=KINDS[depth])
    ind = indicator("cases", temporal="stock" if world.stock else "flow", person_based=True)
    for (u, month), v in world.own.items():
        observe(ind, u, str(month), v)
    leaders = {u: make_leader(f"{u.lower()}@example.dk", u) for u in world.parent}
    owner = make_user("ejer@example.dk", groups=[DIRECTORATE_GROUP])
    effort = None
    if world.participants:
        effort = effort_create(code="indsats", name="Indsats", owner=owner, start=dt.date(YEAR, 1, 1))
        goal_indicator_add(effort=effort, indicator=ind)
        for u in world.participants:
            participant_add(effort=effort, unit=Unit.objects.get(id=u), contact_name=u, role="Udfører")
    return ind, leaders, owner, effort


def collect(world: World, ind, leaders, owner, effort) -> list[tuple[dict, int, str | None]]:
    """(expression, true value, mark) of every figure the leaders and the owner open."""
    seen = []

    def add(units: set[str], period: Period, figure) -> None:
        expr = expression(world, units, period)
        if expr is None:
            assert figure.cell is None
            return
        true = sum(world.own[k] for k in expr)
        assert figure.cell is not None and figure.cell.numerator == true  # the model is the page's sum
        assert (figure.suppressed is None) == (figure.value is not None)
        seen.append((expr, true, figure.suppressed))

    latest = max((m for _, m in world.own), default=MONTHS[-1])
    trees = TreeCache()  # one computation for all of them: the pattern is the same whoever looks
    tree = trees.on(today())
    for u, leader in leaders.items():
        viewer = Viewer(leader, today(), tree, visible_units(leader, today(), tree), trees)
        for period in PERIODS:
            shown = pages.breakdown(viewer, ind, u, period)
            add(subtree(world, u), period, shown.total)
            for kid, _name, figure in shown.rows:
                add(subtree(world, kid), period, figure)
        trend = pages.trend(viewer, ind, u, Period.parse(str(YEAR)), latest)
        for row in trend.rows[:6]:
            expr = expression(world, subtree(world, u), Period.month(row.month))
            if expr is not None:  # the same month as in the breakdowns, hidden or shown the same
                assert {m for e, _t, m in seen if e == expr} == {row.this_suppressed}
                if not row.this_suppressed:
                    assert row.this_year == sum(world.own[k] for k in expr)
        card = pages.scorecards(viewer, [u], Period.parse(str(YEAR)), [ind], latest)[u]
        for score in card.rows:
            if score.forecast_value is not None:  # shown: every month it comes from is shown too
                months = [Month(YEAR, m) for m in range(1, latest.month + 1)]
                for month in months:
                    expr = expression(world, subtree(world, u), Period.month(month))
                    marks = [m for e, _t, m in seen if e == expr]
                    assert expr is None or not any(marks)
    if effort is None:
        return seen
    all_tops = tops(world, world.participants)
    for person in [owner, *leaders.values()]:
        try:
            found, access = effort_or_404(Viewer.of(person), effort.code)
        except Http404:
            continue
        for period in PERIODS:
            (goal,) = shared_results(
                user=person, effort=found, access=access, period=period, names={}, trees=trees, with_chart=False
            )
            union = set().union(*(subtree(world, t) for t in all_tops))
            add(union, period, goal.total)
            shown_keys = {row.key for row in goal.parts}
            for row in goal.parts:
                if row.key == OTHERS:
                    rest = [t for t in all_tops if t not in shown_keys]
                    add(set().union(*(subtree(world, t) for t in rest)), period, row.figure)
                else:
                    add(subtree(world, row.key), period, row.figure)
    return seen


def attack(seen: list[tuple[dict, int, str | None]], limit: int) -> list[str]:
    """Bound every hidden figure by linear programming; the ways in which it is narrowed too far."""
    variables = sorted({k for expr, _t, _m in seen for k in expr}, key=str)
    index = {k: i for i, k in enumerate(variables)}

    def row(expr: dict) -> list[float]:
        out = [0.0] * len(variables)
        for k, c in expr.items():
            out[index[k]] = float(c)
        return out

    equalities, values, upper, caps = [], [], [], []
    hidden: dict[tuple, tuple[dict, int, str]] = {}
    for expr, true, mark in seen:
        if mark is None:
            equalities.append(row(expr))
            values.append(float(true))
        else:
            hidden[tuple(sorted(expr.items(), key=str))] = (expr, true, mark)
            if mark == SMALL:
                upper += [row(expr), [-c for c in row(expr)]]
                caps += [float(limit - 1), -1.0]
            # an "x" is 0 or at least the limit: a linear program takes the hull, at least 0

    def bounds(expr: dict, published: bool) -> tuple[float, float]:
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(
                [sign * c for c in row(expr)],
                A_ub=upper or None,
                b_ub=caps or None,
                A_eq=(equalities or None) if published else None,
                b_eq=(values or None) if published else None,
                bounds=[(0, None)] * len(variables),
                method="highs",
            )
            assert result.status in (0, 3), f"the marks contradict the figures: {result.message}"
            ends.append(float("inf") if result.status == 3 else sign * result.fun)
        return ends[0], ends[1]

    published = {tuple(sorted(expr.items(), key=str)) for expr, _t, mark in seen if mark is None}
    problems = []
    for key, (expr, true, mark) in hidden.items():
        if key in published:
            continue  # the same sum shown elsewhere under another name (a unit that is all of a remainder)
        low, high = bounds(expr, published=True)
        if mark != SMALL and high - low < 1e-6:
            problems.append(f"{expr} = {true} pinned")
        if mark == SMALL:
            # what the marks alone say ("<5" here, and the "<5" of a total it belongs to)
            said_low, said_high = bounds(expr, published=False)
            if low > said_low + 1e-6 or high < said_high - 1e-6:
                problems.append(f"{expr} = {true} ('<{limit}': {said_low}..{said_high}) narrowed to {low}..{high}")
        else:
            assert true >= limit or true == 0, "an 'x' is never a small number"
    return problems


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same worlds on every run (a world a random seed found is its own test below)
)
@given(world=worlds())
def test_no_hidden_figure_can_be_worked_out_from_everything_leaders_can_open(world):
    with transaction.atomic():
        seen = collect(world, *build(world))
        assert attack(seen, int(django_settings.SUPPRESSION_LIMIT)) == []
        transaction.set_rollback(True)


def test_the_attack_finds_what_page_by_page_suppression_gave_away():
    """The attacker works: with only the small figure hidden, a quarter minus its months gives it."""
    month = {("A", Month(YEAR, m)): v for m, v in ((1, 6), (2, 9), (3, 3))}
    figures = defaultdict(int)
    seen = []
    for (u, m), v in month.items():
        seen.append(({(u, m): 1}, v, SMALL if v < 5 else None))
        figures["q"] += v
    seen.append((dict.fromkeys(month, 1), figures["q"], None))
    assert attack(seen, 5) == ["{('A', Month(year=2026, month=3)): 1} = 3 ('<5': 1.0..4.0) narrowed to 3.0..3.0"]


# Found by the property above with a random seed: a leader who sees some of an effort's
# participants reads the rest as one anonymous row ("Øvrige deltagere"). When the linked table knew
# only the effort's total and its parts, that row was hidden ("x") where the total or a part beside
# it was, although the same persons were a published unit's figure less its own observations (U1
# less its own is U2 + U4, and U2 holds only U3): the hidden row was pinned (U3 + U4 in March = 33).
# The pattern now holds every reader's remainder as a named sum of its own.
REMAINDER_PINNED = World(
    parent={"U0": None, "U1": "U0", "U2": "U1", "U3": "U2", "U4": "U1", "U5": "U0"},
    own={
        ("U0", Month(year=2026, month=1)): 0,
        ("U0", Month(year=2026, month=2)): 24,
        ("U0", Month(year=2026, month=3)): 0,
        ("U0", Month(year=2026, month=4)): 2,
        ("U0", Month(year=2026, month=5)): 45,
        ("U0", Month(year=2026, month=6)): 5,
        ("U1", Month(year=2026, month=1)): 7,
        ("U1", Month(year=2026, month=2)): 12,
        ("U1", Month(year=2026, month=3)): 0,
        ("U1", Month(year=2026, month=4)): 4,
        ("U1", Month(year=2026, month=5)): 0,
        ("U1", Month(year=2026, month=6)): 0,
        ("U3", Month(year=2026, month=1)): 9,
        ("U3", Month(year=2026, month=3)): 33,
        ("U3", Month(year=2026, month=5)): 34,
        ("U4", Month(year=2026, month=1)): 34,
        ("U4", Month(year=2026, month=2)): 26,
        ("U4", Month(year=2026, month=3)): 0,
        ("U4", Month(year=2026, month=4)): 0,
        ("U4", Month(year=2026, month=5)): 0,
        ("U4", Month(year=2026, month=6)): 30,
        ("U5", Month(year=2026, month=2)): 57,
        ("U5", Month(year=2026, month=3)): 2,
        ("U5", Month(year=2026, month=4)): 11,
        ("U5", Month(year=2026, month=5)): 0,
        ("U5", Month(year=2026, month=6)): 20,
    },
    participants=["U5", "U3", "U4"],
    stock=True,
)


@pytest.mark.django_db
def test_an_efforts_anonymous_remainder_is_not_pinned_by_a_units_figure():
    with transaction.atomic():
        seen = collect(REMAINDER_PINNED, *build(REMAINDER_PINNED))
        assert attack(seen, int(django_settings.SUPPRESSION_LIMIT)) == []
        transaction.set_rollback(True)
