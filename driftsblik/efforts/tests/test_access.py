"""Who sees an effort and whose parts: the rule on the database, and as a property over random trees."""

from __future__ import annotations

import pytest
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st

from driftsblik.efforts.access import access_rule, effort_or_404, hidden_tops, remainders, visible_efforts
from driftsblik.efforts.selectors import top_units
from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP
from driftsblik.organisation.tests.factories import make_leader, make_user
from driftsblik.organisation.tree import Tree
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import access_from_units


@pytest.mark.django_db
def test_who_sees_the_effort_and_why():
    effort = build_effort(participants=("J1", "U1"))
    cases = {
        "owner": effort.owner,
        "participant": make_leader("u1@example.dk", "U1"),
        "sees_unit": make_leader("j@example.dk", "J"),  # J1 is one level below
        "directorate": make_user("d@example.dk", groups=[DIRECTORATE_GROUP]),
        "analyst": make_user("a@example.dk", groups=[ANALYST_GROUP]),
    }
    for reason, user in cases.items():
        got = effort_or_404(Viewer.of(user), "ungegaranti")[1]
        assert got.reason == reason, (reason, got.reason)
    contact = make_user("j1@example.dk")  # the named contact of J1, leading nothing
    assert effort_or_404(Viewer.of(contact), "ungegaranti")[1].own_units == {"J1"}
    for outsider in (make_leader("s2@example.dk", "A2"), make_user("ingen@example.dk")):
        # A2's director sees S2 and U, but U1 is three levels below: not a participant they see
        with pytest.raises(Http404):
            effort_or_404(Viewer.of(outsider), "ungegaranti")
        assert visible_efforts(Viewer.of(outsider)) == []
    with pytest.raises(Http404):
        effort_or_404(Viewer.of(effort.owner), "no-such-effort")


@st.composite
def trees_and_people(draw):
    """A random tree (parents before children), participants, and the units a person leads."""
    size = draw(st.integers(min_value=1, max_value=25))
    links = [("u0", None, "u0", "root")]
    for i in range(1, size):
        parent = draw(st.integers(min_value=0, max_value=i - 1))
        links.append((f"u{i}", f"u{parent}", f"u{i}", "team"))
    units = [u for u, *_ in links]
    participants = draw(st.lists(st.sampled_from(units), unique=True, max_size=8))
    contacts = draw(st.lists(st.booleans(), min_size=len(participants), max_size=len(participants)))
    led = draw(st.lists(st.sampled_from(units), unique=True, max_size=3))
    radius = draw(st.integers(min_value=0, max_value=3))
    directorate = draw(st.booleans())
    return Tree.from_links(None, links), participants, contacts, led, radius, directorate


@settings(max_examples=300, deadline=None)
@given(trees_and_people())
def test_no_part_of_a_unit_outside_the_view_is_ever_shown(case):
    tree, participants, contacts, led, radius, directorate = case
    visible = access_from_units(tree, led, radius, directorate=directorate)
    pairs = [(u, "me@example.dk" if c else f"{u}@example.dk") for u, c in zip(participants, contacts, strict=True)]
    access = access_rule(
        participants=pairs,
        owner_email="owner@example.dk",
        user_email="me@example.dk",
        led=led,
        visible=visible,
        directorate=directorate,
        analyst=False,
    )
    takes_part = any(u in led or c for u, c in zip(participants, contacts, strict=True))
    sees_one = any(u in visible for u in participants)
    # who sees the effort: participants, the directorate, and those who see a participating unit
    assert (access is not None) == (takes_part or directorate or sees_one)
    if access is None:
        return
    if directorate:
        assert all(access.sees_part(u) for u in participants)  # the directorate follows every part
        return
    for unit in participants:
        if access.sees_part(unit):
            # a part is shown only for the person's own participating units or units the rule shows
            own = unit in led or dict(pairs)[unit] == "me@example.dk"
            assert own or unit in visible
        if unit in led:
            assert access.sees_part(unit)
    assert access.own_units <= set(participants)


@settings(max_examples=300, deadline=None)
@given(trees_and_people(), st.booleans())
def test_every_remainder_a_reader_gets_is_one_the_pattern_holds(case, leads_today):
    """The suppression pattern holds each anonymous remainder some reader can be shown
    (`remainders`); a reader whose remainder it did not hold would not be shown it at all. Any
    leader, of one unit or several (named in the leaderships of today when `leads_today`), or a
    contact, gets one of them."""
    tree, participants, contacts, led, radius, _directorate = case
    pairs = [(u, "me@example.dk" if c else f"{u}@example.dk") for u, c in zip(participants, contacts, strict=True)]
    people = {"me@example.dk": led if leads_today else []}
    tops = top_units(participants, tree)
    held = remainders(pairs, "owner@example.dk", tops, tree, radius, people)
    for single in (False, True):
        for start in [led[:1]] if single else [led]:
            access = access_rule(
                participants=pairs,
                owner_email="owner@example.dk",
                user_email="" if single else "me@example.dk",
                led=start,
                visible=access_from_units(tree, start, radius),
                directorate=False,
                analyst=False,
            )
            if access is None or access.all_parts or (not single and not leads_today and led):
                continue
            rest = hidden_tops(tops, access)
            if len(rest) >= 2:
                assert tuple(sorted(rest)) in held, (start, rest, held)
    assert all(len(rest) >= 2 and set(rest) <= set(tops) for rest in held)


def test_a_participant_without_a_contact_is_nobodys_own_part():
    """An empty contact e-mail matches no one, not even a person without one."""
    tree = Tree.from_links(None, [("k", None, "k", "root"), ("a", "k", "a", "team"), ("b", "k", "b", "team")])
    access = access_rule(
        participants=[("a", ""), ("b", "")],
        owner_email="owner@example.dk",
        user_email="",
        led=["k"],
        visible=access_from_units(tree, ["k"], 1),
        directorate=False,
        analyst=False,
    )
    assert access is not None and access.own_units == frozenset() and access.reason == "sees_unit"


def test_the_owner_sees_every_part_and_a_participant_only_its_own_and_those_it_sees():
    visible = access_from_units(Tree.from_links(None, [("k", None, "k", "root"), ("a", "k", "a", "team")]), ["a"], 2)
    pairs = [("a", ""), ("far", "")]
    common = {"participants": pairs, "visible": visible, "directorate": False, "analyst": False}
    owner = access_rule(owner_email="me@example.dk", user_email="me@example.dk", led=[], **common)
    assert owner.sees_part("far") and owner.sees_part("a")
    lead = access_rule(owner_email="o@example.dk", user_email="me@example.dk", led=["a"], **common)
    assert lead.sees_part("a") and not lead.sees_part("far")
