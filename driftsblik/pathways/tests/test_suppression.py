"""Suppression of pathway counts: the same rule as every other figure, held to by an attacker who
bounds every hidden count with linear programs over everything the page (and its download) shows."""

from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from driftsblik.engine.pathways import (
    OUTCOME_STATUSES,
    SILO_BUCKETS,
    SILO_SCHEMA,
    STATUS_SCHEMA,
    STATUSES,
    TRANSITION_SCHEMA,
    PathwayResult,
)
from driftsblik.indicators.suppression import SECONDARY, SMALL
from driftsblik.pathways.selectors import PathwayView, Shown, pathway_view

FEW = ["job", "education", "kontanthjaelp", "other", "moved_away"]
LIMIT = 5


def result_from_paths(paths: list[list[int]], units: list[int], domains: list[int]) -> PathwayResult:
    """A pathway's aggregates computed in plain Python from each person's statuses (indices in FEW)."""
    months = len(paths[0])
    labels = [f"2025-{m + 1:02d}" for m in range(months)]
    status_counts = Counter((m, FEW[p[m]]) for p in paths for m in range(months))
    statuses = [
        {"offset": m, "month": labels[m], "status": s, "persons": status_counts.get((m, s), 0)}
        for m in range(months)
        for s in STATUSES
    ]
    trans = Counter((m, FEW[p[m - 1]], FEW[p[m]]) for p in paths for m in range(1, months))
    transitions = [
        {"offset": m, "month": labels[m], "from_status": a, "to_status": b, "persons": n}
        for (m, a, b), n in sorted(trans.items())
    ]
    good = [FEW[p[-1]] in ("job", "education") for p in paths]
    silos = []
    for dim, values, buckets in (("units", units, SILO_BUCKETS), ("domains", domains, SILO_BUCKETS[:4])):
        for b, label in enumerate(buckets):
            who = [i for i, v in enumerate(values) if min(v, 4) == b]
            silos.append({"dimension": dim, "bucket": label, "persons": len(who), "outcome": sum(good[i] for i in who)})
    return PathwayResult(
        "youth_neet",
        "2025-01",
        "2025-01",
        months - 1,
        months - 1,
        None,
        len(paths),
        pa.Table.from_pylist(statuses, schema=STATUS_SCHEMA),
        pa.Table.from_pylist(transitions, schema=TRANSITION_SCHEMA),
        pa.Table.from_pylist(silos, schema=SILO_SCHEMA),
    )


@st.composite
def cohorts(draw):
    months = draw(st.integers(2, 4))
    n = draw(st.integers(5, 40))
    # few statuses, so that small counts are common
    paths = draw(
        st.lists(st.lists(st.integers(0, len(FEW) - 1), min_size=months, max_size=months), min_size=n, max_size=n)
    )
    units = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    domains = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    return paths, units, domains


def hidden_in(group: list[tuple[int, bool]]) -> int:
    return sum(1 for _n, hidden in group if hidden)


def published(view: PathwayView) -> tuple[dict, list[tuple[dict, float]]]:
    """What a reader gets from the page: every count by key (a Shown), and the equations between
    them (coefficients by key = constant)."""
    code = {str(label): s for s, label in zip(view.statuses, view.status_labels, strict=True)}
    shown: dict = {("n",): view.size}
    for m in view.months:
        for s, c in zip(view.statuses, m["cells"], strict=True):
            shown[("s", m["offset"], s)] = c
    for t in view.transitions:
        shown[("t", t["offset"], code[t["from"]], code[t["to"]])] = t["persons"]
    for dim, rows in view.silos.items():
        for r in rows:
            shown[("u", dim, r.bucket)], shown[("o", dim, r.bucket)] = r.persons, r.outcome
    zero = Shown(0, False)
    equations: list[tuple[dict, float]] = []
    for m in view.months:  # a month's statuses add up to the cohort
        row = defaultdict(float, {("n",): 1.0})
        for s in view.statuses:
            row[("s", m["offset"], s)] -= 1
        equations.append((row, 0.0))
    outs, ins = defaultdict(list), defaultdict(list)
    for key in [k for k in shown if k[0] == "t"]:
        outs[("s", key[1] - 1, key[2])].append(key)
        ins[("s", key[1], key[3])].append(key)
    for groups in (outs, ins):
        for total, parts in groups.items():
            shown.setdefault(total, zero)  # a status the page leaves out is 0
            row = defaultdict(float, {total: 1.0})
            for p in parts:
                row[p] -= 1
            equations.append((row, 0.0))
    last = view.months[-1]["offset"]
    for dim, rows in view.silos.items():
        row = defaultdict(float, {("n",): 1.0})
        for r in rows:
            row[("u", dim, r.bucket)] -= 1
        equations.append((row, 0.0))
        row = defaultdict(float)
        for s in OUTCOME_STATUSES:
            if ("s", last, s) in shown:
                row[("s", last, s)] += 1
        for r in rows:
            row[("o", dim, r.bucket)] -= 1
        equations.append((row, 0.0))
    return shown, equations


