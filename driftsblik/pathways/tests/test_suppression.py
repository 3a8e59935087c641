"""Suppression of pathway counts: the small ones, and one more wherever a hidden one could be worked out."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.engine.pathways import (
    SILO_BUCKETS,
    SILO_SCHEMA,
    STATUS_SCHEMA,
    STATUSES,
    TRANSITION_SCHEMA,
    PathwayResult,
)
from driftsblik.pathways.selectors import pathway_view
from driftsblik.pathways.suppression import suppress

FEW = ["job", "education", "kontanthjaelp", "other", "moved_away"]


def test_small_counts_are_hidden_and_one_more_with_them():
    assert suppress({"a": 3, "b": 10, "c": 20}, [["a", "b", "c"]], 5) == {"a", "b"}
    assert suppress({"a": 3, "b": 4, "c": 20}, [["a", "b", "c"]], 5) == {"a", "b"}
    assert suppress({"a": 5, "b": 10}, [["a", "b"]], 5) == set()


def test_a_zero_is_the_last_choice_for_the_second_hidden_count():
    assert suppress({"a": 2, "b": 0, "c": 8, "d": 9}, [["a", "b", "c", "d"]], 5) == {"a", "c"}
    assert suppress({"a": 2, "b": 0}, [["a", "b"]], 5) == {"a", "b"}


def test_hiding_spreads_through_linked_groups():
    # a hidden in row 1 forces b; b's column then holds one hidden count, so d goes too
    counts = {"a": 2, "b": 7, "c": 30, "d": 6, "e": 40}
    assert suppress(counts, [["a", "b"], ["b", "d", "e"]], 5) == {"a", "b", "d"}


def test_the_cheapest_count_goes_first_and_implied_counts_follow():
    counts = {("s", 1): 40, ("t", 1): 39, ("t", 2): 1}
    group = [list(counts)]
    assert suppress(counts, group, 5) == {("t", 2), ("t", 1)}
    assert suppress(counts, group, 5, cost=lambda k: {"s": 0, "t": 1}[k[0]]) == {("t", 2), ("s", 1)}
    counts = {"persons": 120, "outcome": 2, "other": 50}
    assert suppress(counts, [], 5, implies=[("persons", "outcome")]) == {"outcome"}
    counts = {"persons": 3, "outcome": 3}
    assert suppress(counts, [], 5, implies=[("persons", "outcome")]) == {"persons", "outcome"}
    assert suppress({"persons": 30, "outcome": 6}, [], 5, implies=[("persons", "outcome")]) == set()


def test_nothing_is_hidden_below_a_limit_of_one():
    assert suppress({"a": 1, "b": 2}, [["a", "b"]], 1) == set()


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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_no_hidden_count_can_be_worked_out(data):
    paths, units, domains = data
    result = result_from_paths(paths, units, domains)
    view = pathway_view(result, analyst=False, unit_name="Kommunen")
    assert not view.too_small
    index = {s: i for i, s in enumerate(view.statuses)}
    cell = {(m["offset"], s): m["cells"][index[s]] for m in view.months for s in view.statuses}

    def status(offset: int, s: str) -> tuple[int, bool]:
        c = cell.get((offset, s))
        return (0, False) if c is None else (c.n, c.hidden)

    # primary: every count from 1 to 4 is hidden, everywhere
    for c in cell.values():
        assert c.hidden or not 0 < c.n < 5
    for t in view.transitions:
        assert t["persons"].hidden or not 0 < t["persons"].n < 5
    # a month's counts add up to the cohort: never exactly one hidden
    for m in view.months:
        assert hidden_in([(c.n, c.hidden) for c in m["cells"]]) != 1, m
    # the transitions out of (into) a status add up to its count in the month before (after)
    outs: dict[tuple[int, str], list[tuple[int, bool]]] = {}
    ins: dict[tuple[int, str], list[tuple[int, bool]]] = {}
    code = {str(label): s for s, label in zip(view.statuses, view.status_labels, strict=True)}
    for t in view.transitions:
        a, b, k = code[t["from"]], code[t["to"]], t["offset"]
        outs.setdefault((k - 1, a), [status(k - 1, a)]).append((t["persons"].n, t["persons"].hidden))
        ins.setdefault((k, b), [status(k, b)]).append((t["persons"].n, t["persons"].hidden))
    for group in [*outs.values(), *ins.values()]:
        assert hidden_in(group) != 1, group
    # across silos: the buckets add up to the cohort, and the outcomes to job + education at the end
    last = view.months[-1]["offset"]
    for rows in view.silos.values():
        assert hidden_in([(r.persons.n, r.persons.hidden) for r in rows]) != 1
        ends = [status(last, "job"), status(last, "education")]
        assert hidden_in([(r.outcome.n, r.outcome.hidden) for r in rows] + ends) != 1
        for r in rows:
            assert r.outcome.hidden or not r.persons.hidden
    # the chart never draws a hidden count, and its bars still add up to the cohort
    per_month = Counter()
    for d in view.spec["data"]["values"]:
        per_month[d["month"]] += d["persons"]
    assert set(per_month.values()) == {result.cohort_size}
    # the across-silos chart has a bar only where the table shows a share
    bars = {d["bucket"]: d["share"] for d in view.silos_spec["data"]["values"]}
    tooltips = {d["bucket"]: d["share_text"] for d in view.silos_spec["data"]["values"]}
    for r in view.silos["units"]:
        assert (bars[r.label] is None) == (r.share == "–")
        assert tooltips[r.label] == r.share  # the tooltip says what the table says
        if bars[r.label] is not None:
            assert not r.persons.hidden and not r.outcome.hidden


@given(cohorts())
@settings(max_examples=30, deadline=None)
def test_analysts_see_every_count(data):
    result = result_from_paths(*data)
    view = pathway_view(result, analyst=True, unit_name="Kommunen")
    assert not any(c.hidden for m in view.months for c in m["cells"])
    assert not any(t["persons"].hidden for t in view.transitions)
