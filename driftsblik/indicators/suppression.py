"""Small-number suppression (diskretionering), decided once over everything a person can open.

Person-based figures with a numerator or denominator between 1 and limit - 1 (4 by default) are
hidden from everyone but analysts and read "<5" (primary suppression). Figures are linked: a unit's
month is its own observations plus its child units' months; a quarter is its months added up (the
last month with data for a stock), the year its quarters; an effort's shared total is its
participating units' figures added up. A person who opens the breakdowns of several units, the months
and the quarter, or an effort's total and its parts could otherwise work a hidden figure out by
subtraction. So what is hidden is not decided page by page but once per indicator and budget year,
over the whole linked table: every unit of the tree, every month, quarter and the year, and every
effort's total ("the pattern", in the manner of tau-argus' and sdcTable's hierarchical secondary
suppression):

1. every small figure is hidden (primary);
2. every equation (a total and its parts) with exactly one hidden figure gets a second one hidden
   (secondary, marked "x"): a month before a quarter before the year before an effort's total,
   a figure that leaves no new lone hidden figure behind first, never a zero where another can be;
3. an audit: for every group of hidden figures tied together by equations, linear programs
   (HiGHS) bound each hidden figure from everything published plus what the marks say (a "<5" is
   1..limit-1 for counts, an "x" is at least the limit); where a small number could be narrowed
   inside 1..limit-1 or any other hidden number (a hidden zero too) pinned to one value, one more figure of one of
   its equations is hidden, and steps 2-3 are repeated.

What a unit's figure holds beyond its child units (its own observations) is taken as known to the
reader, the safe assumption. The pattern is kept, like the roll-up, until the data change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import sys
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from driftsblik.core.periods import Month, Period, month_range
from driftsblik.indicators.models import Indicator, Observation, Temporal
from driftsblik.indicators.rollup import (
    Cell,
    combine_months,
    committed_year_versions,
    data_version,
    whole_tree_months,
    year_versions,
)
from driftsblik.organisation.tree import TreeCache

SMALL, SECONDARY, UNPUBLISHED = "small", "secondary", "unpublished"
# A figure hidden this round in an equation of at most this many figures may protect another
# narrowed figure of it (the audit then runs again before that one gets its own); in a longer
# equation (a sector's month over hundreds of units) one hidden figure seldom covers another, and
# waiting for it would cost a whole round of the audit per figure.
SHARED_COVER = 12
SECONDARY_LABEL = "x"
EPSILON = 1e-6

Key = Hashable  # (node, Period): node is a unit id or ("effort", id)
Bound = tuple[float, float | None]


def limit() -> int:
    return int(settings.SUPPRESSION_LIMIT)


def is_small(cell: Cell | None, small_limit: int | None = None) -> bool:
    """True when a numerator or denominator is between 1 and limit - 1."""
    if cell is None:
        return False
    bound = small_limit if small_limit is not None else limit()
    parts: list[Decimal] = [cell.numerator]
    if cell.denominator is not None:
        parts.append(cell.denominator)
    return any(0 < part < bound for part in parts)


def suppression_label() -> str:
    """How a small figure reads: '<5'."""
    return f"<{limit()}"


def secondary_label() -> str:
    """How a figure hidden to protect a small one reads: 'x' (it is not a small number)."""
    return SECONDARY_LABEL


def label(mark: str | None) -> str:
    """The text shown for a hidden figure, by its mark."""
    return secondary_label() if mark == SECONDARY else suppression_label()


# -- the pattern over one linked table -------------------------------------------------------


@dataclass(frozen=True)
class Equation:
    """total = constant + sum(parts); the constant is what no figure shows (a unit's own observations)."""

    total: Key
    parts: tuple[Key, ...]
    constant: Cell


def _components(cell: Cell) -> list[float]:
    return [float(cell.numerator)] + ([] if cell.denominator is None else [float(cell.denominator)])


class _Protector:
    """Steps 1-3 of the module docstring over one table of cells and equations.

    Figures are numbered once (their keys hash slowly and are looked up millions of times in a
    large table) and what orders them as candidates, except how many open equations they touch, is
    worked out once."""

    def __init__(
        self,
        cells: Mapping[Key, Cell],
        equations: Sequence[Equation],
        small_limit: int,
        rank: Callable[[Key], int],
        hide_zeros: bool = True,
        alone_asks: int = 1,
    ):
        self.hide_zeros = hide_zeros
        self.alone_asks = alone_asks
        self.keys: list[Key] = list(cells)
        self.number = {key: n for n, key in enumerate(self.keys)}
        self.values = [_components(cells[key]) for key in self.keys]
        self.limit = small_limit
        self.equations = [e for e in equations if e.total in cells and all(p in cells for p in e.parts)]
        self.terms = [tuple(self.number[k] for k in (e.total, *e.parts)) for e in self.equations]
        self.of: list[list[int]] = [[] for _ in self.keys]
        for index, terms in enumerate(self.terms):
            for n in terms:
                self.of[n].append(index)
        self.order: list[tuple[Any, ...]] = []
        for key, values in zip(self.keys, self.values, strict=True):
            size = min(values)
            self.order.append((size < self.limit, rank(key), size < 2 * self.limit, size, str(key)))
        self.hidden: dict[int, str] = {}
        self.given_up: set[int] = set()
        self.stuck: set[int] = set()  # given up although not narrowed by the marks alone
        self.cleared: set[int] = set()  # hidden figures the audit found protected
        self.count = [0] * len(self.equations)
        self.open_rows: set[int] = set()  # rows with a figure no page shows: left to the audit
        self.dims = 2 if any(c.denominator is not None for c in cells.values()) else 1
        # what the marks alone say (`_marks_said`) -> the figures they narrow; kept across hides, since
        # the same equations among the same marks narrow the same figures
        self.by_marks: dict[frozenset[tuple[int, tuple[str | None, ...]]], set[int]] = {}
        # how many figures were audited alone while the marks said the same
        self.asked_by_marks: dict[frozenset[tuple[int, tuple[str | None, ...]]], int] = {}

    def hide(self, n: int, mark: str) -> None:
        self.hidden[n] = mark
        for index in self.of[n]:
            self.count[index] += 1
            if mark == UNPUBLISHED:
                self.open_rows.add(index)
        if mark == UNPUBLISHED:
            self.given_up.add(n)

    def candidate(self, figures: Iterable[int]) -> int | None:
        """The published figure to hide next among `figures`, or None.

        A zero only when nothing else can be: an "x" is then 0 or at least the limit; never a zero
        when zeros are not hidden (`hide_zeros` False: an "x" is then at least the limit)."""
        best, best_rank = None, None
        for n in set(figures):
            if n in self.hidden or (not self.hide_zeros and not any(self.values[n])):
                continue
            small, kind, *rest = self.order[n]
            fresh = sum(1 for index in self.of[n] if self.count[index] == 0)
            # a negative rank goes first (`HIDDEN_FIRST`), a named sum (rank 3 and above) last
            rank = (small, (kind >= 0) + (kind >= 3), fresh, kind, *rest)
            if best_rank is None or rank < best_rank:
                best, best_rank = n, rank
        return best

    def nearest(self, n: int) -> int | None:
        """The published figure to hide closest to `n` through the equations (ring by ring), or
        None when every figure tied to it is hidden already."""
        seen_rows: set[int] = set()
        seen = {n}
        ring = [n]
        while ring:
            rows = {i for m in ring for i in self.of[m]} - seen_rows
            seen_rows |= rows
            figures = {m for i in rows for m in self.terms[i]} - seen
            extra = self.candidate(figures)
            if extra is not None:
                return extra
            seen |= figures
            ring = [m for m in figures if m in self.hidden]
        return None

    def close_lone(self) -> None:
        """Step 2: no equation with exactly one hidden figure. The equations of a sum hidden first
        (`HIDDEN_FIRST`) come last: what the others hide may close them already."""
        queue: list[int] = []
        later: list[int] = []

        def add(indices: Iterable[int]) -> None:
            for i in indices:
                (later if self.order[self.terms[i][0]][1] < 0 else queue).append(i)

        add(i for i, n in enumerate(self.count) if n == 1)
        while queue or later:
            index = queue.pop() if queue else later.pop()
            if self.count[index] != 1 or index in self.open_rows:
                continue
            n = self.candidate(self.terms[index])
            if n is None:
                continue
            self.hide(n, SECONDARY)
            add(i for i in self.of[n] if self.count[i] == 1)

    def groups(self) -> list[list[int]]:
        parent: dict[int, int] = {n: n for n in self.hidden}

        def find(n: int) -> int:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for index, terms in enumerate(self.terms):
            if self.count[index] < 2:
                continue
            inside = [n for n in terms if n in self.hidden]
            for n in inside[1:]:
                parent[find(n)] = find(inside[0])
        found: dict[int, list[int]] = defaultdict(list)
        for n in self.hidden:
            found[find(n)].append(n)
        return list(found.values())

    def model(
        self, group: list[int], dim: int, marks_only: bool = False
    ) -> tuple[Any, list[float], list[Bound], list[float]]:
        """The reader's linear program over the hidden figures of `group` in component `dim`:
        equality rows (everything shown moved to the right-hand side), each figure's box, its value."""
        from scipy.sparse import coo_matrix

        index = {n: i for i, n in enumerate(group)}
        rows = self._marks_rows(group) if marks_only else sorted({i for n in group for i in self.of[n]})
        entries: dict[tuple[int, int], float] = defaultdict(float)
        rhs = []
        for r, eq_index in enumerate(rows):
            value = _components(self.equations[eq_index].constant)[dim]
            total, *parts = self.terms[eq_index]
            for n, coefficient in ((total, 1.0), *((p, -1.0) for p in parts)):
                if n in index:
                    entries[(r, index[n])] += coefficient
                else:
                    value -= coefficient * self.values[n][dim]
            rhs.append(value)
        matrix = None
        if rows:
            where = list(entries)
            matrix = coo_matrix(
                ([entries[w] for w in where], ([w[0] for w in where], [w[1] for w in where])),
                shape=(len(rows), len(group)),
            ).tocsr()
        box: list[Bound] = []
        values = []
        for n in group:
            value = self.values[n][dim]
            values.append(value)
            if self.hidden[n] == SMALL and self.dims == 1:
                box.append((1.0, float(self.limit - 1)))
            elif self.hidden[n] == SECONDARY and value >= self.limit:
                box.append((float(self.limit), None))
            else:
                box.append((0.0, None))
        return matrix, rhs, box, values

    def violations(self, group: list[int]) -> list[int]:
        """Step 3's audit: a hidden figure of `group` a reader could narrow too far (empty when none).

        A small figure must reach 1 and limit - 1, any other non-zero one must be able to move. Four
        linear programs (the small ones together as low and as high as they go, the others likewise)
        settle most figures at once; only those left are bounded one by one.

        A figure that passed once is not audited again: hiding more only takes equations' known
        values away, so what a reader can work out of a figure never narrows after it passed."""
        bad: list[int] = []
        settled = self.given_up | self.cleared
        if all(n in settled for n in group):
            return bad
        for dim in range(self.dims):
            audit = _Audit(*self.model(group, dim), self.limit)
            audit.skip({i for i, n in enumerate(group) if n in settled})
            bad += [group[i] for i in audit.narrowed() if group[i] not in bad]
        self.cleared.update(n for n in group if n not in bad and n not in self.given_up)
        return bad

    def extra_for(self, n: int) -> int | None:
        """One more figure to hide for a narrowed one: from its own equations, else from those of
        the hidden figures it shares an equation with; None when neither has one to give (then the
        narrowing comes from the marks themselves, say two "<5" adding up to a "<5")."""
        own = [m for i in self.of[n] for m in self.terms[i]]
        extra = self.candidate(own)
        if extra is None:
            near = {m for m in own if m in self.hidden}
            extra = self.candidate(m for h in near for i in self.of[h] for m in self.terms[i])
        return extra

    def _marks_rows(self, group: list[int]) -> list[int]:
        """The equations of `group` only the marks say anything of: every figure in them hidden (or a
        zero shown: "nobody"), no constant."""
        inside = set(group)
        return [
            i
            for i in sorted({i for n in group for i in self.of[n]})
            if all(n in inside or not any(self.values[n]) for n in self.terms[i])
            and not any(_components(self.equations[i].constant))
        ]

    def _marks_said(self, group: list[int]) -> frozenset[tuple[int, tuple[str | None, ...]]]:
        """What the marks alone say of `group`: its equations among hidden figures, with their
        figures' marks. A hidden figure in none of them is never narrowed by the marks alone (its
        box lets it reach 1 and the limit less one, or move), so the same equations with the same
        marks narrow the same figures, however the group grew."""
        return frozenset((i, tuple(self.hidden.get(n) for n in self.terms[i])) for i in self._marks_rows(group))

    def narrowed_by_marks(self, n: int, group: list[int]) -> bool:
        """True when the marks alone narrow `n` as far (two "<5" adding up to a "<5"): hiding
        more would not help.

        The first `alone_asks` figures of a group asked about while the marks say the same of it
        are audited alone. When one more is asked about before the marks change (a table whose
        published figures are all used up, as a pathway page's beside its parent's fixed counts),
        the whole group is audited at once: whether a figure is narrowed is its own linear
        programs' answer, whichever others are audited beside it. The answers are kept for as long
        as the marks say the same of the group (`_marks_said`): hiding a figure that completes no
        equation among hidden ones changes nothing they say."""
        said = self._marks_said(group)
        found = self.by_marks.get(said)
        if found is not None:
            return n in found
        asked = self.asked_by_marks.get(said, 0)
        if asked < self.alone_asks:
            self.asked_by_marks[said] = asked + 1
            return bool(self._by_marks_audit(group, {group.index(n)}))
        found = self.by_marks[said] = self._by_marks_audit(group, None)
        return n in found

    def _by_marks_audit(self, group: list[int], only: set[int] | None) -> set[int]:
        """The figures of `group` (of the indices `only`, or all) the marks alone narrow."""
        found: set[int] = set()
        for dim in range(self.dims):
            audit = _Audit(*self.model(group, dim, marks_only=True), self.limit)
            if only is not None:
                audit.skip(set(range(len(group))) - only)
            found.update(group[i] for i in audit.narrowed())
        return found

    def still_narrowed(self) -> set[int]:
        """The figures given up on (nothing was left to hide) that the final pattern still lets a
        reader narrow beyond what the marks alone say: an "x" pinned, a "<5" narrowed by published
        figures. One given up in an early round may be protected by what was hidden after it."""
        wanted = {n for n in self.given_up if self.hidden.get(n) == SECONDARY} | {
            n for n in self.stuck if self.hidden.get(n) == SMALL
        }
        found: set[int] = set()
        for group in self.groups():
            if wanted.isdisjoint(group):
                continue
            for dim in range(self.dims):
                audit = _Audit(*self.model(group, dim), self.limit)
                audit.skip({i for i, n in enumerate(group) if n not in wanted})
                found.update(group[i] for i in audit.narrowed())
        return found

    def run(self, given: Mapping[Key, str]) -> dict[int, str]:
        for key, mark in given.items():
            if key in self.number:
                self.hide(self.number[key], mark)
        for n, values in enumerate(self.values):
            if n not in self.hidden and any(0 < v < self.limit for v in values):
                self.hide(n, SMALL)
        safe: set[frozenset[int]] = set()
        while True:
            self.close_lone()
            added = False
            for group in self.groups():
                signature = frozenset(group)
                if signature in safe:
                    continue
                touched: set[int] = set()
                for n in self.violations(group):
                    if any(len(self.terms[i]) <= SHARED_COVER for i in touched.intersection(self.of[n])):
                        continue  # a figure hidden beside it this round may be enough: audit again
                    extra = self.extra_for(n)
                    stuck = extra is None and not self.narrowed_by_marks(n, group)
                    if stuck:
                        extra = self.nearest(n)  # the closest published figure tied to it
                    if extra is None:
                        self.given_up.add(n)
                        if stuck:
                            self.stuck.add(n)
                        continue
                    self.hide(extra, SECONDARY)
                    touched.update(self.of[extra])
                    added = True
                if not touched:
                    safe.add(signature)
            if not added:
                return self.hidden


def fixed_values(matrix: Any, rhs: list[float], box: list[Bound]) -> set[int] | None:
    """The unknowns of ``matrix x = rhs`` within ``box`` with one value only, None when the numbers
    cannot be trusted (then bound them one by one).

    Freund, Roundy and Todd's program (1985): maximise the room s_j (at most 1) of every bound
    over the cone x = theta * point (theta at least 1). A bound some point leaves room at has
    room at every optimum, and scaling gives it all of 1; a bound every point meets has none:
    at the optimum each room is 0 or 1, nothing between. The unknowns held at a bound are fixed;
    at the optimum's point the others all have room at once, so they move as the equations
    allow: a random vector projected onto the equations' null space (least squares, its error
    checked) moves every unknown the equations do not fix, and leaves the fixed ones at 0."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, hstack, identity, vstack
    from scipy.sparse.linalg import lsqr

    n, m = len(box), len(rhs)
    if n == 0:
        return set()
    uppers = [j for j, (_low, high) in enumerate(box) if high is not None]
    k = len(uppers)
    a = csr_matrix(matrix) if matrix is not None else csr_matrix((0, n))
    lows = np.array([low for low, _high in box], dtype=np.float64)
    tops = np.array([box[j][1] for j in uppers], dtype=np.float64)
    pick = csr_matrix((np.ones(k), (np.arange(k), np.array(uppers, dtype=np.int64))), shape=(k, n))
    zeros = csr_matrix
    equal = hstack([a, csr_matrix(-np.asarray(rhs, dtype=np.float64).reshape(m, 1)), zeros((m, n + k))])
    below = hstack([-identity(n), csr_matrix(lows.reshape(n, 1)), identity(n), zeros((n, k))])
    above = hstack([pick, csr_matrix(-tops.reshape(k, 1)), zeros((k, n)), identity(k)])
    result = linprog(
        np.concatenate([np.zeros(n + 1), -np.ones(n + k)]),
        A_ub=vstack([below, above]).tocsr(),
        b_ub=np.zeros(n + k),
        A_eq=equal.tocsr() if m else None,
        b_eq=np.zeros(m) if m else None,
        bounds=[(0, None)] * n + [(1, None)] + [(0, 1)] * (n + k),
        method="highs",
    )
    if result.status != 0:
        return None
    room_below, room_above = result.x[n + 1 : 2 * n + 1], result.x[2 * n + 1 :]
    held = {j for j in range(n) if room_below[j] <= ROOM} | {uppers[i] for i in range(k) if room_above[i] <= ROOM}
    free = [j for j in range(n) if j not in held]
    if not free:
        return held
    sub = a[:, free]
    draw = np.random.default_rng(n)
    moved = np.zeros(len(free), dtype=bool)
    for _ in range(2):
        z = draw.standard_normal(len(free))
        if m:
            y = lsqr(sub.T, z, atol=1e-14, btol=1e-14, iter_lim=20 * (m + len(free)))[0]
            d = z - sub.T @ y
            if np.linalg.norm(sub @ d) > 1e-9 * np.linalg.norm(z):
                return None  # not a direction the equations allow, to the precision needed
        else:
            d = z
        moved |= np.abs(d) > 1e-6 * max(1.0, float(np.abs(d).max()))
    return held | {free[i] for i in range(len(free)) if not moved[i]}


# a bound's room at the optimum of `fixed_values` (0 or 1) below which every point meets it
ROOM = 0.5


class _Audit:
    """The reader's linear program over one group of hidden figures, and what it cannot do yet."""

    def __init__(self, matrix: Any, rhs: list[float], box: list[Bound], values: list[float], limit: int):
        self.values = values
        self.top = float(limit - 1)
        self.low = {i for i, v in enumerate(values) if 0 < v < limit}  # small: must reach 1
        self.high = set(self.low)  # and limit - 1
        # the others must move: a hidden zero too (pinned, it would say "nobody" where "x" stands)
        self.move = {i for i, v in enumerate(values) if v >= limit or v == 0}
        self.matrix, self.rhs, self.box = matrix, rhs, box
        try:
            self.highs = highs_model(matrix, rhs, box)
        except ImportError:  # an installation from before highspy was required: scipy's HiGHS, slower
            self.highs = None

    def skip(self, indices: set[int]) -> None:
        """Leave these out: narrowed by the marks alone, nothing more to hide would help."""
        self.low -= indices
        self.high -= indices
        self.move -= indices

    def solve(self, objective: list[float]) -> None:
        """Minimise `objective` over what the reader knows, and settle every figure the optimum
        takes far enough. The model is kept between objectives (HiGHS starts from the last basis)."""
        if self.highs is None:
            self._solve_scipy(objective)
            return
        import highspy
        import numpy as np

        n = len(objective)
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(objective, dtype=np.float64))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            x = list(self.highs.getSolution().col_value)
            self.low -= {i for i in self.low if x[i] <= 1 + EPSILON}
            self.high -= {i for i in self.high if x[i] >= self.top - EPSILON}
            self.move -= {i for i in self.move if abs(x[i] - self.values[i]) > EPSILON}
            return
        chosen = [i for i, c in enumerate(objective) if c]
        unbounded = status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible)
        if unbounded and len(chosen) == 1 and objective[chosen[0]] < 0:  # it grows without end
            self.high.discard(chosen[0])
            self.move.discard(chosen[0])

    def _solve_scipy(self, objective: list[float]) -> None:
        from scipy.optimize import linprog

        result = linprog(objective, A_eq=self.matrix, b_eq=self.rhs or None, bounds=self.box, method="highs")
        chosen = [i for i, c in enumerate(objective) if c]
        if result.status == 3 and len(chosen) == 1 and objective[chosen[0]] < 0:  # unbounded: it grows
            self.high.discard(chosen[0])
            self.move.discard(chosen[0])
        if result.status != 0:
            return
        x = list(result.x)
        self.low -= {i for i in self.low if x[i] <= 1 + EPSILON}
        self.high -= {i for i in self.high if x[i] >= self.top - EPSILON}
        self.move -= {i for i in self.move if abs(x[i] - self.values[i]) > EPSILON}

    def narrowed(self) -> list[int]:
        """The figures the reader can narrow too far.

        Each linear program settles every figure its optimum takes far enough, so the figures are
        first pushed all together (the small ones down, then up; the others both ways), then in
        rounds with random weights while a round still settles some; only those left are bounded
        one by one."""
        n = len(self.values)
        passes = ((self.low, 1.0), (self.high, -1.0), (self.move, 1.0), (self.move, -1.0))
        for chosen, sign in passes:
            if chosen:
                self.solve([sign if i in chosen else 0.0 for i in range(n)])
        draw = random.Random(n)
        for _round in range(8):
            before = len(self.low) + len(self.high) + len(self.move)
            if before <= 1:
                break
            for chosen, sign in passes:
                if chosen:
                    self.solve([sign * draw.uniform(0.5, 2.0) if i in chosen else 0.0 for i in range(n)])
            if len(self.low) + len(self.high) + len(self.move) == before:
                break
        found: list[int] = []
        for chosen, sign in passes:
            for i in sorted(chosen):
                if i not in chosen or i in found:
                    continue
                self.solve([sign if j == i else 0.0 for j in range(n)])
                if i in chosen and (chosen is not self.move or sign < 0):
                    found.append(i)
        return found


