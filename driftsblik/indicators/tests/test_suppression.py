"""Small-number suppression: primary for everyone but analysts, secondary among siblings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.core.periods import Period
from driftsblik.indicators.rollup import Cell
from driftsblik.indicators.selectors import SECONDARY, SMALL, figures, suppress_siblings
from driftsblik.indicators.suppression import is_small, suppressed_children
from driftsblik.indicators.tests.helpers import indicator, observe, person, small_tree

MONTH = Period.parse("2025-03")


def test_is_small_looks_at_numerator_and_denominator():
    assert is_small(Cell(Decimal(1), None), 5)
    assert is_small(Cell(Decimal(4), None), 5)
    assert not is_small(Cell(Decimal(5), None), 5)
    assert not is_small(Cell(Decimal(0), None), 5)
    assert is_small(Cell(Decimal(0), Decimal(3)), 5)
    assert not is_small(Cell(Decimal(10), Decimal(50)), 5)
    assert not is_small(None, 5)


def test_exactly_one_small_child_hides_one_more():
    children = {"a": Cell(Decimal(3), None), "b": Cell(Decimal(50), None), "c": Cell(Decimal(9), None)}
    assert suppressed_children(children, 5) == {"a", "c"}


def test_a_zero_child_is_not_the_second_hidden_one_when_another_can_be():
    children = {"a": Cell(Decimal(2), None), "z": Cell(Decimal(0), None), "b": Cell(Decimal(70), None)}
    assert suppressed_children(children, 5) == {"a", "b"}


def small_cells():
    return st.integers(1, 4).map(lambda n: Cell(Decimal(n), None))


def large_cells():
    return st.one_of(st.just(0), st.integers(5, 1000)).map(lambda n: Cell(Decimal(n), None))


@given(small=small_cells(), others=st.lists(large_cells(), min_size=1, max_size=8))
def test_with_exactly_one_small_child_never_exactly_one_hidden(small, others):
    children = {"small": small, **{f"c{i}": cell for i, cell in enumerate(others)}}
    hidden = suppressed_children(children, 5)
    assert "small" in hidden
    assert len(hidden) != 1


@given(cells=st.lists(st.one_of(small_cells(), large_cells()), min_size=2, max_size=8))
def test_secondary_suppression_never_leaves_a_single_hidden_child(cells):
    hidden = suppressed_children(dict(enumerate(cells)), 5)
    assert {i for i, c in enumerate(cells) if is_small(c, 5)} <= hidden
    assert len(hidden) != 1


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(numerator=st.integers(0, 12), extra=st.integers(0, 12), person_based=st.booleans())
def test_a_non_analyst_never_sees_a_small_person_based_figure_and_an_analyst_does(numerator, extra, person_based):
    with transaction.atomic():
        small_tree()
        share = indicator("share", measure="share", temporal="stock", person_based=person_based)
        observe(share, "T11", "2025-03", numerator, numerator + extra)
        leader = person("leader@example.dk", leads="I1")
        analyst = person("analyst@example.dk", analyst=True)
        small = 0 < numerator < 5 or 0 < numerator + extra < 5
        for unit_id in ("T11", "I1", "K"):
            seen = figures(leader, [share], [unit_id], MONTH)[("share", unit_id)]
            full = figures(analyst, [share], [unit_id], MONTH)[("share", unit_id)]
            if person_based and small:
                assert seen.suppressed == SMALL
                assert seen.value is None and seen.numerator is None and seen.denominator is None
                assert seen.shown_status is None
            else:
                assert seen.suppressed is None and seen.numerator == numerator
            assert full.suppressed is None and full.numerator == numerator
            assert full.denominator == numerator + extra
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_siblings_shown_with_their_parent_get_secondary_suppression_for_a_leader_only():
    small_tree()
    count = indicator("cases", person_based=True)
    observe(count, "T11", "2025-03", 3)
    observe(count, "T12", "2025-03", 20)
    leader = person("leader@example.dk", leads="I1")
    children = figures(leader, [count], ["T11", "T12"], MONTH)
    by_unit = {u: f for (_, u), f in children.items()}
    suppress_siblings(leader, by_unit)
    assert by_unit["T11"].suppressed == SMALL
    assert by_unit["T12"].suppressed == SECONDARY and by_unit["T12"].value is None
    analyst = person("analyst@example.dk", analyst=True)
    full = {u: f for (_, u), f in figures(analyst, [count], ["T11", "T12"], MONTH).items()}
    suppress_siblings(analyst, full)
    assert full["T11"].value == 3 and full["T12"].value == 20


@pytest.mark.django_db
def test_figures_that_are_not_person_based_are_never_suppressed():
    small_tree()
    hours = indicator("hours", person_based=False)
    observe(hours, "T11", "2025-03", 2)
    leader = person("leader@example.dk", leads="I1")
    assert figures(leader, [hours], ["T11"], MONTH)[("hours", "T11")].value == 2
