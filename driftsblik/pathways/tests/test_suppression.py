"""Suppression of pathway counts: the same rule as every other figure, held to by an attacker who
bounds every hidden count with linear programs over everything the page (and its download) shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import replace
from unittest import mock

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from driftsblik.engine.pathways import (
    OUTCOME_STATUSES,
    SILO_BUCKETS,
    SILO_SCHEMA,
    STATUS_SCHEMA,
    STATUSES,
    TRANSITION_SCHEMA,
    PathwayResult,
    combine,
)
from driftsblik.indicators.suppression import SECONDARY, SMALL
from driftsblik.organisation.tree import Tree
from driftsblik.pathways import suppression as ps
from driftsblik.pathways.selectors import PathwayView, Shown, pathway_view
from driftsblik.pathways.suppression import cohort_pages, cohort_pathway_marks, horizon_marks, pathway_marks

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
    return attack_published(*published(view))


def attack_published(shown: dict, equations: list[tuple[dict, float]]) -> dict:
    """:func:`attack` over counts and equations a reader put together (from one page or several)."""
    hidden = [k for k, c in shown.items() if c.hidden]
    slack = [("r", *k[1:]) for k in shown if k[0] == "u"]
    equations = equations + [({k: 1.0, ("o", *k[1:]): -1.0, ("r", *k[1:]): -1.0}, 0.0) for k in shown if k[0] == "u"]
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
        marks_only.append(all(k in var or not shown[k].n for k in row))  # the marks and the zeros shown
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
    assert_published_safe(*published(view))


def assert_published_safe(shown: dict, equations: list[tuple[dict, float]]) -> None:
    for key, ((low, high), (said_low, said_high)) in attack_published(shown, equations).items():
        cell = shown[key]
        if cell.mark == SMALL:
            assert low <= said_low + 1e-6 and high >= said_high - 1e-6, (key, cell, low, high, said_low, said_high)
            assert high - low > 1e-6, ("pinned, if only by the marks", key, cell, low)
        else:
            assert cell.n >= LIMIT, "an 'x' is never a small number, nor a zero (zeros are shown)"
            assert high is None or high - low > 1e-6, ("pinned", key, cell, low, high)


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
    assert view.spec is None or "32" not in view.spec["description"]  # no bar to draw: no chart at all
    assert_nothing_narrowed(view)
    # the same cohort with its indicator's figure shown hides nothing (nothing is small)
    open_view = pathway_view(result, analyst=False, unit_name="Kommunen")
    assert open_view.size.text == "32"
    assert not any(c.hidden for m in open_view.months for c in m["cells"])


def test_zeros_are_shown_and_never_hidden_to_protect_another():
    # eight persons, almost all counts small: the old rule hid 16 zeros (nobody in a job in month
    # 0, the empty silo buckets) as "x", and a reader could pin each of them to 0
    paths = [[4, 4], [1, 2], [4, 3], [4, 0], [4, 0], [3, 2], [4, 1], [1, 3]]
    view = pathway_view(result_from_paths(paths, [1] * 8, [1] * 8), analyst=False, unit_name="Kommunen")
    assert not view.withheld
    shown, _ = published(view)
    assert shown[("u", "units", "0")].text == "0" and shown[("o", "units", "0")].text == "0"
    assert all(not c.hidden for c in shown.values() if c.n == 0)
    assert_nothing_narrowed(view)


def test_a_secondary_count_never_reads_as_small():
    # 45 hidden to protect a 3: it reads "x", never "<5"
    paths = [[3, 0]] * 45 + [[3, 1]] * 3 + [[3, 2]] * 30
    view = pathway_view(result_from_paths(paths, [1] * 78, [1] * 78), analyst=False, unit_name="Kommunen")
    shown, _ = published(view)
    assert shown[("s", 1, "education")].text == "<5"
    secondary = [c for c in shown.values() if c.hidden and c.mark == SECONDARY]
    assert secondary and all(c.text == "x" for c in secondary)
    assert_nothing_narrowed(view)


def test_four_moving_away_one_at_a_time_withhold_the_page_that_follows_them_all():
    # 24 persons in "other"; four of them move away, one a month, and stay away. Every
    # listed transition holds at least one person, so a reader of the 5-month page counts four
    # arrivals into "moved away" while it stays "<5": it is 4 at the end, 1, 2 and 3 before, and
    # each arrival 1, by the marks alone. That page is withheld; the 4-month page (three arrivals:
    # 3 or 4 at the end) is drawn, and gives nothing away.
    stay = [[3] * 6] * 20
    leave = [[3] * k + [4] * (6 - k) for k in (1, 2, 3, 4)]
    paths = stay + leave
    full = result_from_paths(paths, [1] * 24, [1] * 24)
    assert sorted(r["persons"] for r in full.statuses.to_pylist() if r["status"] == "moved_away")[-5:] == [
        1,
        2,
        3,
        4,
        4,
    ]
    assert pathway_marks(full) is None
    assert pathway_view(full, analyst=False, unit_name="Kommunen").withheld
    shorter = result_from_paths([p[:4] for p in paths], [1] * 24, [1] * 24)
    marks = pathway_marks(shorter)
    assert marks is not None and marks[("s", 3, "moved_away")] == SMALL
    view = pathway_view(shorter, analyst=False, unit_name="Kommunen", marks=marks)
    assert not view.withheld
    assert_nothing_narrowed(view)
    # followed for 5 months after 4, the longer page's counts bound nothing further: withheld
    assert horizon_marks(shorter, full, None) is None


def published_together(views: list[PathwayView]) -> tuple[dict, list[tuple[dict, float]]]:
    """What a reader gets from several pages of one cohort's persons followed for different numbers
    of months: the months and transitions are the same counts on every page (shown on any page, a
    count is known), the silo counts each page's own (they end in its last month)."""
    shown: dict = {}
    equations: list[tuple[dict, float]] = []
    for view in views:
        last = view.months[-1]["offset"]
        cells, rows = published(view)
        renamed = {(*k, last) if k[0] in ("u", "o") else k: k for k in cells}
        for key, original in renamed.items():
            cell, known = cells[original], shown.get(key)
            assert known is None or known.n == cell.n, ("one count, two numbers", key)
            if known is None or (known.hidden and (not cell.hidden or cell.mark == SMALL)):
                shown[key] = cell
        own = {k: n for n, k in renamed.items()}
        equations += [({own.get(k, k): a for k, a in row.items()}, constant) for row, constant in rows]
    return shown, equations


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(), st.data())
def test_a_cohort_followed_for_fewer_months_gives_no_hidden_count_away(data, more):
    """The page of a cohort followed for fewer months shows the longer page's first months and
    transitions again: side by side, the two pages narrow no "<5" and pin no hidden count (each
    protected alone, a count hidden on one could be shown on the other, or worked out from it)."""
    paths, units, domains = data
    months = len(paths[0])
    shorter = more.draw(st.integers(1, months - 1), label="months of the shorter page")
    full = result_from_paths(paths, units, domains)
    part = result_from_paths([p[:shorter] for p in paths], units, domains)
    full_marks = pathway_marks(full)
    part_marks = horizon_marks(part, full, full_marks)
    views = [
        pathway_view(full, analyst=False, unit_name="Kommunen", marks=full_marks),
        pathway_view(part, analyst=False, unit_name="Kommunen", marks=part_marks),
    ]
    if full_marks is None:
        assert part_marks is None, "the longer page withheld, the shorter one too"
    drawn = [v for v in views if not v.withheld]
    if drawn:
        assert_published_safe(*published_together(drawn))
    if part_marks is not None:
        for key in (k for k in part_marks if k[0] in ("s", "t")):
            assert full_marks is not None and full_marks[key] == part_marks[key], key


