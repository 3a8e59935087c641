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

A reader who opens a unit's page and its child units' pages could subtract one from another; the
pages of a cohort can be protected together (:func:`cohort_pathway_marks`, top-down as tau-argus'
HiTaS: the municipality's page alone, then each page's child pages with the parent's pattern fixed,
then a reader of every page at once), and a page whose counts cannot be protected is withheld with
the pages below it (docs/indicators.md, "Pathways"). The page does not use it yet: on the demo it
takes far longer than a request may.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

import pyarrow as pa

from driftsblik.core.periods import Month, Period
from driftsblik.engine.pathways import COHORTS, OUTCOME_STATUSES, PathwayResult, combine
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.rollup import Cell
from driftsblik.indicators.suppression import (
    EPSILON,
    SECONDARY,
    SMALL,
    UNPUBLISHED,
    Bound,
    Equation,
    fixed_values,
    highs_model,
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
    "indicator_marks",
    "limit",
    "cohort_pathway_marks",
    "horizon_marks",
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
        key: Hashable = ("s", r["offset"], r["status"])
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
    None when no pattern protects the table: a hidden count would still be pinned, or a "<5"
    narrowed, by the published counts, or pinned by the marks alone (a table of almost only small
    counts; four people moving away one at a time over the months a page follows), so it is not
    shown."""
    small_limit = small_limit or limit()
    cells, equations, unpublished = pathway_table(result)
    given: dict[Hashable, str] = dict.fromkeys(unpublished, UNPUBLISHED)
    if cohort_mark is not None:
        given[COHORT] = SMALL if 0 < result.cohort_size < small_limit else SECONDARY

    def rank(key: Hashable) -> int:
        return _RANK.get(str(key[0]), 5) if isinstance(key, tuple) else 5

    marks, narrowed = protection(cells, equations, small_limit, rank=rank, given=given, hide_zeros=False)
    if narrowed or pinned_by_marks(cells, equations, {**given, **marks}, small_limit):
        return None
    return marks


def pinned_by_marks(
    cells: Mapping[Hashable, Cell], equations: Sequence[Equation], hidden: Mapping[Hashable, str], small_limit: int
) -> set[Hashable]:
    """The hidden counts of a page (or of pages read together) a reader pins to one value, also by
    the marks alone: a "<5" is 1..4, an "x" at least the limit (zeros are never hidden), so a "<5"
    with four listed transitions out of it is 4, and a status nobody leaves that four listed
    transitions come into while it stays under 5 is 4 from then on and 1, 2, 3 before."""
    boxes: dict[Hashable, Bound] = {}
    checked: set[Hashable] = set()
    for key, mark in hidden.items():
        if mark == SMALL:
            boxes[key] = (1.0, float(small_limit - 1))
        elif mark == UNPUBLISHED:
            boxes[key] = (0.0, None)
        else:
            boxes[key] = (float(small_limit), None) if cells[key].numerator >= small_limit else (0.0, None)
        if mark != UNPUBLISHED and cells[key].numerator:
            checked.add(key)
    return pinned(cells, equations, boxes, checked)


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


@dataclass
class _Page:
    """What a page shows as the protection of the pages below it takes it: its table, its hidden
    counts (UNPUBLISHED for the helpers and what a page too small to draw does not show), and
    whether it is shown at all."""

    result: PathwayResult
    cells: dict[Hashable, Cell]
    equations: list[Equation]
    hidden: dict[Hashable, str]
    withheld: bool = False


def _page(result: PathwayResult, small_limit: int, cohort_mark: str | None) -> _Page:
    """A page's table with what is hidden on it before any other page is looked at: the helpers,
    a too small page's zeros (it shows no count), and the cohort's size when its indicator hides it."""
    cells, equations, unpublished = pathway_table(result)
    hidden = dict.fromkeys(unpublished, UNPUBLISHED)
    if result.cohort_size < small_limit:
        hidden.update((k, UNPUBLISHED) for k, c in cells.items() if not c.numerator)
    if cohort_mark is not None:
        hidden[COHORT] = SMALL if 0 < result.cohort_size < small_limit else SECONDARY
    return _Page(result, cells, equations, hidden)


def _unseen(result: PathwayResult, universe: PathwayResult) -> PathwayResult:
    """``result`` with every transition of ``universe`` (the municipality's: every transition of the
    cohort) it does not list, at 0. A page's table lists the transitions that occur; to a reader who
    does not see the page, which those are is unknown too, so each is a count of 0 or more there."""
    key = ("offset", "from_status", "to_status")
    listed = {tuple(r[k] for k in key) for r in result.transitions.select(list(key)).to_pylist()}
    missing = [{**r, "persons": 0} for r in universe.transitions.to_pylist() if tuple(r[k] for k in key) not in listed]
    if not missing:
        return result
    extra = pa.Table.from_pylist(missing, schema=result.transitions.schema)
    return replace(result, transitions=pa.concat_tables([result.transitions, extra]))


def _hide(page: _Page, universe: PathwayResult) -> None:
    """Withhold a page: it shows nothing, every count of its table (over every transition of the
    cohort, :func:`_unseen`) unknown to a reader."""
    page.result = _unseen(page.result, universe)
    page.cells, page.equations, _unpublished = pathway_table(page.result)
    page.withheld = True
    page.hidden = dict.fromkeys(page.cells, UNPUBLISHED)


def _rank(key: Hashable) -> int:
    inner = key[1] if isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], tuple) else key
    return _RANK.get(str(inner[0]), 5) if isinstance(inner, tuple) and inner else 5


def _family_table(
    parent: Node, pages: Mapping[Node, _Page], kids: list[Node]
) -> tuple[dict[Hashable, Cell], list[Equation], dict[Hashable, str]]:
    """The linked table of a page and its child pages: the parent's counts fixed (a hidden one
    stays hidden, a shown one is a known number that cannot be hidden: a zero cell and the
    equation's constant), the children's free. A child's count that is its parent's shown count
    with every other child's 0 is shown on the parent already: fixed too."""
    top = pages[parent]
    fixed: dict[Hashable, Decimal] = {}
    for key, cell in top.cells.items():
        if key not in top.hidden:
            fixed[(parent, key)] = cell.numerator
    for key in top.cells:
        if (parent, key) not in fixed:
            continue
        holding = [k for k in kids if pages[k].cells.get(key, _count(0)).numerator]
        if len(holding) == 1 and not pages[holding[0]].withheld:
            fixed[(holding[0], key)] = top.cells[key].numerator
    cells: dict[Hashable, Cell] = {}
    given: dict[Hashable, str] = {}
    equations: list[Equation] = []
    for node in (parent, *kids):
        page = pages[node]
        for key, cell in page.cells.items():
            cells[(node, key)] = cell
            if key in page.hidden and (node, key) not in fixed:
                given[(node, key)] = page.hidden[key]
        for e in page.equations:
            equations.append(Equation((node, e.total), tuple((node, p) for p in e.parts), e.constant))
    for key in top.cells:
        equations.append(Equation((parent, key), tuple((k, key) for k in kids if key in pages[k].cells), _count(0)))
    cells, equations = _known(cells, equations, fixed)
    return cells, equations, given


def _known(
    cells: Mapping[Hashable, Cell], equations: Sequence[Equation], fixed: Mapping[Hashable, Decimal]
) -> tuple[dict[Hashable, Cell], list[Equation]]:
    """A table in which the counts of ``fixed`` are known to every reader (published on another
    page): each becomes a zero cell, which no pattern hides, and its value moves into the constants
    of its equations; an equation of known counts only is left out."""

    def constant(e: Equation) -> Cell:
        known = sum((fixed.get(p, Decimal(0)) for p in e.parts), Decimal(0)) - fixed.get(e.total, Decimal(0))
        return Cell(e.constant.numerator + known, None)

    kept = [
        Equation(e.total, e.parts, constant(e)) for e in equations if not all(k in fixed for k in (e.total, *e.parts))
    ]
    return {k: _count(0) if k in fixed else c for k, c in cells.items()}, kept


_SHARED = ("s", "t")
"""The kinds of count two horizons of one cohort share: a month's statuses, a month's transitions."""


def horizon_marks(
    result: PathwayResult,
    full: PathwayResult,
    full_marks: Mapping[Hashable, str] | None,
    *,
    small_limit: int | None = None,
) -> dict[Hashable, str] | None:
    """The hidden counts of a page following a cohort for fewer months than ``full`` (the same
    cohort and persons, followed as long as the data allow; ``full_marks`` its page's pattern, from
    :func:`pathway_marks`). The shorter page's months and transitions are counts of the longer page,
    so they take its marks: a count hidden on one and shown on the other, or protected by different
    counts on each, would be given away by the two pages side by side. Only the "across silos"
    counts, which end in an earlier month, are protected here, with the counts the longer page
    shows known to the reader. None (withheld) when the longer page is, when the two do not hold
    the same persons, or when no pattern protects the silos."""
    if full_marks is None:
        return None
    if result.months_followed == full.months_followed and result.cohort_size == full.cohort_size:
        return dict(full_marks)
    small_limit = small_limit or limit()
    cells, equations, unpublished = pathway_table(full)  # what the longer page tells a reader
    given: dict[Hashable, str] = dict.fromkeys(unpublished, UNPUBLISHED)
    given.update(full_marks)
    fixed = {k: c.numerator for k, c in cells.items() if k not in given}
    own: dict[Hashable, Hashable] = {}  # the shorter page's silo counts and helpers, under keys of their own
    short_cells, short_equations, short_unpublished = pathway_table(result)
    for key, cell in short_cells.items():
        if key == COHORT or key[0] in _SHARED:  # type: ignore[index]
            if key not in cells or cells[key].numerator != cell.numerator:
                return None  # not the same persons' counts: no pattern of the longer page to follow
            continue
        own[key] = ("horizon", key)
        cells[own[key]] = cell
        if key in short_unpublished:
            given[own[key]] = UNPUBLISHED
    equations += [
        Equation(own.get(e.total, e.total), tuple(own.get(p, p) for p in e.parts), e.constant) for e in short_equations
    ]
    known, kept = _known(cells, equations, fixed)
    marks, narrowed = protection(known, kept, small_limit, rank=_rank, given=given, hide_zeros=False)
    found = {**given, **marks}
    if narrowed or pinned_by_marks(known, kept, found, small_limit):
        return None
    hidden = {k: found[k] for k in short_cells if k not in own and k in found}
    hidden.update((k, found[at]) for k, at in own.items() if at in found)
    return {k: m for k, m in hidden.items() if m != UNPUBLISHED}


def _boxes(
    pages: Mapping[Node, _Page], hidden: Mapping[Hashable, str], cells: Mapping[Hashable, Cell], small_limit: int
) -> tuple[dict[Hashable, Bound], set[Hashable]]:
    """What a reader knows of each hidden count of a family (its box), and the counts no reader
    may pin: every hidden count of a page with persons (not the helpers, not a zero)."""
    boxes: dict[Hashable, Bound] = {}
    checked: set[Hashable] = set()
    for at, mark in hidden.items():
        node, key = cast(tuple[Node, tuple[Any, ...]], at)
        page = pages[node]
        value = int(cells[at].numerator)
        too_small = page.result.cohort_size < small_limit
        if too_small and key == COHORT:  # the page says "<5" persons, withheld or not
            boxes[at] = (1.0, float(small_limit - 1))
        elif page.withheld or mark == UNPUBLISHED or too_small:
            boxes[at] = (0.0, None)
        elif mark == SMALL:
            boxes[at] = (1.0, float(small_limit - 1))
        else:
            boxes[at] = (float(small_limit), None) if value >= small_limit else (0.0, None)
        if value and key[0] not in ("g", "r") and not isinstance(node, tuple):
            checked.add(at)
    return boxes, checked


def _protect_family(parent: Node, pages: dict[Node, _Page], kids: list[Node], small_limit: int) -> None:
    """Decide the hidden counts of the child pages of ``parent`` with the parent's fixed (HiTaS:
    one parent and its children at a time). A child page whose counts no pattern protects (one of
    them narrowed, or pinned, also by the marks alone) is withheld, and the family decided again;
    when the parent's own counts would be given away, every child page is withheld."""
    before = {kid: dict(pages[kid].hidden) for kid in kids}
    while True:
        cells, equations, given = _family_table(parent, pages, kids)
        marks, narrowed = protection(cells, equations, small_limit, rank=_rank, given=given, hide_zeros=False)
        hidden = {**given, **marks}
        boxes, checked = _boxes(pages, hidden, cells, small_limit)
        bad = set(narrowed) | pinned(cells, equations, boxes, checked)
        owners = {cast(tuple[Node, Any], at)[0] for at in bad}
        shown = [k for k in kids if not pages[k].withheld and not isinstance(k, tuple)]
        if not owners or not shown:
            break
        chosen = owners.intersection(shown)
        for kid in shown if parent in owners or not chosen else chosen:
            _hide(pages[kid], pages[None].result)
    for kid in kids:
        page = pages[kid]
        if page.withheld:
            continue
        page.hidden = before[kid]
        page.hidden.update((key, marks[(kid, key)]) for key in page.cells if (kid, key) in marks)


def _components(variables: Iterable[Hashable], rows: list[tuple[Hashable, ...]]) -> list[list[int]]:
    """Groups of rows (by index) that share a variable, transitively."""
    wanted = set(variables)
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[Hashable, int] = {}
    for i, terms in enumerate(rows):
        for key in terms:
            if key in wanted:
                j = first.setdefault(key, i)
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, terms in enumerate(rows):
        if any(k in wanted for k in terms):
            groups[find(i)].append(i)
    return list(groups.values())


def pinned(
    cells: Mapping[Hashable, Cell],
    equations: Sequence[Equation],
    boxes: Mapping[Hashable, Bound],
    checked: set[Hashable],
) -> set[Hashable]:
    """The counts of ``checked`` a reader pins to one value by linear programs (HiGHS) over the
    equations, the known counts (every cell without a box) and each unknown count's box (what its
    mark says: "<5" is 1..4, "x" at least 5, an unpublished or withheld count at least 0). Two
    "<5" adding up to a shown 2 are pinned too, although by the marks alone: a reader knows them."""
    from scipy.sparse import coo_matrix

    rows = [(e.total, *e.parts) for e in equations]
    found: set[Hashable] = set()
    for group in _components(boxes, rows):
        names = sorted({k for i in group for k in rows[i] if k in boxes}, key=repr)
        index = {k: j for j, k in enumerate(names)}
        entries: dict[tuple[int, int], float] = defaultdict(float)
        rhs = []
        for r, i in enumerate(group):
            value = float(equations[i].constant.numerator)
            for key, sign in zip(rows[i], (1.0, *([-1.0] * (len(rows[i]) - 1))), strict=True):
                if key in index:
                    entries[(r, index[key])] += sign
                else:
                    value -= sign * float(cells[key].numerator)
            rhs.append(value)
        where = list(entries)
        matrix = coo_matrix(
            ([entries[w] for w in where], ([w[0] for w in where], [w[1] for w in where])), shape=(len(rhs), len(names))
        ).tocsr()
        reader = _Reader(matrix, rhs, [boxes[k] for k in names])
        found.update(names[j] for j in reader.pinned({j for j, k in enumerate(names) if k in checked}))
    return found


class _Reader:
    """A reader's linear program over one group of unknown counts: which of them it pins."""

    def __init__(self, matrix: Any, rhs: list[float], box: list[Bound]):
        self.matrix, self.rhs, self.box = matrix, rhs, box
        self.seen: dict[int, float] = {}
        self.open: set[int] = set()
        self.highs: Any = None  # one model kept for every objective, each solved from the last one's basis
        self.scipy = False

    def solve(self, objective: list[float]) -> list[float] | None:
        """The optimum's counts, or None when there is none (no end, or nothing fits)."""
        if self.highs is None and not self.scipy:
            try:
                self.highs = highs_model(self.matrix, self.rhs, self.box)
            except ImportError:  # an installation from before highspy was required: scipy's HiGHS, slower
                self.scipy = True
        if self.scipy:
            from scipy.optimize import linprog

            result = linprog(objective, A_eq=self.matrix, b_eq=self.rhs, bounds=self.box, method="highs")
            return list(result.x) if result.status == 0 else None
        import highspy
        import numpy as np

        n = len(objective)
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(objective, dtype=np.float64))
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return list(self.highs.getSolution().col_value)

    def settle(self, x: list[float] | None) -> None:
        """Every count two solutions found so far put at different values can move."""
        if x is None:
            return
        for j in list(self.open):
            if j in self.seen and abs(self.seen[j] - x[j]) > EPSILON:
                self.open.discard(j)
            self.seen.setdefault(j, x[j])

    def pinned(self, wanted: set[int]) -> set[int]:
        """Of ``wanted``, the counts with one value only.

        One linear program finds a point of what the reader knows where every bound that is not
        always met with equality has room, and a random direction along which the equations stay
        true moves every count they do not fix (:meth:`_interior`). Where the direction cannot be
        trusted numerically, the counts are pushed with random weights instead (:meth:`_pushed`)."""
        if not wanted:
            return set()
        found = self._interior()
        return self._pushed(wanted) if found is None else found & wanted

    def _interior(self) -> set[int] | None:
        """The counts with one value only (None when the numbers cannot be trusted): one program
        and a direction (:func:`driftsblik.indicators.suppression.fixed_values`)."""
        return fixed_values(self.matrix, self.rhs, self.box)

    def _pushed(self, wanted: set[int]) -> set[int]:
        """Of ``wanted``, the counts with one value only: first pushed all together with random
        weights (most move), then those left one by one, down and up."""
        n = len(self.box)
        self.open = set(wanted)
        draw = random.Random(n)
        for _round in range(12):
            before = len(self.open)
            for sign in (1.0, -1.0):
                if self.open:
                    weights = [sign * draw.uniform(0.5, 2.0) if j in self.open else 0.0 for j in range(n)]
                    self.settle(self.solve(weights))
            if _round >= 2 and len(self.open) == before:
                break
        for j in sorted(self.open):
            for sign in (1.0, -1.0):
                if j not in self.open:
                    break
                x = self.solve([sign if i == j else 0.0 for i in range(n)])
                if x is None and sign < 0:  # no end above
                    self.open.discard(j)
                self.settle(x)
        return self.open


