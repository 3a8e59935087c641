"""A hidden small number cannot be worked out by putting pages side by side.

Three ways it could before the pattern was decided once over the whole linked table: the breakdown
of a parent and the breakdown of a child (the same figure hidden on one, shown on the other), a
quarter and its months, an effort's shared total and the parts a reader sees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from driftsblik.core.periods import Month, Period, month_range
from driftsblik.efforts.access import effort_or_404
from driftsblik.efforts.selectors import OTHERS, shared_results
from driftsblik.efforts.services import effort_create, goal_indicator_add, participant_add
from driftsblik.indicators import pages
from driftsblik.indicators.tests.helpers import indicator, observe
from driftsblik.organisation.models import DIRECTORATE_GROUP, Unit
from driftsblik.organisation.tests.factories import make_leader, make_tree, make_user
from driftsblik.organisation.viewer import Viewer

pytestmark = pytest.mark.django_db

NOVEMBER = Period.parse("2026-11")


def leader_of(unit: str) -> Viewer:
    return Viewer.of(make_leader(f"{unit.lower()}@example.dk", unit))


def test_a_figure_hidden_in_one_breakdown_is_hidden_in_every_other():
    # HJS (Hjemmepleje og sygepleje) over Hjemmeplejen (HJP, with two teams) and Sygeplejen (SYG)
    make_tree({"K": {"SAE": {"HJS": {"HJP": ["HJP1", "HJP2"], "SYG": [], "REH": []}}}})
    sick = indicator("long_term_sick", person_based=True)
    for unit, value in {"HJP1": 4, "HJP2": 2, "SYG": 2, "REH": 30}.items():
        observe(sick, unit, "2026-11", value)
    viewer = leader_of("HJS")
    at_hjs = pages.breakdown(viewer, sick, "HJS", NOVEMBER)
    at_hjp = pages.breakdown(viewer, sick, "HJP", NOVEMBER)
    shown_at_hjs = {unit: figure for unit, _name, figure in at_hjs.rows}
    assert shown_at_hjs["SYG"].suppressed == "small"
    # Hjemmeplejen (6) is hidden beside Sygeplejen, so it is hidden at the top of its own breakdown too
    assert shown_at_hjs["HJP"].suppressed is not None
    assert at_hjp.total.suppressed == shown_at_hjs["HJP"].suppressed
    # HJS's total minus the children shown never leaves Sygeplejen alone
    hidden = [u for u, f in shown_at_hjs.items() if f.suppressed]
    assert at_hjs.total.suppressed or len(hidden) >= 2


def test_a_quarter_minus_its_months_shown_does_not_give_a_hidden_month():
    make_tree({"K": {"BU": {"DAG": ["SPIREN", "MYREN"]}}})
    met = indicator("childcare_guarantee_met", person_based=True)
    for month, value in (("2026-01", 6), ("2026-02", 9), ("2026-03", 3)):
        observe(met, "SPIREN", month, value)
    for month in ("2026-01", "2026-02", "2026-03"):
        observe(met, "MYREN", month, 40)
    viewer = leader_of("DAG")
    months = pages.trend(viewer, met, "SPIREN", Period.parse("2026Q1"), Month(2026, 3)).rows[:3]
    quarter = pages.breakdown(viewer, met, "SPIREN", Period.parse("2026Q1")).total
    assert months[2].this_suppressed
    shown_months = [r for r in months if not r.this_suppressed]
    assert quarter.suppressed or len(shown_months) <= 1


def test_an_effort_total_minus_the_parts_a_reader_sees_does_not_give_a_hidden_part():
    make_tree({"K": {"A1": ["J1", "J2"], "A2": ["U1", "U2"]}})
    long_term = indicator("long_term_cash", temporal="stock", person_based=True)
    for unit, value in {"J1": 59, "J2": 74, "U1": 3, "U2": 131}.items():
        for month in month_range(Month(2026, 1), Month(2026, 11)):
            observe(long_term, unit, str(month), value)
    owner = make_user("ejer@example.dk", groups=[DIRECTORATE_GROUP])
    effort = effort_create(code="langtid", name="Langtidsledige", owner=owner, start=dt.date(2026, 1, 1))
    goal_indicator_add(effort=effort, indicator=long_term)
    for unit in ("J1", "J2", "U1"):
        participant_add(effort=effort, unit=Unit.objects.get(id=unit), contact_name=unit, role="Udfører")
    reader = make_leader("leder@example.dk", "A1")  # sees J1 and J2; U1 is outside their view
    effort, access = effort_or_404(Viewer.of(reader), "langtid")
    (goal,) = shared_results(user=reader, effort=effort, access=access, period=NOVEMBER, names={}, with_chart=False)
    assert goal.total.cell == goal.total.cell.__class__(Decimal(136), None)
    parts = {row.key: row.figure for row in goal.parts}
    assert set(parts) == {"J1", "J2"} and OTHERS not in parts
    shown = [f for f in parts.values() if f.suppressed is None]
    # total minus the parts shown is U1 alone only when every part is shown and the total too
    assert goal.total.suppressed is not None or len(shown) < len(parts)