def attack(view: PathwayView) -> dict:
    """The reader's bounds for every hidden count by linear programs (HiGHS), as in the web attacker
    test: "<5" is 1..4, an "x" at least 0 (a listed transition at least 1), a bucket's outcome at most
    its persons. Each count: (low, high) from everything published, and (low, high) from the marks
    alone (only the equations between hidden counts)."""
    shown, equations = published(view)
    hidden = [k for k, c in shown.items() if c.hidden]
    slack = [("r", k[1], k[2]) for k in shown if k[0] == "u"]
    equations = equations + [
        ({k: 1.0, ("o", k[1], k[2]): -1.0, ("r", k[1], k[2]): -1.0}, 0.0) for k in shown if k[0] == "u"
    ]
    var = {k: i for i, k in enumerate(hidden + slack)}
    rows, rhs, marks_only = [], [], []
    for row, constant in equations:
        coeffs = [0.0] * len(var)
        value = constant
        for k, a in row.items():
            if k in var:
                coeffs[var[k]] += a
            else:
                value -= a * shown[k].n
        rows.append(coeffs)
        rhs.append(value)
        marks_only.append(all(k in var for k in row))
    box = [(1, LIMIT - 1) if shown[k].mark == SMALL else (1 if k[0] == "t" else 0, None) for k in hidden]
    box += [(0, None)] * len(slack)

    def bounds(i: int, only_marks: bool) -> tuple[float, float | None]:
        chosen = [j for j in range(len(rows)) if marks_only[j] or not only_marks]
        ends = []
        for sign in (1, -1):
            objective = [0.0] * len(var)
            objective[i] = sign
            found = linprog(
                objective,
                A_eq=[rows[j] for j in chosen] or None,
                b_eq=[rhs[j] for j in chosen] or None,
                bounds=box,
                method="highs",
            )
            assert found.status in (0, 3), found.message
            ends.append(sign * found.fun if found.status == 0 else None)
        return ends[0], ends[1]

    return {k: (bounds(var[k], False), bounds(var[k], True)) for k in hidden}


def assert_nothing_narrowed(view: PathwayView) -> None:
    shown, _ = published(view)
    for key, ((low, high), (said_low, said_high)) in attack(view).items():
        cell = shown[key]
        if cell.mark == SMALL:
            assert low <= said_low + 1e-6 and high >= said_high - 1e-6, (key, cell, low, high, said_low, said_high)
        else:
            assert cell.n == 0 or cell.n >= LIMIT, "an 'x' is never a small number"
            # a hidden zero may still be worked out as zero: it says "nobody", never a small number
            assert not cell.n or high is None or high - low > 1e-6, (key, cell, low, high)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(), st.sampled_from([None, SECONDARY]))
def test_a_reader_bounds_no_hidden_count_beyond_its_mark(data, cohort_mark):
    """Subtraction across the table's rows, columns and totals, all at once, narrows no "<5" inside
    1..4 and pins no other hidden count, also when the cohort's size is hidden by its indicator."""
    result = result_from_paths(*data)
    view = pathway_view(result, analyst=False, unit_name="Kommunen", cohort_mark=cohort_mark)
    if view.withheld:  # nothing shown: a count that is not small would follow from the marks alone
        assert view.too_small and not view.months and not view.transitions and not view.silos
        return
    assert not view.too_small
    assert view.size.hidden or cohort_mark is None
    assert_nothing_narrowed(view)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_marks_say_what_is_hidden(data):
    """Every small count is hidden and reads "<5"; a hidden count that is not small reads "x"."""
    view = pathway_view(result_from_paths(*data), analyst=False, unit_name="Kommunen")
    if view.withheld:
        return
    shown, _ = published(view)
    for cell in shown.values():
        if 0 < cell.n < LIMIT:
            assert cell.hidden and cell.text == "<5"
        elif cell.hidden:
            assert cell.mark == SECONDARY and cell.text == "x"


def test_a_cohort_hidden_by_its_indicator_is_not_given_away_by_its_months():
    # everyone is in "other" at month 0 and moves to a job: the old rule showed every month, so the
    # cohort's size (hidden on the indicator's page) was the sum of any month's counts
    paths = [[3, 0]] * 20 + [[3, 1]] * 12
    result = result_from_paths(paths, [1] * 32, [1] * 32)
    view = pathway_view(result, analyst=False, unit_name="Kommunen", cohort_mark=SECONDARY)
    assert view.size.text == "x"
    assert any(c.hidden for c in view.months[0]["cells"])
    assert "32" not in view.spec["description"]
    assert_nothing_narrowed(view)
    # the same cohort with its indicator's figure shown hides nothing (nothing is small)
    open_view = pathway_view(result, analyst=False, unit_name="Kommunen")
    assert open_view.size.text == "32"
    assert not any(c.hidden for m in open_view.months for c in m["cells"])


def test_a_secondary_count_never_reads_as_small():
    # 45 hidden to protect a 3: it reads "x", never "<5"
    paths = [[3, 0]] * 45 + [[3, 1]] * 3 + [[3, 2]] * 30
    view = pathway_view(result_from_paths(paths, [1] * 78, [1] * 78), analyst=False, unit_name="Kommunen")
    shown, _ = published(view)
    assert shown[("s", 1, "education")].text == "<5"
    secondary = [c for c in shown.values() if c.hidden and c.mark == SECONDARY]
    assert secondary and all(c.text == "x" for c in secondary)
    assert_nothing_narrowed(view)


@given(cohorts())
@settings(max_examples=30, deadline=None)
def test_analysts_see_every_count(data):
    result = result_from_paths(*data)
    view = pathway_view(result, analyst=True, unit_name="Kommunen", cohort_mark=SECONDARY)
    assert not view.size.hidden
    assert not any(c.hidden for m in view.months for c in m["cells"])
    assert not any(t["persons"].hidden for t in view.transitions)
