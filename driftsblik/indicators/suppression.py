"""Small-number suppression (diskretionering).

Person-based figures with a numerator or denominator between 1 and limit - 1 (4 by default)
are shown as "<5" to everyone but analysts. Where a parent and its children are shown together,
one more child is suppressed whenever exactly one is, so that no hidden cell can be worked out
as the parent minus the visible siblings.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal

from django.conf import settings

from driftsblik.indicators.rollup import Cell


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


def suppressed_children(children: Mapping[Hashable, Cell | None], small_limit: int | None = None) -> set[Hashable]:
    """Which children of one parent to hide: the small ones, plus one more when exactly one is small.

    The extra one is the smallest remaining child with a non-zero numerator (a hidden zero would
    give the first one away), else the smallest remaining child with data.
    """
    hidden = {key for key, cell in children.items() if is_small(cell, small_limit)}
    if len(hidden) == 1:
        candidates = [
            (cell.numerator == 0, cell.numerator, str(key), key)
            for key, cell in children.items()
            if key not in hidden and cell is not None
        ]
        if candidates:
            hidden.add(min(candidates)[3])
    return hidden


def suppression_label() -> str:
    return f"<{limit()}"