def test_a_shorter_page_follows_the_longer_pages_pattern():
    # a 3 in a job in month 1 is protected on the 3-month page by hiding counts of month 1 (or of
    # the transitions into it); the 2-month page hides the same ones, not those its own table
    # would choose
    paths = [[3, 0, 0]] * 3 + [[3, 3, 0]] * 20 + [[3, 2, 2]] * 25 + [[3, 2, 0]] * 7
    units = [1] * len(paths)
    full = result_from_paths(paths, units, units)
    part = result_from_paths([p[:2] for p in paths], units, units)
    full_marks = pathway_marks(full)
    assert full_marks is not None
    part_marks = horizon_marks(part, full, full_marks)
    assert part_marks is not None
    shared = {k for k in (*full_marks, *part_marks) if k[0] in ("s", "t") and k[1] <= 1}
    assert ("s", 1, "job") in shared
    assert {k: full_marks.get(k) for k in shared} == {k: part_marks.get(k) for k in shared}
    views = [
        pathway_view(r, analyst=False, unit_name="Kommunen", marks=m)
        for r, m in ((full, full_marks), (part, part_marks))
    ]
    assert_published_safe(*published_together(views))
    # the same cohort followed as long as the longer page: the same pattern
    assert horizon_marks(full, full, full_marks) == full_marks


