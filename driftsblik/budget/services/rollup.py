"""The ledger rolled up the leadership chain, kept per budget year (`LedgerRollup`).

A unit's rolled-up amount for a month, account and kind is the sum of `LedgerMonth` over the unit
and every unit below it in the tree valid at that month's end. The follow-up reads a set of units
counted once as the rolled-up rows of its top units, a few rows instead of a subtree.

Kept like the indicators' roll-up (`indicators/rollup.py`): a ledger import rolls up again the
years it loaded, and an organisation import (the `tree_changed` signal) every year, inside their
own transactions, so the rows are committed with what they depend on. Each year is stamped with
the fingerprint of the unit spans it was rolled up through (`LedgerRollupState`); a reader that
finds a year unstamped or stamped through other spans (a unit moved in the admin) rolls it up
again when nobody else is at it (PostgreSQL's advisory lock, SQLite's one writer), and otherwise
sums `LedgerMonth` itself: a stale roll-up is never read.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from driftsblik.budget.models import LedgerMonth, LedgerRollup, LedgerRollupState
from driftsblik.core.bulk import insert_rows
from driftsblik.core.periods import Month
from driftsblik.indicators.rollup import spans_digest
from driftsblik.organisation.tree import TreeCache

# PostgreSQL: the advisory lock held by whoever rolls the ledger up (any fixed number)
ADVISORY_KEY = 7_302_118_645_093_217_411 % (2**63)
_CLAIM = threading.Lock()  # SQLite: one roll-up at a time in this process


class _Outdated(Exception):
    """The unit spans changed while the roll-up was computed: it is not stored."""


def _roll_up(
    year: int, firsts: list[dt.date] | None, trees: TreeCache
) -> list[tuple[int, dt.date, str, str, str, Decimal]]:
    """Rows of LedgerRollup for the year (or its months `firsts`), summed in Python from LedgerMonth."""
    sums: dict[tuple[dt.date, str, str, str], Decimal] = {}
    chains: dict[tuple[dt.date, str], list[str]] = {}
    rows = LedgerMonth.objects.filter(year=year)
    if firsts is not None:
        rows = rows.filter(period__in=firsts)
    values = rows.values_list("period", "unit_id", "account_id", "kind", "amount")
    for first, unit_id, account, kind, amount in values.iterator(chunk_size=20000):
        chain = chains.get((first, unit_id))
        if chain is None:
            tree = trees.on(Month.of(first).end)
            chain = chains[(first, unit_id)] = [unit_id, *tree.ancestors(unit_id)] if unit_id in tree else [unit_id]
        for unit in chain:
            key = (first, unit, account, kind)
            sums[key] = sums.get(key, Decimal(0)) + amount
    return [(year, first, unit, account, kind, amount) for (first, unit, account, kind), amount in sums.items()]


def _insert(rows: list[tuple[int, dt.date, str, str, str, Decimal]]) -> None:
    """Rows of LedgerRollup in a few statements (COPY on PostgreSQL)."""
    insert_rows(LedgerRollup, ("year", "period", "unit", "account", "kind", "amount"), rows)


def _compute_and_store(years: Iterable[int], trees: TreeCache, *, firsts: list[dt.date] | None = None) -> None:
    """Roll the years (or only their months `firsts`) up through `trees` and stamp them, in the
    caller's transaction."""
    digest = spans_digest(trees)
    for year in sorted(set(years)):
        months = None if firsts is None else [first for first in firsts if first.year == year]
        rows = LedgerRollup.objects.filter(year=year)
        (rows if months is None else rows.filter(period__in=months)).delete()
        _insert(_roll_up(year, months, trees))
        LedgerRollupState.objects.update_or_create(year=year, defaults={"spans": digest, "computed_at": timezone.now()})


def _lock() -> None:
    """Writers wait for a roll-up in flight (PostgreSQL; SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])


@transaction.atomic
def ledger_rollup_refresh(*, years: Iterable[int] | None = None, months: Iterable[dt.date] | None = None) -> None:
    """Roll up again, inside the changing transaction: `months` (first days; the ledger import's),
    `years`, or with neither every year with ledger data (an organisation change).

    Only the months given are rolled up when the rest of their year is current (rolled up through
    today's spans), the whole year otherwise. Years with no ledger data left lose their rows and stamp.
    """
    _lock()
    trees = TreeCache()
    if months is not None:
        firsts = sorted(set(months))
        digest = spans_digest(trees)
        asked = {first.year for first in firsts}
        stamps = dict(LedgerRollupState.objects.filter(year__in=asked).values_list("year", "spans"))
        current = {year for year in asked if stamps.get(year) == digest}
        _compute_and_store(current, trees, firsts=firsts)
        _compute_and_store(asked - current, trees)
        return
    if years is None:
        years = set(LedgerMonth.objects.values_list("year", flat=True).distinct())
        stale = set(LedgerRollupState.objects.values_list("year", flat=True)) - years
        LedgerRollup.objects.filter(year__in=stale).delete()
        LedgerRollupState.objects.filter(year__in=stale).delete()
    _compute_and_store(years, trees)


def tree_changed(**_kwargs: object) -> None:
    """The organisation import changed the unit spans: every year is rolled up again, in its transaction."""
    ledger_rollup_refresh(years=None)


@contextmanager
def _claimed() -> Iterator[bool]:
    """True to the one caller that may roll up now, False at once to the others (see indicators/rollup.py)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_KEY])
            yield bool(cursor.fetchone()[0])
        return
    got = _CLAIM.acquire(blocking=False)
    try:
        yield got
    finally:
        if got:
            _CLAIM.release()


def current_years(years: Iterable[int], trees: TreeCache) -> set[int]:
    """Of `years`, those whose kept roll-up matches today's unit spans, after rolling up again the
    ones found outdated when nobody else is at it; the others are summed from LedgerMonth by the caller.

    A year never rolled up (no import since the roll-up was introduced, or no ledger data at all)
    counts as outdated: the first reader rolls it up (a year without data gets its stamp and no rows).
    """
    wanted = set(years)
    digest = spans_digest(trees)
    stamps = dict(LedgerRollupState.objects.filter(year__in=wanted).values_list("year", "spans"))
    current = {year for year, spans in stamps.items() if spans == digest}
    outdated = wanted - current
    if not outdated:
        return current
    with _claimed() as claimed:
        if not claimed:
            return current
        try:
            with transaction.atomic():
                # SQLite: the delete takes the write lock, so what is read next is what is stored
                _compute_and_store(outdated, trees)
                if spans_digest(TreeCache()) != digest:
                    raise _Outdated
        except _Outdated:
            return current
    return current | outdated
