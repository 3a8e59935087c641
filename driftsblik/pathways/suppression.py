"""Small-number suppression of a pathway's counts: the same rule as every other figure
(``indicators.suppression``, DESIGN.md "Small numbers"), over the pathway's own linked table.

The table a reader of /forloeb/ (and its download) gets: the cohort's size; persons per month and
status; the transitions between two months; and "across silos", persons and of them those in job or
education at the end, by the number of units and of domains involved. The equations a reader can
write down between them:

- a month's status counts add up to the cohort's size;
- the transitions out of a status add up to its count in the month before, those into a status to
  its count in the month after (only transitions of at least one person are listed, so a listed one
  is at least 1: the audit's box for a hidden transition says no less);
- the silo buckets of one dimension add up to the cohort's size, and their outcomes to the persons
  in job or education in the last month (a sum no page shows, kept as an unpublished figure);
- a bucket's outcome is at most its persons (an unpublished slack makes it an equation).

``indicators.suppression.protect`` hides every small count ("<5", primary), closes every equation
left with one hidden count and audits each group of hidden counts with linear programs ("x",
secondary: never presented as small). The cohort's size is the figure of the indicator it was
picked with (``COHORT_INDICATORS``) for the unit and the cohort's month or quarter; when that
figure is hidden by the indicator's pattern, the size starts hidden here too, so the pathway
cannot give it away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from driftsblik.core.periods import Month, Period
from driftsblik.engine.pathways import COHORTS, OUTCOME_STATUSES, PathwayResult, combine
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.rollup import Cell
from driftsblik.indicators.suppression import (
    SECONDARY,
    SMALL,
    UNPUBLISHED,
    Equation,
    limit,
    mark_of,
    patterns,
    protection,
)
from driftsblik.organisation.tree import Tree, TreeCache

__all__ = [
    "COHORT",
    "COHORT_INDICATORS",
    "SECONDARY",
    "SMALL",
    "indicator_mark",
    "limit",
    "linked_pathway_marks",
    "pathway_marks",
]

COHORT: tuple[str] = ("n",)
"""The key of the cohort's size in the pathway's table."""
COHORT_INDICATORS = {
    "youth_neet": "youth_neet_3m",
    "cash_long_term": "cash_benefit_long_term",
    "elderly_discharged": "elderly_readmission_30d",
}
"""The indicator each cohort is picked with (its figure for the unit and month is the cohort)."""
_RANK = {"t": 0, "o": 1, "u": 2, "s": 3, "n": 4}  # the extra count: a transition first, the size last


def _count(n: int) -> Cell:
    return Cell(Decimal(n), None)


def pathway_table(result: PathwayResult) -> tuple[dict[Hashable, Cell], list[Equation], set[Hashable]]:
    """The pathway's counts by key, the equations between them, and the unpublished helpers."""
    zero = _count(0)
    cells: dict[Hashable, Cell] = {COHORT: _count(result.cohort_size)}
    equations: list[Equation] = []
    months: dict[int, list[Hashable]] = defaultdict(list)
    for r in result.statuses.to_pylist():
        key = ("s", r["offset"], r["status"])
        cells[key] = _count(r["persons"])
        months[r["offset"]].append(key)
    equations += [Equation(COHORT, tuple(keys), zero) for keys in months.values()]
    outs: dict[Hashable, list[Hashable]] = defaultdict(list)
    ins: dict[Hashable, list[Hashable]] = defaultdict(list)
    for r in result.transitions.to_pylist():
        key = ("t", r["offset"], r["from_status"], r["to_status"])
        cells[key] = _count(r["persons"])
        outs[("s", r["offset"] - 1, r["from_status"])].append(key)
        ins[("s", r["offset"], r["to_status"])].append(key)
    for groups in (outs, ins):
        equations += [Equation(total, tuple(parts), zero) for total, parts in groups.items() if total in cells]
    unpublished: set[Hashable] = set()
    last = max(months) if months else 0
    good: Hashable = ("g",)  # persons in job or education in the last month: shown only as its parts
    cells[good] = _count(sum(int(cells.get(("s", last, s), zero).numerator) for s in OUTCOME_STATUSES))
    unpublished.add(good)
    equations.append(Equation(good, tuple(("s", last, s) for s in OUTCOME_STATUSES if ("s", last, s) in cells), zero))
    by_dim: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in result.silos.to_pylist():
        by_dim[r["dimension"]].append(r)
    for dim, rows in by_dim.items():
        for r in rows:
            persons, outcome, rest = ("u", dim, r["bucket"]), ("o", dim, r["bucket"]), ("r", dim, r["bucket"])
            cells[persons], cells[outcome] = _count(r["persons"]), _count(r["outcome"])
            cells[rest] = _count(r["persons"] - r["outcome"])
            unpublished.add(rest)
            equations.append(Equation(persons, (outcome, rest), zero))
        equations.append(Equation(COHORT, tuple(("u", dim, r["bucket"]) for r in rows), zero))
        equations.append(Equation(good, tuple(("o", dim, r["bucket"]) for r in rows), zero))
    return cells, equations, unpublished