_HIGHS_STARTED = threading.Lock()
_highs_banner_shown = False


def _new_highs(highspy: Any) -> Any:
    """A HiGHS instance. HiGHS prints its banner on the process's standard output when the first
    instance is made, whatever its options; that first one is made with the descriptor pointed at
    /dev/null, so a command's output (`observations show --json`) stays what it says."""
    global _highs_banner_shown
    with _HIGHS_STARTED:
        if _highs_banner_shown:
            return highspy.Highs()
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _highs_banner_shown = True
        return highs


def highs_model(matrix: Any, rhs: list[float], box: list[Bound]) -> Any:
    """A HiGHS model of the reader's equations (matrix x = rhs) within the boxes, without output."""
    import highspy
    import numpy as np

    highs = _new_highs(highspy)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    # solved again and again with only the objective changed, from the last basis: presolving each
    # time costs more than it saves (a quarter of the audit's time at ten times Hjørring)
    highs.setOptionValue("presolve", "off")
    n = len(box)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(rhs)
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.array([low for low, _high in box], dtype=np.float64)
    lp.col_upper_ = np.array([highspy.kHighsInf if high is None else high for _low, high in box], dtype=np.float64)
    lp.row_lower_ = lp.row_upper_ = np.asarray(rhs, dtype=np.float64)
    columns = matrix.tocsc() if matrix is not None else None
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, len(rhs)
    lp.a_matrix_.start_ = columns.indptr if columns is not None else np.zeros(n + 1, dtype=np.int32)
    lp.a_matrix_.index_ = columns.indices if columns is not None else np.zeros(0, dtype=np.int32)
    lp.a_matrix_.value_ = columns.data if columns is not None else np.zeros(0)
    highs.passModel(lp)
    return highs


