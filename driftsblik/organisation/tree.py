"""The unit tree valid on a given day, built from unit spans in one query.

Figures for a month roll up through the tree valid at that month's end; who sees what uses
today's tree. Both ask for a `Tree` here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.dispatch import Signal

from driftsblik.organisation.models import UnitSpan, valid_on

# Sent inside the transaction that changed the unit spans (the organisation import), so what is kept
# of figures rolled up through the old tree can be redone before the change is committed.
tree_changed = Signal()

# a unit span as TreeCache reads it: id, unit, parent, name, kind, valid from, valid to
SpanRow = tuple[int, str, str | None, str, str, dt.date, dt.date | None]


@dataclass
class Tree:
    """Parent links, names and kinds of the units valid on one day."""

    on: dt.date
    parent: dict[str, str | None] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_links(cls, on: dt.date, links: Iterable[tuple[str, str | None, str, str]]) -> Tree:
        """A tree from (unit_id, parent_id, name, kind) rows; a parent not valid that day is dropped."""
        tree = cls(on)
        for unit_id, parent_id, name, kind in links:
            tree.parent[unit_id] = parent_id
            tree.name[unit_id] = name
            tree.kind[unit_id] = kind
        for unit_id, parent_id in list(tree.parent.items()):
            if parent_id is not None and parent_id not in tree.parent:
                tree.parent[unit_id] = None
        for unit_id in tree.parent:
            tree.children.setdefault(unit_id, [])
        for unit_id, parent_id in tree.parent.items():
            if parent_id is not None:
                tree.children[parent_id].append(unit_id)
        for kids in tree.children.values():
            kids.sort(key=lambda u: (tree.name[u], u))
        return tree

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.parent

    @property
    def roots(self) -> list[str]:
        return sorted(u for u, p in self.parent.items() if p is None)

    def ancestors(self, unit_id: str) -> list[str]:
        """Parent first, root last."""
        chain: list[str] = []
        current = self.parent.get(unit_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent.get(current)
        return chain

    def depth(self, unit_id: str) -> int:
        return len(self.ancestors(unit_id))

    def descendants(self, unit_id: str, max_levels: int | None = None) -> list[tuple[str, int]]:
        """(descendant, levels below unit_id), breadth first, within max_levels if given."""
        found: list[tuple[str, int]] = []
        frontier = [unit_id]
        level = 0
        while frontier and (max_levels is None or level < max_levels):
            level += 1
            frontier = [c for u in frontier for c in self.children.get(u, [])]
            found.extend((c, level) for c in frontier)
        return found

    def subtree(self, unit_id: str) -> set[str]:
        """unit_id and all its descendants."""
        return {unit_id, *(d for d, _ in self.descendants(unit_id))}

    def chain(self, unit_id: str) -> list[str]:
        """Root first, ending with unit_id: the breadcrumb of the leadership chain."""
        return [*reversed(self.ancestors(unit_id)), unit_id]


def tree_on(day: dt.date) -> Tree:
    """The tree of units valid on `day` (valid_from <= day <= valid_to)."""
    spans = UnitSpan.objects.valid_on(day).values_list("unit_id", "parent_id", "name", "kind")
    return Tree.from_links(day, spans)


class TreeCache:
    """Trees by day for the length of one computation (a page, a report, an import).

    The unit spans are read once, on first use; a tree is built per distinct set of valid spans
    and shared by the days that have the same spans. `spans_key` identifies the spans read, so
    caches of rolled-up figures can tell when the organisation changed.
    """

    def __init__(self) -> None:
        self._trees: dict[dt.date, Tree] = {}
        self._spans: list[SpanRow] | None = None
        self._by_spans: dict[frozenset[int], Tree] = {}
        self.data_version: tuple[object, ...] | None = None  # set by the roll-up: what the figures depend on

    @property
    def spans(self) -> list[SpanRow]:
        if self._spans is None:
            self._spans = list(
                UnitSpan.objects.order_by("id").values_list(
                    "id", "unit_id", "parent_id", "name", "kind", "valid_from", "valid_to"
                )
            )
        return self._spans

    @property
    def spans_key(self) -> int:
        """A fingerprint of every span's id, unit, parent and dates."""
        return hash(tuple((s[0], s[1], s[2], s[5], s[6]) for s in self.spans))

    def on(self, day: dt.date) -> Tree:
        tree = self._trees.get(day)
        if tree is None:
            valid = [s for s in self.spans if valid_on(s[5], s[6], day)]
            key = frozenset(s[0] for s in valid)
            tree = self._by_spans.get(key)
            if tree is None:
                tree = Tree.from_links(day, [s[1:5] for s in valid])
                self._by_spans[key] = tree
            self._trees[day] = tree
        return tree
