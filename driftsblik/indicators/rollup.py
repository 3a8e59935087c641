"""Roll-up: an indicator's figure at any unit and period, from the monthly observations. Implemented once.

Across units, a unit's figure for a month is the sum of the numerators (and denominators) of
its own observations and those of every unit below it in the tree valid at that month's end.
Ratios are sum(numerator) / sum(denominator), never a mean of ratios.
Across months, flows add up (numerators and denominators alike) and stocks take the last month
with data in the period.
Every page, export, command and report asks this module; nothing else adds figures up.

Kept once for everyone: every (indicator, month) is rolled up for the whole tree and stored in
the database (`RolledUpCell`), stamped with the data version it was computed for (`RollUpState`:
the newest import batch and observation, and a fingerprint of the unit spans). An import rolls
up again the months it changed, inside its own transaction (`refresh`), so the new figures are
committed with the observations; an organisation import rolls up every month. Whoever finds the
stamp outdated (a unit moved in the admin) rolls everything up again, one computation at a time
(PostgreSQL's advisory lock, SQLite's one writer); readers never wait for it: they read the cells
committed before, or roll their own months up when none are kept yet. Workers keep nothing.

Each (indicator, year) rolled up is stamped too (`RolledUpYear`, the data version it was last rolled
up at): what the suppression patterns are keyed by, so an import computes again the patterns of
the indicators and years it changed and no others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from driftsblik.core.bulk import insert_rows
from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import (
    ImportBatch,
    Indicator,
    Measure,
    Observation,
    RolledUpCell,
    RolledUpYear,
    RollUpState,
    Temporal,
)
from driftsblik.organisation.tree import TreeCache

ZERO = Decimal(0)


@dataclass(frozen=True)
class Cell:
    """A numerator and denominator pair; the denominator is None for counts."""

    numerator: Decimal
    denominator: Decimal | None

    def __add__(self, other: Cell) -> Cell:
        if self.denominator is None and other.denominator is None:
            den = None
        else:
            den = (self.denominator or ZERO) + (other.denominator or ZERO)
        return Cell(self.numerator + other.numerator, den)


def value_of(indicator: Indicator, cell: Cell | None) -> Decimal | None:
    """The shown value: the count, 100 * num / den for shares, 1000 * num / den for rates."""
    if cell is None:
        return None
    if indicator.measure == Measure.COUNT:
        return cell.numerator
    if not cell.denominator:
        return None
    return indicator.scale * cell.numerator / cell.denominator


def combine_months(indicator: Indicator, by_month: dict[Month, Cell], months: Iterable[Month]) -> Cell | None:
    """One cell for a run of months: flows add up, stocks take the last month with data."""
    present = [m for m in months if m in by_month]
    if not present:
        return None
    if indicator.temporal == Temporal.STOCK:
        return by_month[max(present)]
    total = by_month[present[0]]
    for month in present[1:]:
        total = total + by_month[month]
    return total


class RollUps:
    """This process's part in the shared roll-up: how many roll-ups it computed (tests and benchmarks
    read it), who is told when one starts, and on SQLite the claim that lets one thread compute.

    The rolled-up cells themselves are kept in the database (`RolledUpCell`), once for every worker
    and server; nothing of them stays in the process between requests.
    """

    def __init__(self) -> None:
        self.computations = 0
        self.listeners: list[Callable[[str], None]] = []  # called with "full", "months" or "on demand"
        self.claim = threading.Lock()  # SQLite: one computation at a time in this process
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.computations = 0

    def started(self, what: str) -> None:
        with self.lock:
            self.computations += 1
        for listener in list(self.listeners):
            listener(what)


ROLLED_UP = RollUps()
# PostgreSQL: the advisory lock held by whoever computes the rolled-up cells (any fixed number)
ADVISORY_KEY = 4_417_090_215_571_830_161 % (2**63)
# the months, per computation, whose rolled-up cells were checked against the data version
_CHECKED: weakref.WeakKeyDictionary[TreeCache, bool] = weakref.WeakKeyDictionary()
# every (indicator, year)'s version as one computation read it
_YEAR_VERSIONS: weakref.WeakKeyDictionary[TreeCache, dict[tuple[str, int], str]] = weakref.WeakKeyDictionary()


def spans_digest(trees: TreeCache) -> str:
    """A fingerprint of every span's id, unit, parent and dates, the same in every process."""
    text = repr([(s[0], s[1], s[2], s[5], s[6]) for s in trees.spans])
    return hashlib.sha256(text.encode()).hexdigest()