def _protect_root(pages: dict[Node, _Page], small_limit: int, cohort_mark: str | None) -> None:
    """The municipality's page alone (:func:`pathway_marks`); withheld when no pattern protects it,
    its marks alone pinning a hidden count included."""
    root = pages[None]
    if root.result.cohort_size < small_limit:
        return
    alone = pathway_marks(root.result, cohort_mark=cohort_mark, small_limit=small_limit)
    if alone is not None:
        root.hidden.update(alone)
        return
    root.withheld = True
    root.hidden = dict.fromkeys(root.cells, UNPUBLISHED)


def _check_all(
    pages: dict[Node, _Page], all_pages: Mapping[Node, tuple[list[str], list[Node]]], tree: Tree, small_limit: int
) -> None:
    """The reader of every page at once: where the families, each protected with its parent
    fixed, still pin a hidden count together (an "x" of at least 5 on two child pages bounds their
    parent's count from below, the parent's own "<5" from above), the pages below the deepest page
    with a pinned count are withheld (or, when it has none shown, it and its siblings), until none
    is pinned."""

    def depth(node: Node) -> int:
        return -1 if node is None else tree.depth(str(node)) if node in tree else 0

    while True:
        bad = _pinned_by_every_page(pages, all_pages, small_limit)
        if not bad:
            return
        worst: Node = max({cast(tuple[Node, Any], at)[0] for at in bad}, key=depth)
        while not _withhold_below(worst, pages, all_pages):
            worst = _parent_page(worst, all_pages)