@given(cohorts())
@settings(max_examples=30, deadline=None)
def test_analysts_see_every_count(data):
    result = result_from_paths(*data)
    view = pathway_view(result, analyst=True, unit_name="Kommunen", cohort_mark=SECONDARY)
    assert not view.size.hidden
    assert not any(c.hidden for m in view.months for c in m["cells"])
    assert not any(t["persons"].hidden for t in view.transitions)


# -- a reader of every page of a unit and its child units -------------------------------------------

KEYS_PER_MONTH = [("s", s) for s in FEW]


def family_tree(shape: list[int]) -> tuple[Tree, list[str]]:
    """A chain G > P, P's child units C0.. and, for a child with a number > 0 in `shape`, its own
    child units (the register units, which hold the persons): the tree and the register units."""
    links: list[tuple[str, str | None, str, str]] = [("G", None, "G", "area"), ("P", "G", "P", "sector")]
    leaves = []
    for i, kids in enumerate(shape):
        links.append((f"C{i}", "P", f"C{i}", "institution"))
        if kids:
            for j in range(kids):
                links.append((f"C{i}T{j}", f"C{i}", f"C{i}T{j}", "team"))
                leaves.append(f"C{i}T{j}")
        else:
            leaves.append(f"C{i}")
    return Tree.from_links(dt.date(2025, 1, 1), links), leaves


@st.composite
def families(draw):
    shape = draw(st.lists(st.integers(0, 2), min_size=2, max_size=3))
    tree, leaves = family_tree(shape)
    months = draw(st.integers(2, 3))
    per_unit = {}
    for leaf in leaves:
        n = draw(st.integers(0, 14))
        if not n:
            continue
        paths = draw(
            st.lists(st.lists(st.integers(0, len(FEW) - 1), min_size=months, max_size=months), min_size=n, max_size=n)
        )
        units = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
        domains = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
        per_unit[leaf] = replace(result_from_paths(paths, units, domains), unit_ids=(leaf,))
    return tree, leaves, per_unit, months


def family_pages(tree, leaves, per_unit, *, linked: bool = True) -> dict:
    """Every page a reader of P and everything below it (and G, the municipality) opens: node -> the
    page's view. `linked`: hidden counts decided over all pages at once (else page by page)."""
    marks = cohort_pathway_marks(per_unit, leaves, tree, small_limit=LIMIT) if linked else {}
    views = {}
    for node, (members, _kids) in cohort_pages({*leaves}, tree).items():
        if isinstance(node, tuple):
            continue
        found = [per_unit[u] for u in members if u in per_unit]
        result = combine(found, members) if found else None
        if result is None:
            views[node] = None  # nobody: every count is 0
            continue
        kw = {"marks": marks.get(node, {})} if linked else {}
        views[node] = pathway_view(result, analyst=False, unit_name=str(node), **kw)
    return views