def data_version(trees: TreeCache) -> tuple[object, ...]:
    """What the figures depend on: the newest import batch and observation, and the unit spans."""
    if trees.data_version is None:
        batches = ImportBatch.objects.aggregate(newest=Max("id"), at=Max("created_at"))
        newest_observation = Observation.objects.aggregate(newest=Max("id"))["newest"]
        trees.data_version = (
            connection.settings_dict["NAME"],
            batches["newest"],
            batches["at"],
            newest_observation,
            spans_digest(trees),
        )
    return trees.data_version


def version_key(trees: TreeCache) -> str:
    """The data version as the rolled-up cells are stamped with it."""
    return hashlib.sha256(repr(data_version(trees)[1:]).encode()).hexdigest()


def _roll_up_pairs(
    pairs: list[tuple[str, Month]], ratio: dict[str, bool], trees: TreeCache
) -> dict[tuple[str, Month], dict[str, Cell]]:
    """Every unit's rolled-up cell for each (indicator, month) pair, in one query."""
    codes = sorted({code for code, _ in pairs})
    firsts = {month.first: month for _, month in pairs}
    wanted = set(pairs)
    rows = Observation.objects.filter(indicator_id__in=codes, period__in=list(firsts)).values_list(
        "indicator_id", "unit_id", "period", "numerator", "denominator"
    )
    sums: dict[tuple[str, Month], dict[str, list[Decimal]]] = {pair: {} for pair in pairs}
    chains: dict[tuple[Month, str], list[str]] = {}
    for code, unit_id, first, numerator, denominator in rows:
        month = firsts[first]
        if (code, month) not in wanted:
            continue
        key = (month, unit_id)
        chain = chains.get(key)
        if chain is None:
            tree = trees.on(month.end)
            chain = [unit_id, *tree.ancestors(unit_id)] if unit_id in tree else [unit_id]
            chains[key] = chain
        by_unit = sums[(code, month)]
        for unit in chain:
            acc = by_unit.get(unit)
            if acc is None:
                acc = by_unit[unit] = [ZERO, ZERO]
            acc[0] += numerator
            if ratio[code] and denominator is not None:
                acc[1] += denominator
    return {
        pair: {unit: Cell(acc[0], acc[1] if ratio[pair[0]] else None) for unit, acc in by_unit.items()}
        for pair, by_unit in sums.items()
    }


