"""Who sees an effort and whose parts: the rule on the database, and as a property over random trees."""

from __future__ import annotations

import pytest
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st

from driftsblik.efforts.access import access_rule, effort_or_404, visible_efforts
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


def test_the_owner_sees_every_part_and_a_participant_only_its_own_and_those_it_sees():
    visible = access_from_units(Tree.from_links(None, [("k", None, "k", "root"), ("a", "k", "a", "team")]), ["a"], 2)
    pairs = [("a", ""), ("far", "")]
    common = {"participants": pairs, "visible": visible, "directorate": False, "analyst": False}
    owner = access_rule(owner_email="me@example.dk", user_email="me@example.dk", led=[], **common)
    assert owner.sees_part("far") and owner.sees_part("a")
    lead = access_rule(owner_email="o@example.dk", user_email="me@example.dk", led=["a"], **common)
    assert lead.sees_part("a") and not lead.sees_part("far")
