"""The shared result is rolled up over the participants (sum over sum), parts are shown as the rule allows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.core.periods import Period
from driftsblik.efforts.access import effort_access
from driftsblik.efforts.models import Participant
from driftsblik.efforts.selectors import (
    OTHERS,
    REMAINDER,
    effort_aggregates,
    effort_lines,
    effort_summary,
    shared_results,
)
from driftsblik.efforts.services import participant_add
from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.organisation.models import ANALYST_GROUP, Leadership, Unit
from driftsblik.organisation.tests.factories import make_leader, make_user
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.viewer import Viewer

pytestmark = pytest.mark.django_db
MARCH = Period.parse("2025-03")


def results(user, effort):
    access = effort_access(Viewer.of(user), effort)
    assert access is not None
    found = shared_results(user=user, effort=effort, access=access, period=MARCH, names={})
    return {r.indicator.code: r for r in found}


def test_the_shared_ratio_is_the_sum_of_numerators_over_the_sum_of_denominators():
    effort = build_effort(participants=("J1", "J2"))
    analyst = make_user("a@example.dk", groups=[ANALYST_GROUP])
    share = results(analyst, effort)["in_work"]
    # J1 10/40 (25 %), J2 30/60 (50 %): (10 + 30) / (40 + 60) = 40 %, not the mean of 37.5 %
    assert share.total.cell.numerator == 40 and share.total.cell.denominator == 100
    assert share.total.value == Decimal(40)
    assert share.total.target == Decimal(50) and share.total.status == "red"
    parts = {r.key: r.figure.value for r in share.parts}
    assert parts == {"J1": Decimal(25), "J2": Decimal(50)}
    assert share.change_previous == 0 and share.change_last_year == 0


def test_a_participant_below_another_participant_is_counted_once():
    effort = build_effort(participants=("J", "J1", "U1"))
    analyst = make_user("a@example.dk", groups=[ANALYST_GROUP])
    got = results(analyst, effort)
    # J holds J1 and J2: (10 + 30 + 8) / (40 + 60 + 20), J1 not added a second time
    assert got["in_work"].total.value == Decimal(40)
    assert got["neet"].total.value == Decimal(12 + 3 + 20)
    assert {r.key: r.figure.value for r in got["neet"].parts} == {"J": 15, "J1": 12, "U1": 20}


def test_a_participant_sees_the_total_and_its_own_part_across_branches_and_no_other_unit():
    effort = build_effort()
    youth = make_leader("u1@example.dk", "U1")
    got = results(youth, effort)
    assert got["neet"].total.value == Decimal(35)
    rows = {r.key: r for r in got["neet"].parts}
    # U1's leader sees U1 (own) and none of J1, J2 (another branch): they are one anonymous remainder
    assert set(rows) == {"U1", OTHERS}
    assert rows["U1"].own and rows[OTHERS].figure.value == Decimal(15)
    assert "J1" not in str(rows[OTHERS].name) and rows[OTHERS].participant is None


def test_a_single_hidden_part_is_left_out_rather_than_shown_under_another_name():
    effort = build_effort(participants=("J1", "U1"))
    youth = make_leader("u1@example.dk", "U1")
    rows = {r.key for r in results(youth, effort)["neet"].parts}
    assert rows == {"U1"}


def test_small_parts_are_suppressed_with_one_more_beside_them():
    effort = build_effort()
    jobcenter = make_leader("j@example.dk", "J")
    rows = {r.key: r.figure for r in results(jobcenter, effort)["neet"].parts}
    # J2 has 3 young people: suppressed, and one more part beside it (J1 or the remainder) too
    assert rows["J2"].suppressed == "small" and rows["J2"].value is None
    assert sum(1 for f in rows.values() if f.suppressed) == 2
    analyst = make_user("a@example.dk", groups=[ANALYST_GROUP])
    assert {r.key: r.figure.value for r in results(analyst, effort)["neet"].parts}["J2"] == 3


def test_the_pattern_holds_each_remainder_as_readers_change():
    """The named sums the pattern holds follow the participants and the people who lead several
    units (the answer is kept between requests until one of them changes)."""
    effort = build_effort(participants=("J1", "J2", "U1"))

    def held() -> set[tuple[str, ...]]:
        sums = effort_aggregates(None, TreeCache())["neet"]
        return {tuple(node[2:]) for node, _units in sums if node[0] == REMAINDER}

    # the contact of J1 (leading nothing) sees J1 only: J2 and U1 are one remainder; U1's leader the rest
    assert held() == {("J1", "J2"), ("J1", "U1"), ("J2", "U1")}
    youth = make_leader("many@example.dk", "U1")
    Leadership.objects.create(user=youth, unit_id="J1", valid_from=dt.date(2020, 1, 1))
    participant_add(effort=effort, unit=Unit.objects.get(id="S2"), contact_name="S2", role="Udfører")
    # S2 holds U1: the tops are J1, J2 and S2; U1's contact (leading nothing) sees none of them, and
    # whoever leads J1 and U1 sees J1, J2 (peer) and S2 (above): no remainder
    assert held() == {("J1", "J2"), ("J1", "S2"), ("J2", "S2"), ("J1", "J2", "S2")}
    rows = {r.key for r in results(youth, effort)["neet"].parts}
    assert OTHERS not in rows


def test_external_partners_have_no_part_in_the_register_figures():
    effort = build_effort()
    analyst = make_user("a@example.dk", groups=[ANALYST_GROUP])
    keys = {r.key for r in results(analyst, effort)["in_work"].parts}
    assert keys == {"J1", "J2", "U1"}
    assert Participant.objects.filter(effort=effort, unit=None).exists()


def test_lines_and_summary_carry_the_shared_goal():
    effort = build_effort()
    participant_add(effort=effort, unit=Unit.objects.get(id="J"), contact_name="J", role="Samlet")
    owner = effort.owner
    lines = effort_lines(owner, [(effort, effort_access(Viewer.of(owner), effort))], MARCH)
    assert [f.value for f in lines[0].goals] == [Decimal(40), Decimal(35)]
    summary = effort_summary(user=owner, effort=effort, period=MARCH)
    assert summary.participants_internal == 4 and summary.participants_external == 1
    assert summary.goals[0].status == "red"


UNITS = ["K", "A1", "S1", "J", "J1", "J2", "A2", "S2", "U", "U1"]


@pytest.fixture
def town():
    from driftsblik.efforts.tests.helpers import TREE, figures, indicators, owner
    from driftsblik.organisation.tests.factories import make_tree

    make_tree(TREE)
    indicators()
    figures()
    owner()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    participants=st.lists(st.sampled_from(UNITS), unique=True, min_size=1, max_size=6),
    led=st.sampled_from(UNITS),
)
def test_parts_never_name_a_unit_outside_the_view_and_the_total_counts_each_citizen_once(town, participants, led):
    from driftsblik.efforts.models import Effort
    from driftsblik.efforts.services import effort_create, goal_indicator_add
    from driftsblik.indicators.models import Indicator
    from driftsblik.organisation.models import User
    from driftsblik.organisation.visibility import visible_units

    Effort.objects.all().delete()
    User.objects.filter(email="viewer@example.dk").delete()
    effort = effort_create(
        code="e", name="E", owner=User.objects.get(email="direktor@example.dk"), start=dt.date(2024, 1, 1)
    )
    goal_indicator_add(effort=effort, indicator=Indicator.objects.get(code="neet"))
    for unit in participants:
        participant_add(effort=effort, unit=Unit.objects.get(id=unit), contact_name="K", role="R")
    viewer = make_leader("viewer@example.dk", led)
    access = effort_access(Viewer.of(viewer), effort)
    if access is None:
        return
    visible = visible_units(viewer)
    got = shared_results(user=viewer, effort=effort, access=access, period=MARCH, names={}, with_chart=False)[0]
    keys = {r.key for r in got.parts}
    assert keys - {OTHERS} <= set(visible) | (set(participants) & {led})
    # every young person once: the total is the sum over participants not below another participant
    from driftsblik.efforts.tests.helpers import NEET

    tree_parent = {"J1": "J", "J2": "J", "J": "S1", "S1": "A1", "A1": "K", "U1": "U", "U": "S2", "S2": "A2", "A2": "K"}

    def covered(team: str) -> bool:
        unit = team
        while unit is not None:
            if unit in participants:
                return True
            unit = tree_parent.get(unit)
        return False

    expected = sum(n for team, n in NEET.items() if covered(team))
    if got.total.cell is not None and not got.total.suppressed:
        assert got.total.value == expected
    if OTHERS in keys:
        hidden = [u for u in participants if not access.sees_part(u)]
        assert len(hidden) >= 2


def test_an_effort_renders_as_a_report_section():
    from django.template import Context, Template

    effort = build_effort()
    summary = effort_summary(user=effort.owner, effort=effort, period=MARCH)
    html = Template("{% load efforts_tags %}{% effort_section summary 2 %}").render(Context({"summary": summary}))
    assert "<h2>Ungegarantien</h2>" in html and "40,0 %" in html and "50,0 %" in html
    outsider = make_leader("a2@example.dk", "A2")
    from django.http import Http404

    with pytest.raises(Http404):
        effort_summary(user=outsider, effort=effort)


def test_the_system_reads_every_effort_suppressed_for_a_report_but_a_person_still_by_their_view():
    effort = build_effort(participants=("J2",))  # 3 young people without job or education: a small number
    analyst = make_user("analytiker@example.dk", groups=[ANALYST_GROUP])

    def neet(summary):
        return next(f for f in summary.goals if f.indicator.code == "neet")

    assert neet(effort_summary(user=None, effort=effort, period=MARCH)).value == Decimal(3)
    suppressed = neet(effort_summary(user=None, effort=effort, period=MARCH, suppress=True))
    assert suppressed.suppressed == "small" and suppressed.value is None
    share = effort_summary(user=None, effort=effort, period=MARCH, suppress=True).goals[0]
    assert share.value == Decimal(50) and not share.suppressed
    # people are unchanged: the analyst sees the small number, the owner does not, an outsider gets a 404
    assert neet(effort_summary(user=analyst, effort=effort, period=MARCH, suppress=True)).value == Decimal(3)
    assert neet(effort_summary(user=effort.owner, effort=effort, period=MARCH)).suppressed == "small"
    from django.http import Http404

    with pytest.raises(Http404):
        effort_summary(user=make_leader("a2@example.dk", "A2"), effort=effort, period=MARCH, suppress=True)