@contextmanager
def _claimed() -> Iterator[bool]:
    """True to the one caller that may compute the rolled-up cells now, False at once to the others.

    PostgreSQL: a transaction holding the advisory lock until it ends (across workers and servers);
    SQLite: this process's claim (the database has one writer; a computation started elsewhere
    stores its cells only if the data did not change meanwhile)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_KEY])
            yield bool(cursor.fetchone()[0])
        return
    got = ROLLED_UP.claim.acquire(blocking=False)
    try:
        yield got
    finally:
        if got:
            ROLLED_UP.claim.release()


def _state() -> tuple[str, str] | None:
    """(version, spans fingerprint) of the kept cells, None when nothing was rolled up yet."""
    return RollUpState.objects.filter(pk=1).values_list("version", "spans").first()


class _Outdated(Exception):
    """The data changed while the cells were computed: they are not stored."""


def _compute_and_store(months: set[tuple[str, dt.date]] | None, trees: TreeCache, version: str) -> bool:
    """Roll up `months` ((indicator code, first day) pairs; None: every month with data) for the
    whole tree and store them stamped `version`, in one transaction, one indicator at a time (so
    memory holds one indicator's cells). Nothing is stored when the data changed meanwhile."""
    ROLLED_UP.started("full" if months is None else "months")
    full = months is None
    try:
        with transaction.atomic():
            # Deleting first takes SQLite's write lock: what is read next is what is stored.
            if months is None:
                RolledUpCell.objects.all().delete()
                months = set(Observation.objects.values_list("indicator_id", "period").distinct())
            else:
                for code, firsts in _by_code(months).items():
                    RolledUpCell.objects.filter(indicator_code=code, period__in=firsts).delete()
            chains: dict[tuple[dt.date, str], list[str]] = {}
            for code, firsts in _by_code(months).items():
                _insert(_sums(code, firsts, trees, chains))
            _stamp_years(months, version, everything=full)
            if version_key(TreeCache()) != version:
                raise _Outdated
            RollUpState.objects.update_or_create(
                pk=1, defaults={"version": version, "spans": spans_digest(trees), "computed_at": timezone.now()}
            )
    except _Outdated:
        return False
    return True


def _stamp_years(months: set[tuple[str, dt.date]], version: str, *, everything: bool) -> None:
    """Stamp the (indicator, year)s rolled up with `version` (all of them, the others going, when
    `everything` was rolled up)."""
    years = sorted({(code, first.year) for code, first in months})
    if everything:
        RolledUpYear.objects.all().delete()
    else:
        for code, year in years:
            RolledUpYear.objects.filter(indicator_code=code, year=year).delete()
    RolledUpYear.objects.bulk_create(
        [RolledUpYear(indicator_code=code, year=year, version=version) for code, year in years], batch_size=1000
    )


def year_versions(codes: Iterable[str], years: Iterable[int], trees: TreeCache) -> dict[tuple[str, int], str] | None:
    """The version of each indicator's kept figures per year, "" for a year without figures; None
    when no roll-up is kept (then only the whole data version tells a change).

    A version changes when, and only when, that indicator's figures of that year are rolled up
    again: an import changes the versions of what it changed, an organisation change all of them.
    The kept cells are brought up to date first, as for reading them."""
    if not settings.ROLLUP_CACHE or not _ensure_kept(trees):
        return None
    every = _YEAR_VERSIONS.get(trees)
    if every is None:  # read once per computation: a page asks for several indicators and years
        every = _YEAR_VERSIONS[trees] = _stored_year_versions(RolledUpYear.objects.all())
    return {(code, year): every.get((code, year), "") for code in set(codes) for year in set(years)}


def committed_year_versions(codes: Iterable[str], years: Iterable[int]) -> dict[tuple[str, int], str]:
    """`year_versions` as they are stored now, without bringing anything up to date."""
    codes, years = sorted(set(codes)), sorted(set(years))
    every = _stored_year_versions(RolledUpYear.objects.filter(indicator_code__in=codes, year__in=years))
    return {(code, year): every.get((code, year), "") for code in codes for year in years}


def _stored_year_versions(rows: QuerySet[RolledUpYear]) -> dict[tuple[str, int], str]:
    return {(code, year): version for code, year, version in rows.values_list("indicator_code", "year", "version")}


def _by_code(months: set[tuple[str, dt.date]]) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = defaultdict(list)
    for code, first in sorted(months):
        found[code].append(first)
    return found


def _sums(
    code: str, firsts: list[dt.date], trees: TreeCache, chains: dict[tuple[dt.date, str], list[str]]
) -> list[tuple[str, str, dt.date, Decimal, Decimal]]:
    """One indicator's rows of RolledUpCell for the months (first days) given: as `_roll_up_pairs`
    adds up, with the denominators there are; `chains` (month, unit) -> the unit and its ancestors
    is shared by the indicators of one computation."""
    sums: dict[tuple[dt.date, str], list[Decimal]] = {}
    rows = Observation.objects.filter(indicator_id=code, period__in=firsts).values_list(
        "unit_id", "period", "numerator", "denominator"
    )
    for unit_id, first, numerator, denominator in rows.iterator(chunk_size=10000):
        chain = chains.get((first, unit_id))
        if chain is None:
            tree = trees.on(Month.of(first).end)
            chain = chains[(first, unit_id)] = [unit_id, *tree.ancestors(unit_id)] if unit_id in tree else [unit_id]
        for unit in chain:
            acc = sums.get((first, unit))
            if acc is None:
                acc = sums[(first, unit)] = [ZERO, ZERO]
            acc[0] += numerator
            if denominator is not None:
                acc[1] += denominator
    return [(code, unit, first, acc[0], acc[1]) for (first, unit), acc in sums.items()]


def _insert(rows: list[tuple[str, str, dt.date, Decimal, Decimal]]) -> None:
    """Rows of RolledUpCell in a few statements (COPY on PostgreSQL)."""
    insert_rows(RolledUpCell, ("indicator_code", "unit_code", "period", "numerator_sum", "denominator_sum"), rows)


def refresh(months: Iterable[tuple[str, dt.date]] | None = None) -> set[tuple[str, dt.date]] | None:
    """Bring the kept cells up to date after a change, inside the changing transaction; the months
    rolled up again (None: every month, as when the tree changed since the last roll-up).

    Imports call it at their end with the (indicator code, month's first day) pairs they changed;
    an organisation change calls it without (every month is rolled up again). Writers wait here for
    a computation in flight; readers never do (they read the cells committed before). With the
    roll-up kept nowhere (DRIFTSBLIK_ROLLUP_CACHE off) the kept cells are only marked outdated.
    """
    changed = None if months is None else set(months)
    if changed is not None and not changed:
        return changed
    if not settings.ROLLUP_CACHE:
        RollUpState.objects.all().delete()
        return set()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])
        trees = TreeCache()
        state = _state()
        if state is None or state[1] != spans_digest(trees):
            changed = None  # nothing kept yet, or kept through another tree: every month again
        _compute_and_store(changed, trees, version_key(trees))
    return changed