def protect(
    cells: Mapping[Key, Cell],
    equations: Sequence[Equation],
    small_limit: int | None = None,
    *,
    rank: Callable[[Key], int] | None = None,
    given: Mapping[Key, str] | None = None,
    hide_zeros: bool = True,
    alone_asks: int = 1,
) -> dict[Key, str]:
    """The hidden figures of one linked table, each marked SMALL or SECONDARY (module docstring).

    `rank` orders the kinds of figure to hide for another (lower is hidden first). `given` marks
    figures hidden from the start: SECONDARY for one hidden elsewhere (by another table's pattern),
    UNPUBLISHED for one no page shows but an equation needs (a slack that makes "at most" an
    equation, a sum of two shown figures); an equation with an unpublished figure is left to the
    audit, and the unpublished figures themselves are neither protected nor returned. With
    `hide_zeros` False no zero is hidden to protect another figure (it stays published, so an "x" is
    never a zero); this always protects a table whose equations have no constant, since a hidden
    figure's equation then holds a non-zero figure besides it. `alone_asks`: how many figures of a
    group are audited one by one for what the marks alone narrow, while the marks say the same of
    it, before the whole group is audited at once and the answer kept (`narrowed_by_marks`; the
    pattern is the same whatever the number, only its cost changes)."""
    protector = _Protector(cells, equations, small_limit or limit(), rank or (lambda _key: 0), hide_zeros, alone_asks)
    found = protector.run(given or {})
    return {protector.keys[n]: mark for n, mark in found.items() if mark != UNPUBLISHED}


