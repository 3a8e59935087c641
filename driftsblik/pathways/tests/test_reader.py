"""The reader of the pathway pages (`pinned`): which hidden counts the published ones pin to one
value. Its answer is checked against bounding every hidden count alone, down and up, with its own
two linear programs, by each of its ways: one program and a direction, and pushing every count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from driftsblik.indicators.rollup import Cell
from driftsblik.indicators.suppression import Equation
from driftsblik.pathways import suppression


def count(n: int) -> Cell:
    return Cell(Decimal(n), None)


@st.composite
def tables(draw):
    """A table of counts with its row, column and grand totals, some of them hidden (boxed as a
    reader reads the marks: "<5" is 1..4, "x" at least 5, an unpublished zero at least 0)."""
    rows, cols = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    inner = {(r, c): draw(st.sampled_from([0, 1, 2, 3, 4, 5, 7, 12, 30])) for r in range(rows) for c in range(cols)}
    cells = {k: count(v) for k, v in inner.items()}
    for r in range(rows):
        cells[("row", r)] = count(sum(inner[(r, c)] for c in range(cols)))
    for c in range(cols):
        cells[("col", c)] = count(sum(inner[(r, c)] for r in range(rows)))
    cells["all"] = count(sum(inner.values()))
    equations = [Equation(("row", r), tuple((r, c) for c in range(cols)), count(0)) for r in range(rows)]
    equations += [Equation(("col", c), tuple((r, c) for r in range(rows)), count(0)) for c in range(cols)]
    equations.append(Equation("all", tuple(("row", r) for r in range(rows)), count(0)))
    hidden = draw(st.lists(st.sampled_from(sorted(cells, key=repr)), min_size=1, unique=True))
    boxes = {}
    for key in hidden:
        value = int(cells[key].numerator)
        boxes[key] = (1.0, 4.0) if 0 < value < 5 else (5.0, None) if value >= 5 else (0.0, None)
    return cells, equations, boxes


def program(cells, equations, boxes) -> tuple[list, list[list[float]], list[float]]:
    """The reader's equations over the boxed counts (sorted): their names, rows and right-hand sides
    (every known count moved to the right)."""
    names = sorted(boxes, key=repr)
    index = {k: j for j, k in enumerate(names)}
    matrix, rhs = [], []
    for equation in equations:
        row = [0.0] * len(names)
        value = 0.0
        for key, sign in ((equation.total, 1.0), *((p, -1.0) for p in equation.parts)):
            if key in index:
                row[index[key]] += sign
            else:
                value -= sign * float(cells[key].numerator)
        if any(row):
            matrix.append(row)
            rhs.append(value)
    return names, matrix, rhs


def bounded_alone(cells, equations, boxes) -> set:
    """Every boxed count whose least and greatest value (each its own linear program) are one."""
    names, matrix, rhs = program(cells, equations, boxes)
    box = [boxes[k] for k in names]
    found = set()
    for j, key in enumerate(names):
        objective = [0.0] * len(names)
        objective[j] = 1.0
        low = linprog(objective, A_eq=matrix or None, b_eq=rhs or None, bounds=box, method="highs")
        objective[j] = -1.0
        high = linprog(objective, A_eq=matrix or None, b_eq=rhs or None, bounds=box, method="highs")
        assert low.status == 0, low.message  # the true counts fit: never infeasible, never below 0
        if high.status == 0 and -high.fun - low.fun < 1e-6:
            found.add(key)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_the_reader_pins_exactly_the_counts_each_bounded_alone_pins(table):
    cells, equations, boxes = table
    assert suppression.pinned(cells, equations, boxes, set(boxes)) == bounded_alone(cells, equations, boxes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_one_program_and_a_random_direction_leave_only_the_pinned_to_check(table):
    """The interior point and the direction along the equations are trusted on these tables (no
    fallback to pushing every count), and they give the pinned counts exactly."""
    cells, equations, boxes = table
    names, matrix, rhs = program(cells, equations, boxes)
    reader = suppression._Reader(
        csr_matrix(matrix) if matrix else csr_matrix((0, len(names))), rhs, [boxes[k] for k in names]
    )
    left = reader._interior()
    assert left is not None
    assert {names[j] for j in left} == bounded_alone(cells, equations, boxes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_pushing_the_counts_where_the_direction_is_not_trusted_pins_the_same(table):
    """The fallback (every count pushed with random weights, then those left one by one) gives the
    same counts, on the kept HiGHS model and on scipy's solver alike."""
    cells, equations, boxes = table
    exact = bounded_alone(cells, equations, boxes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(suppression._Reader, "_interior", lambda self: None)
        assert suppression.pinned(cells, equations, boxes, set(boxes)) == exact
        patch.setattr(suppression, "highs_model", _no_highspy)
        assert suppression.pinned(cells, equations, boxes, set(boxes)) == exact


def _no_highspy(*args, **kwargs):
    raise ImportError("No module named 'highspy'")
