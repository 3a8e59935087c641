"""Properties on random trees: a thread is seen by exactly those who see its unit (not as a mere
peer), through every read path (the selector, the thread page's lookup, the inbox, the quality
table); and a leader may raise a challenge exactly one level up or down from a unit they lead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from driftsblik.dialogue.models import Challenge
from driftsblik.dialogue.policy import challenge_refusal
from driftsblik.dialogue.selectors import follow_up_quality, inbox, thread_or_404, threads_visible_to
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.leaders import leaders_on
from driftsblik.organisation.models import User
from driftsblik.organisation.tests.factories import make_leader, make_tree
from driftsblik.organisation.tree import tree_on
from driftsblik.organisation.visibility import PEER, access_from_units, visible_units

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@st.composite
def trees(draw):
    """A random tree of 2..14 units (parents before children), and which units have a leader."""
    size = draw(st.integers(min_value=2, max_value=14))
    parents = [None] + [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, size)]
    led = draw(st.lists(st.integers(min_value=0, max_value=size - 1), min_size=1, max_size=size, unique=True))
    return parents, led


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=trees())
def test_a_thread_is_visible_to_exactly_those_who_see_its_unit(spec):
    parents, led = spec
    try:
        with transaction.atomic():
            _check(parents, led)
            raise Rollback
    except Rollback:
        pass


def _check(parents, led):
    rows = [(f"U{i}", None if p is None else f"U{p}") for i, p in enumerate(parents)]
    make_tree(rows)
    indicator = Indicator.objects.create(code="x", name="X", measure="count")
    leaders = {i: make_leader(f"l{i}@example.dk", f"U{i}") for i in led}
    author = next(iter(leaders.values()))
    threads = {
        f"U{i}": Challenge.objects.create(
            indicator=indicator, unit_id=f"U{i}", period="2025-03", author=author, addressee=author, question="?"
        )
        for i in range(len(parents))
    }
    tree = tree_on(dt.date.today())
    for i, user in leaders.items():
        rule = access_from_units(tree, [f"U{i}"], settings.VISIBILITY_RADIUS)
        expected = {u for u, a in rule.items() if a.relation != PEER}
        user = User.objects.get(pk=user.pk)
        assert set(threads_visible_to(user).values_list("unit_id", flat=True)) == expected
        for unit_id, challenge in threads.items():
            if unit_id in expected:
                assert thread_or_404(user, challenge.pk) == challenge
            else:
                with pytest.raises(Http404):
                    thread_or_404(user, challenge.pk)
        seen = {c.unit_id for c in inbox(user).awaiting}
        assert seen <= expected
        # raising: only next to a led unit (its parent or a child), inside the view, with a leader to answer
        visible = visible_units(user, tree=tree)
        leaders_now = leaders_on(list(tree.parent), tree.on)
        for unit_id in tree.parent:
            allowed = challenge_refusal(user, unit_id, tree=tree, visible=visible, leaders=leaders_now) is None
            next_door = unit_id == tree.parent.get(f"U{i}") or tree.parent.get(unit_id) == f"U{i}"
            answerer = leaders_now[unit_id]
            assert allowed == (next_door and unit_id in expected and answerer is not None and answerer != user)
        quality = follow_up_quality(user, tree=tree)
        assert {row.key for row in quality.units} == expected  # every unit seen has a thread here
        assert quality.quiet == 0
        assert sum(level.raised for level in quality.levels) == len(expected)