def protection(
    cells: Mapping[Key, Cell],
    equations: Sequence[Equation],
    small_limit: int | None = None,
    *,
    rank: Callable[[Key], int] | None = None,
    given: Mapping[Key, str] | None = None,
    hide_zeros: bool = True,
) -> tuple[dict[Key, str], set[Key]]:
    """`protect`'s pattern, and the hidden figures it could not protect: narrowed beyond what the
    marks alone say (two "<5" adding up to a "<5" narrow each other, and that is not counted) when
    nothing was left to hide. A caller withholds what holds them."""
    protector = _Protector(cells, equations, small_limit or limit(), rank or (lambda _key: 0), hide_zeros)
    found = protector.run(given or {})
    marks = {protector.keys[n]: mark for n, mark in found.items() if mark != UNPUBLISHED}
    return marks, {protector.keys[n] for n in protector.still_narrowed()}


# -- the linked table of an indicator's budget year ------------------------------------------

# Named sums of units that pages show for an indicator (an effort's shared total over its
# participating units, and each "other participants" remainder a reader can be shown), registered
# by the apps that show them: a source answers, for the given indicators (all when None) and the
# computation's trees, indicator code -> [(node, unit ids)].
AggregateSource = Callable[[list[Indicator] | None, TreeCache], dict[str, list[tuple[Hashable, list[str]]]]]
AGGREGATES: list[AggregateSource] = []
# Kinds of named sum (a node's first element) hidden before anything else where one more figure
# must go: a sum shown on one page only, such as an effort's anonymous remainder.
HIDDEN_FIRST: set[str] = set()


