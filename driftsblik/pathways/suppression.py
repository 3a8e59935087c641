"""Small-number suppression of a pathway's counts (DESIGN.md, "Small numbers").

Every count of persons between 1 and limit - 1 is hidden ("<5"). Then, so that no hidden count
can be worked out as a known total minus the visible counts, one more count is hidden in every
group whose total is known and in which exactly one count is hidden, until no such group is left:

- a month's status counts (they add up to the cohort size);
- the transitions out of one status between two months (they add up to that status's count in
  the first month), and the transitions into one status (they add up to its count in the next);
- the across-silos rows of one dimension (they add up to the cohort size), and their outcomes.

The extra count hidden is the smallest visible non-zero one in the group (a hidden zero would
give the first away), else the smallest visible one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from driftsblik.indicators.suppression import limit


def small(n: int, bound: int | None = None) -> bool:
    """True when ``n`` is a small number: 1..limit-1."""
    return 0 < n < (bound if bound is not None else limit())


def suppress(
    counts: Mapping[Hashable, int], groups: Iterable[Iterable[Hashable]], bound: int | None = None
) -> set[Hashable]:
    """The keys of ``counts`` to hide: the small ones, then one more in every group (a set of keys
    whose total is known) holding exactly one hidden key, repeated until stable."""
    hidden = {k for k, n in counts.items() if small(n, bound)}
    group_list = [[k for k in g if k in counts] for g in groups]
    changed = True
    while changed:
        changed = False
        for group in group_list:
            inside = [k for k in group if k in hidden]
            if len(inside) != 1:
                continue
            candidates = [(counts[k] == 0, counts[k], str(k), k) for k in group if k not in hidden]
            if candidates:
                hidden.add(min(candidates, key=lambda c: c[:3])[3])
                changed = True
    return hidden