def universe(months: int) -> list[tuple]:
    keys: list[tuple] = [("n",), ("g",)]
    keys += [("s", m, s) for m in range(months) for s in FEW]
    keys += [("t", m, a, b) for m in range(1, months) for a in FEW for b in FEW]
    for dim, buckets in (("units", SILO_BUCKETS), ("domains", SILO_BUCKETS[:4])):
        keys += [(kind, dim, b) for b in buckets for kind in ("u", "o", "r")]
    return keys


def inner_equations(months: int) -> list[dict]:
    """The equations every pathway table satisfies (coefficients by key, = 0)."""
    eqs: list[dict] = []
    for m in range(months):
        eqs.append({("n",): 1.0, **{("s", m, s): -1.0 for s in FEW}})
    for m in range(1, months):
        for a in FEW:
            eqs.append({("s", m - 1, a): 1.0, **{("t", m, a, b): -1.0 for b in FEW}})
            eqs.append({("s", m, a): 1.0, **{("t", m, b, a): -1.0 for b in FEW}})
    last = months - 1
    for dim, buckets in (("units", SILO_BUCKETS), ("domains", SILO_BUCKETS[:4])):
        eqs.append({("n",): 1.0, **{("u", dim, b): -1.0 for b in buckets}})
        eqs.append({("g",): 1.0, **{("o", dim, b): -1.0 for b in buckets}})
        for b in buckets:
            eqs.append({("u", dim, b): 1.0, ("o", dim, b): -1.0, ("r", dim, b): -1.0})
    eqs.append({("g",): 1.0, ("s", last, "job"): -1.0, ("s", last, "education"): -1.0})
    return eqs


def what_a_page_says(view, months: int) -> dict:
    """key -> (low, high, true value or None, checked): what the page tells of each count (a shown
    count pins it; "<5" is 1..4; "x" at least 5, never 0, since zeros are never hidden); `checked`:
    a hidden count the reader must not narrow beyond what the page says."""
    said: dict = {}
    if view is None:  # nobody in the cohort
        return dict.fromkeys(universe(months), (0, 0, 0, False))
    if view.too_small:  # "<5" persons (or withheld): nothing else is shown
        size = view.result.cohort_size
        truth = _truth(view.result)
        said = {k: (0, None, truth.get(k, 0), truth.get(k, 0) > 0) for k in universe(months)}
        said[("n",)] = (1, LIMIT - 1, size, True) if not view.withheld else (0, None, size, True)
        return said
    shown, _ = published(view)
    for k in universe(months):
        if k[0] in ("g", "r"):
            said[k] = (0, None, None, False)
            continue
        c = shown.get(k)
        if c is None:  # a status or transition the page does not list is 0
            said[k] = (0, 0, 0, False)
        elif not c.hidden:
            said[k] = (c.n, c.n, c.n, False)
        elif c.mark == SMALL:
            said[k] = (1, LIMIT - 1, c.n, True)
        else:
            assert c.n >= LIMIT, ("an 'x' is never 0 or small", k, c)
            said[k] = (LIMIT, None, c.n, True)
    return said


def _truth(result: PathwayResult) -> dict:
    truth = {("n",): result.cohort_size}
    for r in result.statuses.to_pylist():
        truth[("s", r["offset"], r["status"])] = r["persons"]
    for r in result.transitions.to_pylist():
        truth[("t", r["offset"], r["from_status"], r["to_status"])] = r["persons"]
    for r in result.silos.to_pylist():
        truth[("u", r["dimension"], r["bucket"])] = r["persons"]
        truth[("o", r["dimension"], r["bucket"])] = r["outcome"]
    return truth