def register_aggregates(source: AggregateSource, *, hidden_first: Iterable[str] = ()) -> None:
    if source not in AGGREGATES:
        AGGREGATES.append(source)
    HIDDEN_FIRST.update(hidden_first)


def year_periods(year: int) -> tuple[list[Period], list[Period], Period]:
    months = [Period.month(m) for m in month_range(Month(year, 1), Month(year, 12))]
    quarters = [Period.parse(f"{year}Q{q}") for q in range(1, 5)]
    return months, quarters, Period.parse(str(year))


def top_units(unit_ids: Iterable[str], parent: Mapping[str, str | None]) -> list[str]:
    """The units of `unit_ids` not below another of them: their sum counts each person once."""
    chosen = set(unit_ids)
    tops = []
    for unit in unit_ids:
        current, above = parent.get(unit), False
        while current is not None:
            if current in chosen:
                above = True
                break
            current = parent.get(current)
        if not above:
            tops.append(unit)
    return tops


def _subtract(total: Cell, parts: list[Cell]) -> Cell:
    numerator = total.numerator - sum((p.numerator for p in parts), Decimal(0))
    if total.denominator is None:
        return Cell(numerator, None)
    return Cell(numerator, total.denominator - sum((p.denominator or Decimal(0) for p in parts), Decimal(0)))