def pathway_marks(
    result: PathwayResult, *, cohort_mark: str | None = None, small_limit: int | None = None
) -> dict[Hashable, str] | None:
    """The pathway's hidden counts, each SMALL ("<5") or SECONDARY ("x"); ``cohort_mark`` is the
    mark of the indicator's figure the cohort was picked with (the size starts hidden with it).
    None when no pattern protects the table: a hidden count that is not small could still be
    worked out from the marks alone (a table of almost only small counts), so it is not shown."""
    cells, equations, unpublished = pathway_table(result)
    given: dict[Hashable, str] = dict.fromkeys(unpublished, UNPUBLISHED)
    if cohort_mark is not None:
        given[COHORT] = SMALL if 0 < result.cohort_size < (small_limit or limit()) else SECONDARY

    def rank(key: Hashable) -> int:
        return _RANK.get(str(key[0]), 5) if isinstance(key, tuple) else 5

    marks, narrowed = protection(cells, equations, small_limit, rank=rank, given=given, hide_zeros=False)
    if narrowed:
        return None
    return marks


# -- every page of a cohort as one linked table ---------------------------------------------------

Node = Hashable
"""A page of the cohort: a unit id, None for the municipality, or ("own", node) for the persons of a
node not under any of its child pages (no page shows them, a reader gets them by subtraction)."""


def cohort_pages(register_units: Iterable[str], tree: Tree) -> dict[Node, tuple[list[str], list[Node]]]:
    """Every page of a cohort with persons: node -> (its register units, its child nodes). A unit's
    page is its register units' persons (``selectors.register_units_under``), the municipality's
    all of them; a page with child pages is their sum plus its own part (a pseudo node)."""
    units = set(register_units)
    under: dict[str, list[str]] = {}

    def regs(unit: str) -> list[str]:
        if unit not in under:
            under[unit] = sorted(units & tree.subtree(unit))
        return under[unit]

    pages: dict[Node, tuple[list[str], list[Node]]] = {}

    def add(node: Node, members: list[str], kids: list[Node], own: list[str]) -> None:
        if own and kids:
            pages[("own", node)] = (own, [])
            kids = [*kids, ("own", node)]
        pages[node] = (members, kids)

    for unit in tree.parent:
        members = regs(unit)
        if not members:
            continue
        kids: list[Node] = [c for c in tree.children.get(unit, []) if regs(c)]
        add(unit, members, kids, [unit] if unit in units else [])
    tops: list[Node] = [u for u in tree.roots if u in pages]
    outside = sorted(u for u in units if u not in tree)
    add(None, sorted(units), tops, outside)
    if not tops and outside:  # no unit of the tree holds any: the municipality is its own part
        pages[None] = (sorted(units), [])
        pages.pop(("own", None), None)
    return pages


def _owner(node: Node) -> Node:
    return node[1] if isinstance(node, tuple) else node


def _distinct_pages(
    all_pages: Mapping[Node, tuple[list[str], list[Node]]], per_unit: Mapping[str, PathwayResult], tree: Tree
) -> tuple[dict[Node, Node], dict[Node, tuple[list[str], list[Node]]]]:
    """Pages of the same persons (a sector whose only unit with persons is one institution) show
    the same table: one of them, the lowest, stands for all in the linked table. Returns each page
    with persons -> the page standing for it, and the pages standing for others with their members
    and child pages."""

    def depth(node: Node) -> int:
        if node is None:
            return -1
        if isinstance(node, tuple):
            return depth(node[1]) + 1
        return tree.depth(str(node)) if node in tree else 0

    same: dict[tuple[str, ...], Node] = {}
    for node, (members, _kids) in all_pages.items():
        persons = tuple(u for u in members if u in per_unit)
        if persons and (persons not in same or depth(node) > depth(same[persons])):
            same[persons] = node
    alias = {
        node: same[tuple(u for u in m if u in per_unit)]
        for node, (m, _k) in all_pages.items()
        if any(u in per_unit for u in m)
    }
    pages: dict[Node, tuple[list[str], list[Node]]] = {}
    for node, (members, kids) in all_pages.items():
        if node in alias and alias[node] == node:
            pages[node] = (members, [k for k in dict.fromkeys(alias[c] for c in kids if c in alias) if k != node])
    return alias, pages


