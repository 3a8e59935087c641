"""Running the pathway engine on the configured registers, caching its aggregates, logging queries.

The registers are ``settings.REGISTERS`` (a folder of Parquet or CSV files, or ``db:``/``db:<schema>``
for tables in the database of ``settings.REGISTERS_BACKEND``). The engine returns aggregates only;
they are kept in memory per (registers, their modification time, cohort, parameters), so a page
asked for twice is computed once, and a new register extract is picked up on the next request.
Several requests for the same cohort at once wait for one computation; different cohorts are
computed side by side, at most ``settings.PATHWAY_WORKERS`` at a time; a cached answer never waits.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction

from driftsblik.engine import backends
from driftsblik.engine.contract import TABLES, Registers, find_table_file, open_registers
from driftsblik.engine.pathways import (
    MAX_MONTHS,
    PathwayResult,
    cohort_pathway,
    cohort_pathway_units,
    combine,
    data_months,
)
from driftsblik.organisation.models import User
from driftsblik.pathways import suppression
from driftsblik.pathways.models import PathwayQuery

CACHE_SIZE = 64
DB_REFRESH_SECONDS = 3600
T = TypeVar("T")


class _Pending:
    """One computation in flight: those asking for the same key wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


_lock = threading.Lock()  # held only to read and change the two dicts below, never while computing
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_pending: dict[tuple[Any, ...], _Pending] = {}
_slots: threading.BoundedSemaphore | None = None
_slots_size = 0


def _computing_slots() -> threading.BoundedSemaphore:
    """At most ``settings.PATHWAY_WORKERS`` different keys are computed at once in this process."""
    global _slots, _slots_size
    size = max(1, int(getattr(settings, "PATHWAY_WORKERS", 2)))
    with _lock:
        if _slots is None or _slots_size != size:
            _slots, _slots_size = threading.BoundedSemaphore(size), size
        return _slots


class RegistersUnavailable(Exception):
    """The configured registers cannot be read (missing folder, missing table, broken file)."""


@dataclass(frozen=True)
class RegisterFacts:
    """What the pages need to know about the registers: the months with data and the units per domain."""

    first_month: int | None
    last_month: int | None
    units: dict[str, frozenset[str]]


def registers_source() -> str:
    return str(settings.REGISTERS)


def registers_stamp(source: str) -> str:
    """Changes whenever the register files change (their modification times and sizes); for
    registers in a database, every hour (a database table has no modification time to ask)."""
    if source.startswith("db:"):
        return f"db@{int(time.time() // DB_REFRESH_SECONDS)}"
    folder = Path(source)
    parts = []
    for name in TABLES:
        path = find_table_file(folder, name)
        if path is None:
            continue
        files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        parts += [f"{f.name}:{f.stat().st_mtime_ns}:{f.stat().st_size}" for f in files]
    return "|".join(parts)


def _cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """The value of ``key``: from the cache at once; else computed once however many ask for it at
    the same time (the others wait for that computation, not for a lock), and at most
    ``settings.PATHWAY_WORKERS`` different keys side by side."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]  # type: ignore[no-any-return]
        pending = _pending.get(key)
        owner = pending is None
        if pending is None:
            pending = _pending[key] = _Pending()
    if not owner:
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.value  # type: ignore[no-any-return]
    try:
        with _computing_slots():
            pending.value = compute()
        with _lock:
            _cache[key] = pending.value
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    except BaseException as exc:
        pending.error = exc
        raise
    finally:
        with _lock:
            _pending.pop(key, None)
        pending.done.set()
    return pending.value  # type: ignore[no-any-return]


def cache_clear() -> None:
    """Forget every cached pathway (used by tests)."""
    with _lock:
        _cache.clear()


def _run(source: str, work: Callable[[Registers, Any, str], T]) -> T:
    backend = str(settings.REGISTERS_BACKEND)
    try:
        con = backends.connect(backend)
    except Exception as exc:  # noqa: BLE001 - every backend fails its own way
        raise RegistersUnavailable(f"cannot connect to the register backend {backend}: {exc}") from exc
    try:
        regs, problems = open_registers(source, con, backend)
        if regs is None:
            raise RegistersUnavailable("; ".join(f"{p.table}: {p.message}" for p in problems[:5]))
        return work(regs, con, backend)
    finally:
        backends.close(con, backend)


def register_facts() -> RegisterFacts:
    """The months with employment data and the units per domain in the configured registers."""
    source = registers_source()

    def work(regs: Registers, con: Any, backend: str) -> RegisterFacts:
        span = data_months(regs)
        a = regs.assignments
        pairs = a.select("domain", "unit_id").distinct().to_pyarrow().to_pylist()
        units: dict[str, set[str]] = {}
        for p in pairs:
            units.setdefault(p["domain"], set()).add(p["unit_id"])
        return RegisterFacts(
            span[0] if span else None,
            span[1] if span else None,
            {d: frozenset(u) for d, u in units.items()},
        )

    return _cached(("facts", source, registers_stamp(source)), lambda: _run(source, work))


@dataclass(frozen=True)
class CohortPathways:
    """One computation of a cohort: the pathway of each register unit (``per_unit``) and, for the
    empty case, the cohort's pathway with nobody in it."""

    per_unit: dict[str, PathwayResult]
    nobody: PathwayResult


