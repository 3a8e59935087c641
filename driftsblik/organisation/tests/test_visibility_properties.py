"""The visibility rule on random trees, against a brute-force reading of DESIGN.md written here.

DESIGN.md: a leader of unit U sees every descendant D with depth(D) - depth(U) <= 2 (below),
every ancestor A with depth(U) - depth(A) <= 2 (above), and the other children of U's parent
(peers). Nothing else. Several led units: the union. Directorate: as the root's leader.
Analysts: everything. The brute force below works from parent links only (no Tree helpers).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP
from driftsblik.organisation.tests.factories import make_leader, make_tree, make_user
from driftsblik.organisation.tree import Tree
from driftsblik.organisation.visibility import access_from_units, visible_units

MAX_DEPTH = 6


@st.composite
def trees(draw, max_units: int = 40) -> dict[str, str | None]:
    """Parent links of a random tree of depth at most MAX_DEPTH, root 'U0'."""
    count = draw(st.integers(min_value=1, max_value=max_units))
    parent: dict[str, str | None] = {"U0": None}
    depth = {"U0": 0}
    for i in range(1, count):
        candidates = sorted((u for u in parent if depth[u] < MAX_DEPTH), key=lambda u: int(u[1:]))
        p = draw(st.sampled_from(candidates))
        parent[f"U{i}"] = p
        depth[f"U{i}"] = depth[p] + 1
    return parent


def brute_depth(parent: dict[str, str | None], unit: str) -> int:
    d = 0
    while parent[unit] is not None:
        unit = parent[unit]  # type: ignore[assignment]
        d += 1
    return d


def is_ancestor(parent: dict[str, str | None], a: str, d: str) -> bool:
    """a is a proper ancestor of d."""
    current = parent[d]
    while current is not None:
        if current == a:
            return True
        current = parent[current]
    return False


def brute_relations(parent: dict[str, str | None], led: set[str], radius: int) -> dict[str, set[str]]:
    """Every unit seen, with every relation by which some led unit sees it."""
    seen: dict[str, set[str]] = {}
    for x in parent:
        for u in led:
            rel = None
            if x == u:
                rel = "self"
            elif is_ancestor(parent, u, x) and brute_depth(parent, x) - brute_depth(parent, u) <= radius:
                rel = "below"
            elif is_ancestor(parent, x, u) and brute_depth(parent, u) - brute_depth(parent, x) <= radius:
                rel = "above"
            elif parent[u] is not None and parent[x] == parent[u]:
                rel = "peer"
            if rel:
                seen.setdefault(x, set()).add(rel)
    return seen


def tree_of(parent: dict[str, str | None]) -> Tree:
    return Tree.from_links(dt.date(2025, 1, 1), [(u, p, f"name {u}", "team") for u, p in parent.items()])


@settings(max_examples=300, deadline=None)
@given(data=st.data(), radius=st.integers(min_value=0, max_value=3))
def test_one_led_unit_sees_exactly_what_the_rule_says(data, radius):
    parent = data.draw(trees())
    led = data.draw(st.sampled_from(sorted(parent)))
    got = access_from_units(tree_of(parent), [led], radius)
    expected = brute_relations(parent, {led}, radius)
    assert {u: a.relation for u, a in got.items()} == {u: rels.pop() for u, rels in expected.items()}
    for access in got.values():
        assert access.via == led
        assert access.reason


@settings(max_examples=300, deadline=None)
@given(data=st.data(), radius=st.integers(min_value=0, max_value=3))
def test_several_led_units_see_the_union(data, radius):
    parent = data.draw(trees())
    led = data.draw(st.sets(st.sampled_from(sorted(parent)), min_size=1, max_size=5))
    tree = tree_of(parent)
    got = access_from_units(tree, sorted(led), radius)
    expected = brute_relations(parent, led, radius)
    assert set(got) == set(expected)
    union: set[str] = set()
    for u in led:
        union |= set(access_from_units(tree, [u], radius))
    assert set(got) == union
    for unit, access in got.items():
        assert access.relation in expected[unit]
        if unit in led:
            assert access.relation == "self"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_directorate_sees_as_the_root_leader(data):
    parent = data.draw(trees())
    led = data.draw(st.sets(st.sampled_from(sorted(parent)), max_size=3))
    tree = tree_of(parent)
    got = access_from_units(tree, sorted(led), 2, directorate=True)
    expected = brute_relations(parent, {*led, "U0"}, 2)
    assert set(got) == set(expected)
    assert got["U0"].relation == "self"


def test_nothing_is_seen_without_a_led_unit():
    parent = {"U0": None, "U1": "U0"}
    assert access_from_units(tree_of(parent), [], 2) == {}


def test_a_chain_deeper_than_the_radius_is_cut_both_ways():
    parent = {f"U{i}": (f"U{i - 1}" if i else None) for i in range(7)}
    got = access_from_units(tree_of(parent), ["U3"], 2)
    assert {u: a.relation for u, a in got.items()} == {
        "U1": "above",
        "U2": "above",
        "U3": "self",
        "U4": "below",
        "U5": "below",
    }


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_visible_units_from_the_database_follows_the_rule(data):
    """Through the database: leaderships, groups and today's tree; every example rolled back."""
    parent = data.draw(trees(max_units=25))
    led = data.draw(st.sets(st.sampled_from(sorted(parent)), min_size=1, max_size=3))
    with transaction.atomic():
        make_tree([(u, p) for u, p in parent.items()])
        leader = make_user("leder@example.test")
        for unit in sorted(led):
            make_leader("leder@example.test", unit)
        make_leader("former@example.test", sorted(led)[0], valid_to=dt.date(2021, 12, 31))
        director = make_user("direktion@example.test", groups=[DIRECTORATE_GROUP])
        analyst = make_user("analytiker@example.test", groups=[ANALYST_GROUP])
        seen = visible_units(leader)
        assert set(seen) == set(brute_relations(parent, led, 2))
        assert set(visible_units(director)) == set(brute_relations(parent, {"U0"}, 2))
        assert {u: a.relation for u, a in visible_units(analyst).items()} == dict.fromkeys(parent, "all")
        former = make_user("former@example.test")
        assert visible_units(former) == {}
        assert set(visible_units(former, on=dt.date(2021, 6, 1))) == set(brute_relations(parent, {sorted(led)[0]}, 2))
        transaction.set_rollback(True)