def _pinned_by_every_page(
    pages: Mapping[Node, _Page], all_pages: Mapping[Node, tuple[list[str], list[Node]]], small_limit: int
) -> set[Hashable]:
    """The hidden counts, (node, key), a reader of every page at once pins: each page's equations,
    and each page's counts as its child pages' added up."""
    cells: dict[Hashable, Cell] = {}
    equations: list[Equation] = []
    hidden: dict[Hashable, str] = {}
    for node, page in pages.items():
        cells.update(((node, k), c) for k, c in page.cells.items())
        hidden.update(((node, k), m) for k, m in page.hidden.items())
        equations += [Equation((node, e.total), tuple((node, p) for p in e.parts), e.constant) for e in page.equations]
        kids = [k for k in all_pages[node][1] if k in pages]
        if kids:
            equations += [
                Equation((node, key), tuple((k, key) for k in kids if key in pages[k].cells), _count(0))
                for key in page.cells
            ]
    return pinned(cells, equations, *_boxes(pages, hidden, cells, small_limit))


def _parent_page(node: Node, all_pages: Mapping[Node, tuple[list[str], list[Node]]]) -> Node:
    return next((n for n, (_m, kids) in all_pages.items() if node in kids), None)


def _withhold_below(
    node: Node, pages: dict[Node, _Page], all_pages: Mapping[Node, tuple[list[str], list[Node]]]
) -> bool:
    """Withhold the pages below ``node`` when any is shown, else ``node`` and its siblings (the
    municipality: itself). False when there was nothing left to withhold."""
    shown = [n for n in _below(node, all_pages) if n in pages and not pages[n].withheld]
    if any(n != node for n in shown):
        for kid in all_pages[node][1]:
            _withhold(kid, pages, all_pages)
        return True
    if not shown:
        return node is None and not any(not p.withheld for p in pages.values())
    if node is None:
        _withhold(None, pages, all_pages)
    else:
        for kid in all_pages[_parent_page(node, all_pages)][1]:
            _withhold(kid, pages, all_pages)
    return True