def tree_changed(**_kwargs: object) -> None:
    """The organisation import changed the unit spans: every month is rolled up again, in its transaction."""
    refresh(None)


def _refresh_for_readers(trees: TreeCache, version: str) -> bool:
    """Roll everything up again for a reader who found the kept cells outdated, unless another
    is at it (then False at once: the reader reads the cells committed before)."""
    with _claimed() as claimed:
        if not claimed:
            return False
        state = _state()
        if state is not None and state[0] == version:
            return True
        return _compute_and_store(None, trees, version)


def _kept(
    pairs: list[tuple[str, Month]], ratio: dict[str, bool], trees: TreeCache, units: set[str] | None
) -> dict[tuple[str, Month], dict[str, Cell]]:
    """The pairs' cells from the kept roll-up (of the asked units, or all), brought up to date first
    when the data changed and nobody else is doing it; computed here when nothing is kept yet."""
    if not _ensure_kept(trees):
        ROLLED_UP.started("on demand")
        computed = _roll_up_pairs(pairs, ratio, trees)
        if units is None:
            return computed
        return {pair: {u: c for u, c in by_unit.items() if u in units} for pair, by_unit in computed.items()}
    return _read(pairs, ratio, units)


def _ensure_kept(trees: TreeCache) -> bool:
    """True when the kept cells may be read for this computation (`trees`): current, brought up
    to date here, or being brought up to date by another (then those committed before are read);
    False when nothing is kept yet and another is computing it. Checked once per computation."""
    if trees in _CHECKED:
        return True
    version = version_key(trees)
    state = _state()
    current = state is not None and state[0] == version
    if not current and not _refresh_for_readers(trees, version) and state is None:
        return False
    _CHECKED[trees] = True
    return True