def family_settings(max_examples: int) -> settings:
    """Settings of a property over random families of pages: a fixed draw (the same answer every
    run; new families are drawn by hand with --hypothesis-seed), minutes of linear programs at most."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def attack_family(tree, leaves, views: dict, months: int) -> list:
    """Bound every hidden count of every page with linear programs over all pages at once (each
    page's own equations, and each unit's counts = the sum of its child units'), and over the marks
    alone (only equations among hidden counts). Returns the counts narrowed too far."""
    pages = cohort_pages({*leaves}, tree)
    keys = universe(months)
    var: dict = {}
    box: list = []
    checked: list = []
    for node in pages:
        said = what_a_page_says(views[node], months) if node in views else None
        for k in keys:
            var[(node, k)] = len(var)
            if said is None:  # a part no page shows (a unit's own persons): unknown
                box.append((0, None))
                continue
            low, high, truth, check = said[k]
            box.append((low, high))
            if check:
                checked.append(((node, k), truth))
    rows, known_only = [], []
    for node, (_members, kids) in pages.items():
        for eq in inner_equations(months):
            rows.append({(node, k): a for k, a in eq.items()})
        for k in keys:
            if kids:
                rows.append({(node, k): 1.0, **{(kid, k): -1.0 for kid in kids}})
    # the marks alone: equations among hidden counts (and published zeros, which say "nobody")
    fixed = {i for i, (low, high) in enumerate(box) if high is not None and low == high and high != 0}
    for row in rows:
        known_only.append(not any(var[k] in fixed for k in row))

    matrices = {}
    for only_marks in (False, True):
        chosen = [r for r, ok in zip(rows, known_only, strict=True) if ok or not only_marks]
        a = lil_matrix((len(chosen), len(var)))
        for r, row in enumerate(chosen):
            for k, coeff in row.items():
                a[r, var[k]] += coeff
        matrices[only_marks] = (a.tocsr(), [0.0] * len(chosen))

    def solve(i: int, sign: float, only_marks: bool) -> float | None:
        objective = [0.0] * len(var)
        objective[i] = sign
        a, b = matrices[only_marks]
        found = linprog(objective, A_eq=a, b_eq=b, bounds=box, method="highs")
        assert found.status in (0, 3), found.message
        return sign * found.fun if found.status == 0 else None

    bad = []
    for key, truth in checked:
        i = var[key]
        low, high = solve(i, 1.0, False), solve(i, -1.0, False)
        said_low, said_high = solve(i, 1.0, True), solve(i, -1.0, True)
        # what "<5" says (1..4), or less where the marks alone say less (two "<5" adding up to one)
        floor = max(1.0, said_low)
        top = LIMIT - 1.0 if said_high is None else min(LIMIT - 1.0, said_high)
        if high is not None and high - low < 1e-6:
            bad.append((key, truth, "pinned", low))
        elif truth < LIMIT and not (low <= floor + 1e-6 and (high is None or high >= top - 1e-6)):
            bad.append((key, truth, "narrowed", low, high, said_low, said_high))
    return bad


@pytest.mark.xfail(
    strict=True,
    reason="issue 14, item 5: /forloeb/ protects each page's table alone, so a reader of a unit and its "
    "child units works hidden counts out by subtraction; cohort_pathway_marks protects the pages together "
    "(test below) but takes a minute a cohort and is not yet decided ahead of the page (docs/indicators.md, Pathways)",
)
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],  # a failure is the expected outcome: not shrunk (minutes of linear programs)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(families())
def test_a_reader_of_a_unit_and_its_child_units_bounds_no_hidden_count(family):
    """A reader who opens the pathway of a sector, of each of its institutions and of their teams
    (and the area and municipality above) subtracts one page from another: no "<5" may be narrowed
    beyond 1..4 (nor beyond what the marks alone say), no "x" pinned, and no count of a page too
    small to show worked out. The pages as /forloeb/ protects them today (each table alone)."""
    tree, leaves, per_unit, months = family
    views = family_pages(tree, leaves, per_unit, linked=False)
    assert attack_family(tree, leaves, views, months) == []


@family_settings(6)  # minutes of linear programs: 20 and 40 more families were run by hand (docs/indicators.md)
@given(families())
def test_the_cohort_pattern_leaves_a_reader_of_every_page_no_hidden_count_pinned(family):
    """The same reader of every page, with the pages protected together (``cohort_pathway_marks``:
    the municipality alone, each page's child pages with the parent's pattern fixed, then a reader
    of every page at once): no hidden count pinned. (A "<5" narrowed inside 1..4 by every page at
    once is not yet prevented: the next test.)"""
    tree, leaves, per_unit, months = family
    views = family_pages(tree, leaves, per_unit)
    assert [bad for bad in attack_family(tree, leaves, views, months) if bad[2] == "pinned"] == []


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="issue 14, item 5: the cohort pattern's last step (a reader of every page at once) checks that no "
    "count is pinned, not that no '<5' is narrowed inside 1..4; in this family a reader of every page "
    "learns that C1's and C1T0's across-silos count (3) is at least 3 (docs/indicators.md, Pathways)",
)
@seed(158948315998965828416736221770904394037)  # the random draw in which a CI run found that family
@settings(
    max_examples=6,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(families())
def test_the_cohort_pattern_leaves_a_reader_of_every_page_no_small_count_narrowed(family):
    tree, leaves, per_unit, months = family
    views = family_pages(tree, leaves, per_unit)
    assert attack_family(tree, leaves, views, months) == []


@family_settings(12)
@given(families())
def test_what_the_marks_alone_narrow_kept_across_hides_gives_the_pattern_asked_figure_by_figure(family):
    """A family's protection asks again and again whether the marks alone narrow a count; the
    answers are kept for as long as the marks say the same (`_Protector._marks_said`). The pattern
    is the one auditing every count alone at every ask gives."""
    from driftsblik.indicators import suppression as figures
    from driftsblik.indicators.tests.helpers import one_figure_at_a_time

    tree, leaves, per_unit, _months = family
    kept = cohort_pathway_marks(per_unit, leaves, tree, small_limit=LIMIT)
    with mock.patch.object(figures, "_Protector", one_figure_at_a_time()):
        assert cohort_pathway_marks(per_unit, leaves, tree, small_limit=LIMIT) == kept


def withheld_below_the_municipality_give_nothing_away(tree, leaves, per_unit) -> bool:
    """The municipality's page as its own pattern protects it, every page below it withheld: the
    check over every page pins no count but a withheld page's that the municipality shows, for the
    same persons. False when the municipality's page is withheld itself or too small to draw
    (nothing to check)."""
    all_pages = cohort_pages({*leaves}, tree)
    pages = ps._cohort_table(per_unit, all_pages, {}, LIMIT)
    ps._protect_root(pages, LIMIT, None)
    if pages[None].withheld or pages[None].result.cohort_size < LIMIT:
        return False
    for kid in all_pages[None][1]:
        ps._withhold(kid, pages, all_pages)
    root = pages[None]
    for node, key in ps._pinned_by_every_page(pages, all_pages, LIMIT):
        assert node is not None, key
        assert pages[node].result.cohort_size == root.result.cohort_size, (node, key)
        assert key not in root.hidden and pages[node].cells[key] == root.cells[key], (node, key)
    return True


def test_a_withheld_page_does_not_tell_which_transitions_it_lists():
    """Six persons in job at C0 and six on kontanthjælp at C1, every count shown on the
    municipality's page, both units' pages withheld. Were C1's transitions from job known to be 0
    because its table does not list them (a reader of a withheld page does not see its table),
    C0's six would be worked out from the municipality's page."""
    tree, leaves = family_tree([0, 0])
    per_unit = {
        "C0": replace(result_from_paths([[0, 0]] * 6, [1] * 6, [1] * 6), unit_ids=("C0",)),
        "C1": replace(result_from_paths([[2, 2]] * 6, [1] * 6, [1] * 6), unit_ids=("C1",)),
    }
    assert withheld_below_the_municipality_give_nothing_away(tree, leaves, per_unit)


@family_settings(25)
@given(families())
def test_pages_withheld_below_the_municipality_give_none_of_its_hidden_counts_away(family):
    tree, leaves, per_unit, _months = family
    assume(per_unit)
    assume(withheld_below_the_municipality_give_nothing_away(tree, leaves, per_unit))


# Families a CI run drew for the property above, as hypothesis's choices (hypothesis is pinned in
# requirements.lock; `ConjectureData.for_choices` replays a draw): two units of 4 persons each,
# followed for 3 months.
# fmt: off
DRAWN_WITHHELD_FAMILIES = [
    (True, 0, True, 0, False, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     4, 0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    (True, 0, True, 0, False, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 2),
    (True, 0, True, 0, False, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
]
# fmt: on


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="issue 14, item 5: with every page below the municipality withheld, the check over every page "
    "(cohort_pathway_marks' last step) pins a count the municipality's page does not show for the same "
    "persons; found by a CI run's draw, not yet understood (docs/indicators.md, Pathways)",
)
@pytest.mark.parametrize("choices", DRAWN_WITHHELD_FAMILIES)
def test_pages_withheld_below_the_municipality_in_the_drawn_families(choices):
    from hypothesis.internal.conjecture.data import ConjectureData

    tree, leaves, per_unit, _months = ConjectureData.for_choices(choices).draw(families())
    assert withheld_below_the_municipality_give_nothing_away(tree, leaves, per_unit)


@family_settings(4)
@given(families())
def test_linked_pages_hide_what_each_page_needs_and_zeros_never(family):
    """The linked pattern over every page of a cohort: each page's small counts are hidden as "<5",
    every other hidden count is an "x" of at least 5 (no zero is ever hidden), and a page whose
    counts the pattern cannot protect is withheld with the pages above and below it."""
    tree, leaves, per_unit, months = family
    views = family_pages(tree, leaves, per_unit)
    for node, view in views.items():
        if view is None or view.too_small:
            continue
        shown, _ = published(view)
        for cell in shown.values():
            if 0 < cell.n < LIMIT:
                assert cell.hidden and cell.mark == SMALL, (node, cell)
            elif cell.hidden:
                assert cell.mark == SECONDARY and cell.n >= LIMIT, (node, cell)


def test_a_chart_with_every_count_hidden_is_not_drawn_and_the_page_says_why():
    # the cohort's size hidden by its indicator and every other count hidden too: the stacked bars
    # and the shares would be an empty frame with a meaningless axis, so neither is drawn
    from django.template.loader import render_to_string

    paths = [[3, 0]] * 20 + [[3, 1]] * 12
    result = result_from_paths(paths, [1] * 32, [1] * 32)
    cells, _equations, _unpublished = ps.pathway_table(result)
    marks = {key: SECONDARY for key, cell in cells.items() if cell.numerator and key[0] in ("n", "s", "t", "u", "o")}
    view = pathway_view(result, analyst=False, unit_name="Kommunen", marks=marks)
    assert not view.withheld and view.size.hidden
    assert view.spec is None and view.silos_spec is None
    html = render_to_string("pathways/_cohort_main.html", {"view": view, "unit_name": "Kommunen"})
    assert 'id="pathway-chart-hidden"' in html and 'id="silos-chart-hidden"' in html
    assert "data-chart" not in html
    # one count shown is enough for the bars
    marks.pop(("s", 1, "job"))
    shown = pathway_view(result, analyst=False, unit_name="Kommunen", marks=marks)
    assert shown.spec is not None and [v["persons"] for v in shown.spec["data"]["values"]] == [20]