def _withhold(node: Node, pages: dict[Node, _Page], all_pages: Mapping[Node, tuple[list[str], list[Node]]]) -> None:
    """A page and every page below it show nothing: every count unknown to a reader."""
    for below in _below(node, all_pages):
        if below in pages:
            _hide(pages[below], pages[None].result)


def _below(node: Node, all_pages: Mapping[Node, tuple[list[str], list[Node]]]) -> list[Node]:
    found, todo = [], [node]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(all_pages.get(current, ([], []))[1])
    return found


def _cohort_table(
    per_unit: Mapping[str, PathwayResult],
    all_pages: Mapping[Node, tuple[list[str], list[Node]]],
    marks: Mapping[Node, str | None],
    small_limit: int,
) -> dict[Node, _Page]:
    """Every page of a cohort with persons, before any pattern: what no reader sees (the parts no
    page shows, a page too small to draw) over every transition of the cohort (:func:`_unseen`)."""
    results = {
        node: combine(found, members)
        for node, (members, _kids) in all_pages.items()
        if (found := [per_unit[u] for u in members if u in per_unit])
    }
    if None not in results:
        return {}
    pages: dict[Node, _Page] = {}
    for node, result in results.items():
        if isinstance(node, tuple) or result.cohort_size < small_limit:  # its transitions unseen too
            result = _unseen(result, results[None])
        pages[node] = _page(result, small_limit, marks.get(node))
        if isinstance(node, tuple):  # a part no page shows: unknown to a reader but by subtraction
            pages[node].hidden = dict.fromkeys(pages[node].cells, UNPUBLISHED)
    return pages