def linked_table(
    indicator: Indicator,
    year: int,
    by_month: Mapping[Month, Mapping[str, Cell]],
    trees: TreeCache,
    aggregates: Sequence[tuple[Hashable, list[str]]] = (),
) -> tuple[dict[Key, Cell], list[Equation]]:
    """Every figure of the indicator's budget year a person can open, and the equations tying them."""
    months, quarters, whole = year_periods(year)
    ratio = any(c.denominator is not None for cells in by_month.values() for c in cells.values())
    zero = Cell(Decimal(0), Decimal(0) if ratio else None)
    cells: dict[Key, Cell] = {}
    equations: list[Equation] = []
    series: dict[Hashable, dict[Month, Cell]] = defaultdict(dict)
    for period in months:
        month = period.start
        units = by_month.get(month, {})
        tree = trees.on(month.end)
        for unit, cell in units.items():
            cells[(unit, period)] = cell
            series[unit][month] = cell
            kids = [k for k in tree.children.get(unit, []) if k in units]
            if kids:
                constant = _subtract(cell, [units[k] for k in kids])
                equations.append(Equation((unit, period), tuple((k, period) for k in kids), constant))
        for node, unit_ids in aggregates:
            tops = [u for u in top_units([u for u in unit_ids if u in tree], tree.parent) if u in units]
            tops += [u for u in unit_ids if u not in tree and u in units]
            if not tops:
                continue
            total = units[tops[0]]
            for unit in tops[1:]:
                total = total + units[unit]
            cells[(node, period)] = total
            series[node][month] = total
            equations.append(Equation((node, period), tuple((u, period) for u in tops), zero))
    stock = indicator.temporal == Temporal.STOCK
    for node, by in series.items():
        for span_periods, parts_of in ((quarters, None), ([whole], quarters)):
            for period in span_periods:
                combined = combine_months(indicator, by, period.months)
                if combined is None:
                    continue
                cells[(node, period)] = combined
                present = [m for m in period.months if m in by]
                if parts_of is None:
                    parts = [Period.month(m) for m in present]
                else:
                    parts = [q for q in parts_of if any(m in by for m in q.months)]
                if stock:
                    last = max(present)
                    parts = [p for p in parts if p.start <= last <= p.stop]
                equations.append(Equation((node, period), tuple((node, p) for p in parts), zero))
    return cells, equations


def _rank(key: Key) -> int:
    node, period = cast(tuple[Hashable, Period], key)
    if isinstance(node, tuple) and node and node[0] in HIDDEN_FIRST:
        return -1
    if not isinstance(node, str):
        return 3
    return {"month": 0, "quarter": 1}.get(period.kind, 2)


# An indicator's year asks about many groups, each a few figures at a time between hides: auditing
# up to 16 of a group's figures alone (a few milliseconds each) before the whole group (a tenth of
# a second and more) takes `long_term_sick`'s demo year from about 20 s to 8 s; a pathway family, asked
# about figure after figure without a hide between, gains from the whole audit at the second ask.
TABLE_ALONE_ASKS = 16