def _read(
    pairs: list[tuple[str, Month]], ratio: dict[str, bool], units: set[str] | None
) -> dict[tuple[str, Month], dict[str, Cell]]:
    codes = sorted({code for code, _ in pairs})
    firsts = {month.first: month for _, month in pairs}
    rows = RolledUpCell.objects.filter(indicator_code__in=codes, period__in=list(firsts))
    if units is not None and len(units) <= 500:
        rows = rows.filter(unit_code__in=sorted(units))
    found: dict[tuple[str, Month], dict[str, Cell]] = {pair: {} for pair in pairs}
    values = rows.values_list("indicator_code", "unit_code", "period", "numerator_sum", "denominator_sum")
    for code, unit, first, numerator, denominator in values:
        by_unit = found.get((code, firsts[first]))
        if by_unit is not None and (units is None or unit in units):
            by_unit[unit] = Cell(numerator, denominator if ratio[code] else None)
    return found


def whole_tree_months(
    indicators: Iterable[Indicator], months: Iterable[Month], trees: TreeCache | None = None
) -> dict[tuple[str, Month], dict[str, Cell]]:
    """Every unit's rolled-up cell per (indicator code, month), units without data left out."""
    return _rolled(indicators, months, trees, None)


def _rolled(
    indicators: Iterable[Indicator], months: Iterable[Month], trees: TreeCache | None, units: set[str] | None
) -> dict[tuple[str, Month], dict[str, Cell]]:
    trees = trees or TreeCache()
    indicator_by_code = {i.code: i for i in indicators}
    month_list = sorted(set(months))
    if not indicator_by_code or not month_list:
        return {}
    ratio = {code: ind.measure != Measure.COUNT for code, ind in indicator_by_code.items()}
    pairs = [(code, month) for code in indicator_by_code for month in month_list]
    if settings.ROLLUP_CACHE:
        return _kept(pairs, ratio, trees, units)
    return _roll_up_pairs(pairs, ratio, trees)


def monthly_cells(
    indicators: Iterable[Indicator],
    unit_ids: Iterable[str],
    months: Iterable[Month],
    trees: TreeCache | None = None,
) -> dict[tuple[str, str, Month], Cell]:
    """Rolled-up cells per (indicator code, unit id, month) for the asked units and months.

    Each unit's cell sums its own observations and those of every unit below it in the tree
    valid at the month's end. One query, whatever the number of units: of the kept roll-up
    (`RolledUpCell`), or of the observations when the roll-up is kept nowhere.
    """
    wanted_units = set(unit_ids)
    if not wanted_units:
        return {}
    rolled = _rolled(indicators, months, trees, wanted_units)
    result: dict[tuple[str, str, Month], Cell] = {}
    for (code, month), by_unit in rolled.items():
        for unit in wanted_units & by_unit.keys():
            result[(code, unit, month)] = by_unit[unit]
    return result


def period_cells(
    indicators: Iterable[Indicator],
    unit_ids: Iterable[str],
    periods: Iterable[Period],
    trees: TreeCache | None = None,
) -> dict[tuple[str, str, Period], Cell]:
    """Rolled-up cells per (indicator code, unit id, period) for months, quarters or years."""
    indicators = list(indicators)
    unit_ids = list(unit_ids)
    periods = list(periods)
    months = {m for p in periods for m in p.months}
    monthly = monthly_cells(indicators, unit_ids, months, trees)
    by_series: dict[tuple[str, str], dict[Month, Cell]] = defaultdict(dict)
    for (code, unit, month), cell in monthly.items():
        by_series[(code, unit)][month] = cell
    result: dict[tuple[str, str, Period], Cell] = {}
    for indicator in indicators:
        for unit in unit_ids:
            series = by_series.get((indicator.code, unit))
            if not series:
                continue
            for period in periods:
                combined = combine_months(indicator, series, period.months)
                if combined is not None:
                    result[(indicator.code, unit, period)] = combined
    return result