def cohort_pathway_marks(
    per_unit: Mapping[str, PathwayResult],
    register_units: Iterable[str],
    tree: Tree,
    *,
    cohort_marks: Mapping[Node, str | None] | None = None,
    small_limit: int | None = None,
) -> dict[Node, dict[Hashable, str] | None]:
    """The hidden counts of every page of a cohort (``per_unit``: each register unit's pathway, one
    computation), so that no page's counts against its parent's and its siblings' give a hidden one
    away: node -> {key: SMALL or SECONDARY} (keys as in :func:`pathway_table`), or None for a page
    withheld. Top-down, as tau-argus' HiTaS does for hierarchical tables: the municipality's page
    alone first; then each page's child pages (and the persons it holds beside them, which no page
    shows but a reader gets by subtraction) as one linked table with the parent's pattern fixed, and
    so on down. Where no pattern protects a family, every page below the parent is withheld.
    ``cohort_marks``: per node, the mark of the indicator's figure the cohort was picked with there.
    Pages without persons are left out (nothing to hide)."""
    small_limit = small_limit or limit()
    marks = dict(cohort_marks or {})
    all_pages = cohort_pages({*register_units, *per_unit}, tree)
    pages = _cohort_table(per_unit, all_pages, marks, small_limit)
    if None not in pages:
        return {}
    _protect_root(pages, small_limit, marks.get(None))
    todo: list[Node] = [None]
    while todo:
        parent = todo.pop(0)
        kids = [k for k in all_pages[parent][1] if k in pages]
        if pages[parent].withheld:
            _withhold(parent, pages, all_pages)
            continue
        if len(kids) == 1 and pages[kids[0]].result.cohort_size == pages[parent].result.cohort_size:
            pages[kids[0]].hidden = dict(pages[parent].hidden)  # the same persons: the same table
        elif kids:
            _protect_family(parent, pages, kids, small_limit)
        todo.extend(kids)
    _check_all(pages, all_pages, tree, small_limit)
    return {
        node: None if page.withheld else {k: m for k, m in page.hidden.items() if m != UNPUBLISHED}
        for node, page in pages.items()
        if not isinstance(node, tuple)
    }


