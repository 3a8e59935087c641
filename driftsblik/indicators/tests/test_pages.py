"""Page assembly details: the page's trees equal the shared tree_on, worst-first ordering."""

from __future__ import annotations

import datetime as dt

import pytest

from driftsblik.organisation.tests.factories import make_tree, move_unit
from driftsblik.organisation.tree import TreeCache as PageTrees
from driftsblik.organisation.tree import tree_on

pytestmark = pytest.mark.django_db


def test_page_trees_equal_tree_on_every_day_across_a_move():
    make_tree({"K": {"A": ["X", "Y"], "B": None}})
    move_unit("X", "B", on=dt.date(2024, 6, 1), name="X moved")
    trees = PageTrees()
    for day in (dt.date(2019, 12, 31), dt.date(2024, 5, 31), dt.date(2024, 6, 1), dt.date(2025, 1, 31)):
        mine, shared = trees.on(day), tree_on(day)
        assert (mine.parent, mine.name, mine.kind, mine.children) == (
            shared.parent,
            shared.name,
            shared.kind,
            shared.children,
        ), day
    assert trees.on(dt.date(2024, 7, 31)) is trees.on(dt.date(2025, 1, 31))  # same spans, one tree