def cohort_pathways(*, cohort: str, start: str, months: int) -> CohortPathways:
    """Every register unit's pathway of the cohort, computed once per cohort, parameters and
    register files (``cohort_pathway_units``); a unit's pathway is its register units' added up."""
    source = registers_source()
    key = ("pathways", source, registers_stamp(source), cohort, start, months)

    def work(regs: Registers, con: Any, backend: str) -> CohortPathways:
        per_unit = cohort_pathway_units(regs, con, backend, cohort=cohort, start=start, months=months)
        first = next(iter(per_unit.values()), None)
        if first is None:
            nobody = cohort_pathway(regs, con, backend, cohort=cohort, start=start, months=months, unit_ids=[])
        else:
            nobody = combine([replace(first, cohort_size=0)], [])
        return CohortPathways(per_unit, nobody)

    return _cached(key, lambda: _run(source, work))


def pathway_compute(*, cohort: str, start: str, months: int, unit_ids: Sequence[str] | None) -> PathwayResult:
    """The pathway's aggregates for the persons of ``unit_ids`` (None: the whole municipality),
    unsuppressed: the caller suppresses them for the person looking. The sum of those units' own
    pathways from the cohort's one computation (:func:`cohort_pathways`)."""
    found = cohort_pathways(cohort=cohort, start=start, months=months)
    units = tuple(sorted(unit_ids)) if unit_ids is not None else None
    chosen = [r for u, r in found.per_unit.items() if units is None or u in units]
    if not chosen:
        return replace(found.nobody, unit_ids=units)
    return combine(chosen, units)


def pathway_page_marks(result: PathwayResult, *, start: str, cohort_mark: str | None) -> dict[Hashable, str] | None:
    """The hidden counts of the page of ``result`` (its persons followed from ``start`` as asked),
    for everyone but analysts; None when the page is withheld. The pattern is that of the page
    following the same persons for as many months as may be shown (:func:`shown_months`), and a
    page asked for fewer months takes its months and transitions from it
    (``suppression.horizon_marks``), so no two horizons of one cohort give each other away; a page
    asked for more months than may be shown is withheld. Decided once per registers, cohort,
    persons and the mark of the indicator's figure the cohort is (``cohort_mark``, which follows the
    indicators' data version), and kept with the pathways; a warm page only looks them up."""
    base, base_marks = _base_page(result, start, cohort_mark)
    if base is None or base_marks is None or result.months_followed > base.months_followed:
        return None
    if result.months_followed == base.months_followed:
        return base_marks
    key = (*_marks_key(base, start, cohort_mark), "horizon", result.months_followed)
    return _cached(key, lambda: suppression.horizon_marks(result, base, base_marks))


def shown_months(result: PathwayResult, *, start: str, cohort_mark: str | None) -> int:
    """The most months the persons of ``result`` may be followed on a page for everyone but
    analysts (0: none). A page following them longer is withheld, as no pattern protects it alone
    (four persons moving away one at a time while fewer than 5 have moved pin each of those counts)."""
    base, base_marks = _base_page(result, start, cohort_mark)
    return base.months_followed if base is not None and base_marks is not None else 0


def _marks_key(page: PathwayResult, start: str, cohort_mark: str | None) -> tuple[Any, ...]:
    source = registers_source()
    return (
        "marks",
        source,
        registers_stamp(source),
        page.cohort,
        start,
        page.unit_ids,
        cohort_mark,
        suppression.limit(),
        page.months_followed,
    )


def _base_page(
    result: PathwayResult, start: str, cohort_mark: str | None
) -> tuple[PathwayResult | None, dict[Hashable, str] | None]:
    """The page every horizon of ``result``'s persons takes its pattern from, with that pattern:
    the persons followed for as many months as the data allow (up to ``MAX_MONTHS``) when a pattern
    protects that page alone, else for fewer, the longest such horizon found by halving (one that
    can be shown next to one that cannot). Each horizon's page and pattern is computed once and
    kept; (None, None) when no horizon can be shown."""

    def page(months: int) -> tuple[PathwayResult, dict[Hashable, str] | None]:
        found = pathway_compute(cohort=result.cohort, start=start, months=months, unit_ids=result.unit_ids)
        key = _marks_key(found, start, cohort_mark)
        return found, _cached(key, lambda: suppression.pathway_marks(found, cohort_mark=cohort_mark))

    full, marks = page(MAX_MONTHS)
    if marks is not None:
        return full, marks
    best: tuple[PathwayResult | None, dict[Hashable, str] | None] = (None, None)
    low, high = 1, full.months_followed - 1
    while low <= high:
        middle = (low + high) // 2
        found, marks = page(middle)
        if marks is not None:
            best, low = (found, marks), middle + 1
        else:
            high = middle - 1
    return best


@transaction.atomic
def pathway_query_log(
    *,
    user: User,
    cohort: str,
    start: str,
    months: int,
    unit_id: str | None,
    action: str,
    cohort_size: int | None,
    suppressed: bool,
) -> PathwayQuery:
    """Log one pathway query (who, which cohort and parameters, when, the result's size)."""
    return PathwayQuery.objects.create(
        user=user,
        cohort=cohort,
        start=start,
        months=months,
        unit_id=unit_id or "",
        action=action,
        cohort_size=cohort_size,
        suppressed=suppressed,
        registers=registers_source()[:500],
    )