class Patterns:
    """Patterns by (indicator, year), kept until the data change (as the roll-up's cells are)."""

    def __init__(self, max_entries: int = 2000) -> None:
        self.max_entries = max_entries
        self.entries: dict[Hashable, dict[Key, str]] = {}
        self.lock = threading.Lock()
        self.computed = 0  # patterns this process computed (the tick and tests read it)
        self.deferred = False  # imports leave the patterns to whoever computes them all after (`deferred`)

    def clear(self) -> None:
        with self.lock:
            self.entries = {}


PATTERNS = Patterns()
_PER_COMPUTATION: weakref.WeakKeyDictionary[TreeCache, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


def aggregates(trees: TreeCache) -> dict[str, list[tuple[Hashable, list[str]]]]:
    """The registered named sums of every indicator, read once per computation (`trees`): a page
    that shows a named sum asks here whether the pattern holds it."""
    memo = _PER_COMPUTATION.setdefault(trees, {})
    found: dict[str, list[tuple[Hashable, list[str]]]] | None = memo.get("aggregates")
    if found is None:
        found = {}
        for source in AGGREGATES:
            for code, sums in source(None, trees).items():
                found.setdefault(code, []).extend(sums)
        memo["aggregates"] = found
    return found


def patterns(
    indicators: Iterable[Indicator], years: Iterable[int], trees: TreeCache
) -> dict[tuple[str, int], dict[Key, str]]:
    """The pattern of each person-based indicator for each budget year: hidden figure -> mark."""
    wanted = [(i, y) for i in indicators if i.person_based for y in sorted(set(years))]
    if not wanted:
        return {}
    small_limit = limit()
    memo = _PER_COMPUTATION.setdefault(trees, {})
    sums = aggregates(trees)
    kept = settings.ROLLUP_CACHE
    store = PATTERNS.entries if kept else memo
    versions = _versions(wanted, trees) if kept else {}
    keys = {
        (i.code, y): (versions.get((i.code, y)), i.code, y, small_limit, repr(sorted(sums.get(i.code, []), key=repr)))
        for i, y in wanted
    }
    missing = [(i, y) for i, y in wanted if keys[(i.code, y)] not in store]
    if missing and kept:
        _read_kept(store, [(i.code, y, keys[(i.code, y)]) for i, y in missing])
        missing = [(i, y) for i, y in missing if keys[(i.code, y)] not in store]
    if missing:
        months = sorted({m for _, y in missing for m in month_range(Month(y, 1), Month(y, 12))})
        rolled = whole_tree_months(sorted({i for i, _ in missing}, key=lambda i: i.code), months, trees)
        # figures committed while these were read are not those the versions name: keep nothing then
        unchanged = kept and _unchanged(versions, _pairs(missing))
        for indicator, year in missing:
            by_month = {m: rolled.get((indicator.code, m), {}) for m in months if m.year == year}
            cells, equations = linked_table(indicator, year, by_month, trees, sums.get(indicator.code, []))
            found = protect(cells, equations, small_limit, rank=_rank, alone_asks=TABLE_ALONE_ASKS)
            with PATTERNS.lock:
                PATTERNS.computed += 1
            if not unchanged:
                memo[keys[(indicator.code, year)]] = found
                continue
            _keep(indicator.code, year, keys[(indicator.code, year)], found)
            with PATTERNS.lock:
                store[keys[(indicator.code, year)]] = found
                if store is PATTERNS.entries:
                    while len(store) > PATTERNS.max_entries:
                        store.pop(next(iter(store)))
    return {(i.code, y): store.get(keys[(i.code, y)], memo.get(keys[(i.code, y)], {})) for i, y in wanted}


def _pairs(wanted: Iterable[tuple[Indicator, int]]) -> list[tuple[str, int]]:
    return [(i.code, y) for i, y in wanted]


def _versions(wanted: list[tuple[Indicator, int]], trees: TreeCache) -> dict[tuple[str, int], Hashable]:
    """What each (indicator, year)'s pattern is keyed by: the version of its figures that year and
    the unit spans (so an import recomputes the patterns of what it changed, and only those), or
    the whole data version when no roll-up is kept yet."""
    pairs = _pairs(wanted)
    by_year = year_versions({code for code, _ in pairs}, {year for _, year in pairs}, trees)
    if by_year is None:
        return dict.fromkeys(pairs, data_version(trees))
    spans = data_version(trees)[-1]
    return {pair: (YEAR, by_year[pair], spans) for pair in pairs}


YEAR = "year"  # the first part of a key made of a year's version (the others hold the whole data version)


def _unchanged(versions: dict[tuple[str, int], Hashable], pairs: list[tuple[str, int]]) -> bool:
    """True when the year versions `pairs` were keyed by are still those committed (the figures
    just read are those they name)."""
    if not all(isinstance(versions[p], tuple) and versions[p][0] == YEAR for p in pairs):  # type: ignore[index]
        return True
    now = committed_year_versions({code for code, _ in pairs}, {year for _, year in pairs})
    return all(now[p] == versions[p][1] for p in pairs)  # type: ignore[index]


def _digest(key: Hashable) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()


def _encoded(found: Mapping[Key, str]) -> list[list[Any]]:
    rows = []
    for key, mark in found.items():
        node, period = cast(tuple[Hashable, Period], key)
        stored = node if isinstance(node, str | int) else list(cast(tuple[Any, ...], node))
        rows.append(
            [stored, period.start.year, period.start.month, period.stop.year, period.stop.month, period.kind, mark]
        )
    return rows


def _decoded(rows: list[list[Any]]) -> dict[Key, str]:
    found: dict[Key, str] = {}
    for node, y1, m1, y2, m2, kind, mark in rows:
        key_node = tuple(node) if isinstance(node, list) else node
        found[(key_node, Period(Month(y1, m1), Month(y2, m2), kind))] = mark
    return found


def _read_kept(store: dict[Hashable, dict[Key, str]], wanted: list[tuple[str, int, Hashable]]) -> None:
    """Fill `store` with the patterns another process (the tick, another worker) already kept."""
    from driftsblik.indicators.models import SuppressionPattern

    by_digest = {_digest(key): key for _code, _year, key in wanted}
    for row in SuppressionPattern.objects.filter(key__in=list(by_digest)).values("key", "marks"):
        decoded = _decoded(row["marks"])
        with PATTERNS.lock:
            store[by_digest[row["key"]]] = decoded


def _keep(code: str, year: int, key: Hashable, found: Mapping[Key, str]) -> None:
    """Keep a computed pattern for every process; patterns of older data versions go."""
    from driftsblik.indicators.models import SuppressionPattern

    digest = _digest(key)
    SuppressionPattern.objects.bulk_create(
        [SuppressionPattern(indicator_code=code, year=year, key=digest, marks=_encoded(found))],
        ignore_conflicts=True,
    )
    SuppressionPattern.objects.filter(indicator_code=code, year=year).exclude(key=digest).delete()


def _standard(period: Period) -> bool:
    """A month, a calendar quarter or a whole budget year: the periods a pattern holds."""
    first, last = period.start, period.stop
    if first == last:
        return True
    if first.year != last.year:
        return False
    if (first.month, last.month) == (1, 12):
        return True
    return first.month in (1, 4, 7, 10) and last.month == first.month + 2


def mark_of(
    found: Mapping[tuple[str, int], Mapping[Key, str]],
    indicator: Indicator,
    node: Hashable,
    period: Period,
    cell: Cell | None = None,
) -> str | None:
    """SMALL, SECONDARY or None for the figure of `node` in `period`, from `patterns`' answer.

    Another run of months (a year to date) is hidden when any of its months is, else shown unless
    small: added up from figures shown, it tells nothing they do not."""
    if (indicator.code, period.year) not in found:
        return None
    if _standard(period):
        return found[(indicator.code, period.year)].get((node, period))
    if is_small(cell):
        return SMALL
    for month in period.months:
        if found.get((indicator.code, month.year), {}).get((node, Period.month(month))):
            return SECONDARY
    return None


def months_hidden(
    found: Mapping[tuple[str, int], Mapping[Key, str]], indicator: Indicator, node: Hashable, months: Iterable[Month]
) -> bool:
    """True when any of the node's months is hidden (a figure computed from them would give it away)."""
    return any(mark_of(found, indicator, node, Period.month(m)) for m in months)


def prepare(changed: Iterable[tuple[str, dt.date]] | None, *, today: dt.date | None = None) -> int:
    """The last step of an import, in its transaction after the roll-up: compute and keep the
    patterns of the person-based indicators and budget years it changed (None: the tree changed,
    every indicator), of the year of the latest figures (this budget year) and the year before, so
    that the new figures and their patterns are committed together and no page computes one cold
    the morning after. Older years are computed by the first page that asks. Returns the number of
    patterns computed."""
    if not settings.ROLLUP_CACHE or PATTERNS.deferred:
        return 0
    latest = Observation.objects.aggregate(latest=Max("period"))["latest"]
    oldest = min((today or timezone.localdate()).year, latest.year if latest else 9999) - 1
    person_based = {i.code: i for i in Indicator.objects.filter(person_based=True)}
    if changed is None:
        wanted = {(code, year) for code in person_based for year in (oldest, oldest + 1)}
    else:
        wanted = {(code, first.year) for code, first in changed if code in person_based and first.year >= oldest}
    trees = TreeCache()
    before = PATTERNS.computed
    for code in sorted({code for code, _ in wanted}):  # one at a time: one indicator's roll-up in memory
        patterns([person_based[code]], sorted(y for c, y in wanted if c == code), trees)
    return PATTERNS.computed - before


@contextmanager
def deferred() -> Iterator[None]:
    """Imports inside compute no pattern: for a build that loads file after file and computes every
    pattern once at its end (`warm`), as the demo does."""
    PATTERNS.deferred = True
    try:
        yield
    finally:
        PATTERNS.deferred = False


def tree_changed(**_kwargs: object) -> None:
    """The organisation import changed the unit spans (and the roll-up followed, in its
    transaction): every pattern of this budget year and the last is computed again there."""
    prepare(None)


def warm(*, today: dt.date) -> str:
    """`driftsblik tick`'s job: compute the pattern of every person-based indicator for this budget
    year and the last, so that no page request computes one cold after an import (the patterns are
    kept per data version; those already kept cost nothing)."""
    indicators = list(Indicator.objects.filter(person_based=True).order_by("code"))
    if not settings.ROLLUP_CACHE or not indicators:
        return "suppression patterns: nothing to keep"
    trees = TreeCache()
    years = [today.year - 1, today.year]
    before = PATTERNS.computed
    for indicator in indicators:  # one at a time: the roll-up of one indicator's two years at most
        patterns([indicator], years, trees)
    computed = PATTERNS.computed - before
    return f"suppression patterns: {len(indicators)} indicators x {len(years)} years ready ({computed} computed)"
