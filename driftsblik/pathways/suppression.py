"""Small-number suppression of a pathway's counts (DESIGN.md, "Small numbers").

Every count of persons between 1 and limit - 1 is hidden ("<5"). Then, so that no hidden count
can be worked out as a known total minus the visible counts, one more count is hidden in every
group whose total is known and in which exactly one count is hidden, until no such group is left:

- a month's status counts (they add up to the cohort size);
- the transitions out of one status between two months (they add up to that status's count in
  the first month), and the transitions into one status (they add up to its count in the next);
- the across-silos rows of one dimension (they add up to the cohort size), and their outcomes.

The extra count hidden is a visible non-zero one in the group (a hidden zero would give the first
away), a transition before a month's status count, the smallest first. A bucket's outcome is
hidden with its persons (it is at most that number).

This closes every single-equation way back to a hidden count. It is not a full audit of every
combination of equations (that needs linear programming over the whole table); the groups are
the ones a reader of the page can add up.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping

from driftsblik.indicators.suppression import limit


def small(n: int, bound: int | None = None) -> bool:
    """True when ``n`` is a small number: 1..limit-1."""
    return 0 < n < (bound if bound is not None else limit())


def suppress(
    counts: Mapping[Hashable, int],
    groups: Iterable[Iterable[Hashable]],
    bound: int | None = None,
    *,
    implies: Iterable[tuple[Hashable, Hashable]] = (),
    cost: Callable[[Hashable], int] | None = None,
) -> set[Hashable]:
    """The keys of ``counts`` to hide: the small ones, then one more in every group (a set of keys
    whose total is known) holding exactly one hidden key, repeated until stable.

    ``implies`` pairs (a, b) hide b whenever a is hidden (a bucket's outcome with its persons).
    ``cost`` ranks the candidates for the extra count (lower is chosen first, before size), so
    that detail tables give up a count before the main table does.
    """
    hidden = {k for k, n in counts.items() if small(n, bound)}
    group_list = [[k for k in g if k in counts] for g in groups]
    pairs = [(a, b) for a, b in implies if a in counts and b in counts]
    rank = cost or (lambda _key: 0)
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            if a in hidden and b not in hidden:
                hidden.add(b)
                changed = True
        for group in group_list:
            inside = [k for k in group if k in hidden]
            if len(inside) != 1:
                continue
            candidates = [(counts[k] == 0, rank(k), counts[k], str(k), k) for k in group if k not in hidden]
            if candidates:
                hidden.add(min(candidates, key=lambda c: c[:4])[4])
                changed = True
    return hidden