def linked_pathway_marks(
    per_unit: Mapping[str, PathwayResult],
    register_units: Iterable[str],
    tree: Tree,
    *,
    cohort_marks: Mapping[Node, str | None] | None = None,
    small_limit: int | None = None,
) -> dict[Node, dict[Hashable, str] | None]:
    """The hidden counts of every page of a cohort at once (``per_unit``: each register unit's
    pathway, one computation), so that no page's counts minus its child pages' give a hidden one
    away: node -> {key: SMALL or SECONDARY} (keys as in :func:`pathway_table`), or None for a page
    withheld because no pattern protects it. ``cohort_marks``: per node, the mark of the indicator's
    figure the cohort was picked with there. Pages without persons are left out (nothing to hide)."""
    small_limit = small_limit or limit()
    all_pages = cohort_pages({*register_units, *per_unit}, tree)

    alias, pages = _distinct_pages(all_pages, per_unit, tree)
    results: dict[Node, PathwayResult] = {}
    for node, (members, _kids) in pages.items():
        results[node] = combine([per_unit[u] for u in members if u in per_unit], members)
    cells: dict[Hashable, Cell] = {}
    equations: list[Equation] = []
    given: dict[Hashable, str] = {}
    zero = _count(0)
    for node, result in results.items():
        own, inner, unpublished = pathway_table(result)
        too_small = result.cohort_size < small_limit
        for key, cell in own.items():
            cells[(node, key)] = cell
            if key in unpublished or (too_small and not cell.numerator):
                given[(node, key)] = UNPUBLISHED  # not shown: a too small page shows no count
        equations += [Equation((node, e.total), tuple((node, p) for p in e.parts), e.constant) for e in inner]
        mark = (cohort_marks or {}).get(node)
        if mark is not None:
            given[(node, COHORT)] = SMALL if 0 < result.cohort_size < small_limit else SECONDARY
    for node, (_members, kids) in pages.items():
        present = [k for k in kids if k in results]
        if node not in results or not present:
            continue
        for at, key in [k for k in cells if k[0] == node]:
            parts = tuple((k, key) for k in present if (k, key) in cells)
            equations.append(Equation((at, key), parts, zero))

    def rank(key: Hashable) -> int:
        inner = key[1] if isinstance(key, tuple) else key
        return _RANK.get(str(inner[0]), 5) if isinstance(inner, tuple) else 5

    marks, narrowed = protection(cells, equations, small_limit, rank=rank, given=given, hide_zeros=False)
    found: dict[Node, dict[Hashable, str]] = defaultdict(dict)
    for (node, key), mark in marks.items():
        found[node][key] = mark
    withheld: set[Node] = set()
    for node, _key in narrowed:
        withheld.update(_related(_owner(node), tree))
    withheld |= {n for n, canonical in alias.items() if canonical in withheld}
    return {
        node: None if node in withheld or canonical in withheld else dict(found.get(canonical, {}))
        for node, canonical in alias.items()
        if not isinstance(node, tuple)
    }


def _related(node: Node, tree: Tree) -> set[Node]:
    """A page, the pages above it (the municipality too) and below it: every page of the cohort
    for the municipality."""
    if node is None:
        return {None, *tree.parent}
    if node not in tree:
        return {None, node}
    return {None, *tree.ancestors(str(node)), *tree.subtree(str(node))}


def cohort_period(result: PathwayResult) -> Period:
    """The period of the indicator's figure the cohort is: its month, or its quarter."""
    month = Month.parse(result.cohort_month)
    if COHORTS[result.cohort].period == "quarter":
        return Period.parse(f"{month.year}Q{(month.month - 1) // 3 + 1}")
    return Period.month(month)


def indicator_mark(result: PathwayResult, node: str | None, trees: TreeCache | None = None) -> str | None:
    """The mark (SMALL, SECONDARY or None) of the figure the cohort was picked with, for the unit
    ``node`` (the municipality's root when None) in the cohort's month or quarter."""
    code = COHORT_INDICATORS.get(result.cohort)
    indicator = Indicator.objects.filter(code=code).first() if code else None
    if indicator is None or not indicator.person_based:
        return None
    trees = trees or TreeCache()
    period = cohort_period(result)
    if node is None:
        roots = trees.on(period.stop.end).roots
        if not roots:
            return None
        node = roots[0]
    found = patterns([indicator], [period.year], trees)
    return mark_of(found, indicator, node, period)
