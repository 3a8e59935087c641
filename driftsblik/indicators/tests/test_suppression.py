"""Small-number suppression: primary for everyone but analysts, secondary over the linked table."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.core.periods import Period
from driftsblik.indicators.rollup import Cell
from driftsblik.indicators.selectors import SECONDARY, SMALL, figures
from driftsblik.indicators.suppression import Equation, is_small, protect
from driftsblik.indicators.tests.helpers import indicator, observe, one_figure_at_a_time, person, small_tree

MONTH = Period.parse("2025-03")


def test_is_small_looks_at_numerator_and_denominator():
    assert is_small(Cell(Decimal(1), None), 5)
    assert is_small(Cell(Decimal(4), None), 5)
    assert not is_small(Cell(Decimal(5), None), 5)
    assert not is_small(Cell(Decimal(0), None), 5)
    assert is_small(Cell(Decimal(0), Decimal(3)), 5)
    assert not is_small(Cell(Decimal(10), Decimal(50)), 5)
    assert not is_small(None, 5)


def count(n: int) -> Cell:
    return Cell(Decimal(n), None)


ZERO = count(0)


def test_exactly_one_small_part_hides_one_more():
    cells = {"P": count(67), "a": count(3), "b": count(50), "c": count(14)}
    assert protect(cells, [Equation("P", ("a", "b", "c"), ZERO)], 5) == {"a": SMALL, "c": SECONDARY}


def test_a_zero_part_is_not_the_second_hidden_one_when_another_can_be():
    cells = {"P": count(72), "a": count(2), "z": count(0), "b": count(70)}
    assert protect(cells, [Equation("P", ("a", "z", "b"), ZERO)], 5) == {"a": SMALL, "b": SECONDARY}


def test_two_small_parts_that_pin_each_other_get_a_third():
    # 1 + 1 = 60 - 58: hiding only the two would tell both are 1
    cells = {"P": count(60), "a": count(1), "b": count(1), "c": count(58)}
    assert protect(cells, [Equation("P", ("a", "b", "c"), ZERO)], 5) == {"a": SMALL, "b": SMALL, "c": SECONDARY}


def test_one_figure_hidden_in_a_short_equation_protects_every_small_one_of_it():
    # 1 + 1 = 116 - 50 - 64: both small ones are pinned; the first gets 50 hidden beside it, which
    # protects the second too (the audit runs again before it gets one of its own)
    cells = {"P": count(116), "a": count(1), "b": count(1), "c": count(50), "d": count(64)}
    equations = [Equation("P", ("a", "b", "c", "d"), ZERO)]
    hidden = protect(cells, equations, 5)
    assert [k for k, m in hidden.items() if m == SECONDARY] == ["c"]
    assert {k for k, m in hidden.items() if m == SMALL} == {"a", "b"}


def test_in_a_long_equation_each_narrowed_figure_gets_its_own_in_one_round():
    # a sector's month over more units than SHARED_COVER: one hidden figure seldom covers another
    # there, so each narrowed figure gets its own at once rather than a round of the audit each
    from driftsblik.indicators import suppression

    parts = [f"u{i:02}" for i in range(suppression.SHARED_COVER + 2)]
    values = {p: 40 + i for i, p in enumerate(parts)}
    values[parts[0]] = values[parts[1]] = 1
    cells = {"P": count(sum(values.values())), **{p: count(v) for p, v in values.items()}}
    hidden = protect(cells, [Equation("P", tuple(parts), ZERO)], 5)
    assert {k for k, m in hidden.items() if m == SMALL} == {parts[0], parts[1]}
    assert len([k for k, m in hidden.items() if m == SECONDARY]) == 2
    with mock.patch.object(suppression, "SHARED_COVER", len(parts) + 1):
        shared = protect(cells, [Equation("P", tuple(parts), ZERO)], 5)
    assert len([k for k, m in shared.items() if m == SECONDARY]) == 1


def test_a_second_hidden_figure_too_near_the_limit_protects_nothing_so_the_total_goes_too():
    # "<5" + "x" = 7 with "x" at least 5 would say the small one is 1 or 2
    cells = {"P": count(7), "a": count(2), "b": count(5)}
    hidden = protect(cells, [Equation("P", ("a", "b"), ZERO)], 5)
    assert hidden == {"a": SMALL, "b": SECONDARY, "P": SECONDARY}


def test_a_quarter_and_its_months_and_a_parent_and_its_children_are_protected_together():
    # two teams under one unit, three months and their quarter each: the rectangle of four
    months, quarter = ["m1", "m2", "m3"], "q"
    values = {"A": [6, 9, 3], "B": [40, 50, 60]}
    cells, equations = {}, []
    for unit, series in values.items():
        for month, value in zip(months, series, strict=True):
            cells[(unit, month)] = count(value)
        cells[(unit, quarter)] = count(sum(series))
        equations.append(Equation((unit, quarter), tuple((unit, m) for m in months), ZERO))
    for i, month in enumerate(months + [quarter]):
        total = sum(v[i] for v in values.values()) if month != quarter else sum(map(sum, values.values()))
        cells[("P", month)] = count(total)
        equations.append(Equation(("P", month), (("A", month), ("B", month)), ZERO))
    hidden = protect(cells, equations, 5)
    assert hidden[("A", "m3")] == SMALL
    for equation in equations:
        inside = [k for k in (equation.total, *equation.parts) if k in hidden]
        assert len(inside) != 1


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
def test_siblings_get_secondary_suppression_for_a_leader_only():
    small_tree()
    count = indicator("cases", person_based=True)
    observe(count, "T11", "2025-03", 3)
    observe(count, "T12", "2025-03", 20)
    leader = person("leader@example.dk", leads="I1")
    by_unit = {u: f for (_, u), f in figures(leader, [count], ["T11", "T12"], MONTH).items()}
    assert by_unit["T11"].suppressed == SMALL
    assert by_unit["T12"].suppressed == SECONDARY and by_unit["T12"].value is None
    analyst = person("analyst@example.dk", analyst=True)
    full = {u: f for (_, u), f in figures(analyst, [count], ["T11", "T12"], MONTH).items()}
    assert full["T11"].value == 3 and full["T12"].value == 20


@pytest.mark.django_db
def test_figures_that_are_not_person_based_are_never_suppressed():
    small_tree()
    hours = indicator("hours", person_based=False)
    observe(hours, "T11", "2025-03", 2)
    leader = person("leader@example.dk", leads="I1")
    assert figures(leader, [hours], ["T11"], MONTH)[("hours", "T11")].value == 2


def test_a_figure_hidden_to_protect_another_reads_x_and_a_small_one_reads_under_the_limit():
    from driftsblik.ui import excel, formats

    measured = type("M", (), {"measure": "count"})()
    assert formats.value_da(measured, None, suppressed=SMALL) == "<5"
    assert formats.value_da(measured, None, suppressed=SECONDARY) == "x"
    assert excel.hidden(SECONDARY).value == "x" and excel.hidden(SMALL).value == "<5"
    assert excel.hidden(True).value == "<5"


def test_a_narrowed_figure_tied_only_to_hidden_ones_gets_the_nearest_published_figure_hidden():
    # T = a + b, b = c + d, d = e + f, f = g + h, h = i + j with T to d and h hidden: the nearest
    # published figures to a are e and f (e ranks first), though g and i, further away, rank
    # first on size
    from driftsblik.indicators.suppression import _Protector

    values = {"T": 99, "a": 2, "b": 97, "c": 3, "d": 94, "e": 30, "f": 64, "g": 10, "h": 54, "i": 10, "j": 44}
    cells = {k: count(v) for k, v in values.items()}
    equations = [
        Equation("T", ("a", "b"), ZERO),
        Equation("b", ("c", "d"), ZERO),
        Equation("d", ("e", "f"), ZERO),
        Equation("f", ("g", "h"), ZERO),
        Equation("h", ("i", "j"), ZERO),
    ]
    protector = _Protector(cells, equations, 5, lambda _key: 0)
    number = protector.number
    for key in ("T", "a", "b", "c", "d", "h"):
        protector.hide(number[key], SECONDARY)
    nearest = protector.nearest(number["a"])
    assert nearest is not None and protector.keys[nearest] == "e"
    anywhere = protector.candidate(m for n in protector.hidden for i in protector.of[n] for m in protector.terms[i])
    assert anywhere is not None and protector.keys[anywhere] == "g"
    for key in ("e", "f", "g", "i", "j"):
        protector.hide(number[key], SECONDARY)
    assert protector.nearest(number["a"]) is None


def quarter_table(children: list[list[int]], own: int) -> tuple[dict[Hashable, Cell], list[Equation]]:
    """A parent P with its own figure `own` and children c0.. (a row of three months each) over
    the months of 2025Q1 and the quarter: the cells and the equations between them."""
    months = [Period.parse(f"2025-0{m}") for m in (1, 2, 3)]
    quarter = Period.parse("2025Q1")
    cells: dict[Hashable, Cell] = {}
    equations: list[Equation] = []
    for i, row in enumerate(children):
        for month, value in zip(months, row, strict=True):
            cells[(f"c{i}", month)] = count(value)
        cells[(f"c{i}", quarter)] = count(sum(row))
        equations.append(Equation((f"c{i}", quarter), tuple((f"c{i}", m) for m in months), ZERO))
    for m, month in enumerate(months):
        cells[("P", month)] = count(own + sum(row[m] for row in children))
        equations.append(Equation(("P", month), tuple((f"c{i}", month) for i in range(len(children))), count(own)))
    cells[("P", quarter)] = count(int(sum(cells[("P", m)].numerator for m in months)))
    equations.append(Equation(("P", quarter), tuple(("P", m) for m in months), ZERO))
    return cells, equations


def children_months(top: int) -> st.SearchStrategy[list[list[int]]]:
    """Two to five children's figures for three months, each 0 to `top`."""
    return st.lists(st.lists(st.integers(min_value=0, max_value=top), min_size=3, max_size=3), min_size=2, max_size=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(children_months(12), st.integers(min_value=0, max_value=3))
def test_not_auditing_a_figure_again_after_it_passed_gives_the_same_pattern(children, own):
    # a parent and its children over three months and their quarter: hiding more can only widen
    # what a reader works out of a figure, so skipping the figures that passed changes nothing
    from driftsblik.indicators import suppression

    cells, equations = quarter_table(children, own)

    fast = protect(cells, equations, 5)

    class AuditEverything(suppression._Protector):
        def violations(self, group):
            self.cleared = set()
            return super().violations(group)

    with mock.patch.object(suppression, "_Protector", AuditEverything):
        slow = protect(cells, equations, 5)
    assert fast == slow


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(children_months(9), st.integers(min_value=0, max_value=3))
def test_what_the_marks_alone_narrow_is_the_same_worked_out_for_a_whole_group_at_once(children, own):
    # a parent and its children over three months and their quarter, mostly small figures: asking
    # the marks-only audit once per group gives the pattern asking it once per figure gave
    from driftsblik.indicators import suppression

    cells, equations = quarter_table(children, own)

    for hide_zeros in (True, False):
        with mock.patch.object(suppression, "_Protector", one_figure_at_a_time()):
            one_by_one = protect(cells, equations, 5, hide_zeros=hide_zeros)
        # the whole group at the first ask, at the second, and after 16 figures alone (the budget year's)
        for alone_asks in (0, 1, suppression.TABLE_ALONE_ASKS):
            assert protect(cells, equations, 5, hide_zeros=hide_zeros, alone_asks=alone_asks) == one_by_one


def test_the_audits_model_is_solved_again_from_its_last_basis_without_presolving():
    # each group's model is solved with objective after objective; presolving every time cost a
    # quarter of the audit at ten times Hjørring (docs/benchmarks.md)
    from scipy.sparse import csr_matrix

    from driftsblik.indicators.suppression import highs_model

    highs = highs_model(csr_matrix([[1.0, -1.0]]), [0.0], [(0.0, None), (0.0, None)])
    assert highs.getOptionValue("presolve")[1] == "off"
