"""Benefit weeks read once per run (DuckDB): per person, a bit for every week.

The duplicate check of validation (two rows for one person and week) and the long-term
cash-benefit indicators both group the benefit weeks by person; at national size that is tens of
millions of rows, so a run reads them once. Per person: ``n`` (rows with a week), ``w0..`` (a bit
for every week the person has a row in, any benefit) and ``c<i>`` (a bit for every week on
kontanthjaelp or uddannelseshjaelp, for the words that cover the weeks the cash-benefit
indicators look at). Bit ``b`` of word ``i`` stands for week number ``first + i * WORD_BITS + b``
(week numbers count Mondays from 1970: ``days since 1970-01-01 // 7``).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from driftsblik.engine.contract import CASH_BENEFITS
from driftsblik.engine.runner import Runner
from driftsblik.engine.sqlfuncs import BIT_COUNT_BACKENDS, WORD_BITS, bit_count, floor_div, word_and_bit, words_for

MAX_WORDS = 32
"""Registers whose weeks span more than about 38 years are checked the plain way."""


def week_no(d: dt.date) -> int:
    """The number of the week (Monday) holding ``d``: consecutive Mondays, consecutive numbers."""
    return (d - dt.date(1970, 1, 1)).days // 7


def week_no_of(week: ir.DateValue) -> ir.IntegerValue:
    """:func:`week_no` of a date column (DuckDB)."""
    return floor_div(week.epoch_days().cast("int64"), 7)


def _words_covering(first: int, weeks: tuple[int, int] | None) -> list[int]:
    """The words of a bit set over the week numbers from ``first`` that hold ``weeks`` (lo, hi)."""
    if weeks is None:
        return []
    lo, hi = weeks
    return list(range((lo - first) // WORD_BITS, (hi - first) // WORD_BITS + 1))


@dataclass(frozen=True)
class WeekSets:
    """Per-person bit sets of benefit weeks, kept on the backend (see the module's text)."""

    table: ir.Table
    first: int
    words: int
    cash_weeks: tuple[int, int] | None

    @property
    def cash_words(self) -> list[int]:
        """The words that hold cash bits (those covering ``cash_weeks``)."""
        return _words_covering(self.first, self.cash_weeks)

    def duplicate_rows(self) -> ir.IntegerScalar:
        """Rows beyond the first for one person and week number (0: no duplicates; NULL: no rows)."""
        t = self.table
        distinct: ir.IntegerValue = ibis.literal(0, "int64")
        for w in range(self.words):
            distinct = distinct + bit_count(t[f"w{w}"])
        rows: ir.IntegerScalar = (t.n - distinct).sum()
        return rows

    def covers(self, lo: int, hi: int) -> bool:
        """Whether the cash bits hold every week number ``lo..hi``."""
        return self.cash_weeks is not None and self.cash_weeks[0] <= lo and hi <= self.cash_weeks[1]


def week_span(bw: ir.Table, runner: Runner) -> Future[Any] | None:
    """The first and last week numbers of the benefit weeks ``bw`` (``lo``, ``hi``), asked of
    ``runner`` ahead of what is queued: ``bw`` is a register as opened, never a table the run is
    still making. ``None`` where the backend makes no week sets."""
    if runner.backend not in BIT_COUNT_BACKENDS:
        return None
    k = week_no_of(bw.week)
    return runner.fetch(bw.aggregate(lo=k.min(), hi=k.max()), ahead=True)


def week_sets(
    bw: ir.Table, runner: Runner, cash_weeks: tuple[int, int] | None = None, span: Future[Any] | None = None
) -> WeekSets | None:
    """The per-person bit sets of the benefit weeks ``bw`` (``None`` where the backend has no bit
    count, or the weeks span too long), with cash words for the week numbers ``cash_weeks``
    (first, last) when given. Computed once and kept (materialized) by ``runner``. ``span``: the
    :func:`week_span` of ``bw``, when it was asked for already."""
    span = span or week_span(bw, runner)
    if span is None:
        return None
    k = week_no_of(bw.week)
    found = span.result().to_pylist()[0]
    if found["lo"] is None:
        return None
    lo, hi = int(found["lo"]), int(found["hi"])
    if cash_weeks is not None:
        lo, hi = min(lo, cash_weeks[0]), max(hi, cash_weeks[1])
    words = words_for(lo, hi)
    if words > MAX_WORDS:
        return None
    t = bw.select("person_id", "week", "benefit", k=k)
    word, bit = word_and_bit(t.k, lo)
    t = t.select("person_id", "week", "benefit", "k", word=word, bit=bit)
    aggs: dict[str, ir.Value] = {"n": t.week.count()}
    for w in range(words):
        aggs[f"w{w}"] = t.bit.bit_or(where=t.word == w)
    if cash_weeks is not None:
        is_cash = t.benefit.isin(CASH_BENEFITS) & (t.k >= cash_weeks[0]) & (t.k <= cash_weeks[1])
        for w in _words_covering(lo, cash_weeks):
            aggs[f"c{w}"] = t.bit.bit_or(where=is_cash & (t.word == w))
    g = t.group_by("person_id").aggregate(**aggs)
    g = g.select("person_id", "n", **{c: g[c].fill_null(0) for c in g.columns if c not in ("person_id", "n")})
    return WeekSets(runner.materialize(g), lo, words, cash_weeks)