def cohort_period(result: PathwayResult) -> Period:
    """The period of the indicator's figure the cohort is: its month, or its quarter."""
    month = Month.parse(result.cohort_month)
    if COHORTS[result.cohort].period == "quarter":
        return Period.parse(f"{month.year}Q{(month.month - 1) // 3 + 1}")
    return Period.month(month)


def indicator_mark(result: PathwayResult, node: str | None, trees: TreeCache | None = None) -> str | None:
    """The mark (SMALL, SECONDARY or None) of the figure the cohort was picked with, for the unit
    ``node`` (the municipality's root when None) in the cohort's month or quarter."""
    return indicator_marks(result, [node], trees).get(node)


def indicator_marks(
    result: PathwayResult, nodes: Iterable[Node], trees: TreeCache | None = None
) -> dict[Node, str | None]:
    """:func:`indicator_mark` for each page of ``nodes`` (unit ids, None for the municipality),
    from one look-up of the indicator's pattern."""
    chosen = list(nodes)
    code = COHORT_INDICATORS.get(result.cohort)
    indicator = Indicator.objects.filter(code=code).first() if code else None
    if indicator is None or not indicator.person_based:
        return dict.fromkeys(chosen)
    trees = trees or TreeCache()
    period = cohort_period(result)
    roots = trees.on(period.stop.end).roots
    found = patterns([indicator], [period.year], trees)
    marks: dict[Node, str | None] = {}
    for node in chosen:
        unit = roots[0] if node is None and roots else node
        marks[node] = None if unit is None else mark_of(found, indicator, unit, period)
    return marks
