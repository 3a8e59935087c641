"""Backend functions the engine calls by name where Ibis has no expression for them."""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

BIT_COUNT_BACKENDS = ("duckdb",)
"""Where ``bit_count(BIGINT)`` exists (PostgreSQL counts bits of bit strings only)."""

WORD_BITS = 63
"""Bits 0..62 of a BIGINT make one word of a bit set (``1 << 63`` overflows)."""


@ibis.udf.scalar.builtin(name="bit_count")  # type: ignore[untyped-decorator]
def _bit_count(x: dt.int64) -> dt.int8:
    """DuckDB's population count of a BIGINT (a TINYINT)."""


@ibis.udf.scalar.builtin(name="divide")  # type: ignore[untyped-decorator]
def _divide(x: dt.int64, y: dt.int64) -> dt.int64:
    """DuckDB's integer division of BIGINTs (rounds toward zero)."""


FLOOR_SHIFT = 7 * 63 * 2**24
"""Added before an integer division by 7 or by :data:`WORD_BITS` and taken off after (divided),
so that the numbers divided are never negative and rounding toward zero is rounding down."""


def floor_div(x: ir.IntegerValue, n: int) -> ir.IntegerValue:
    """``x // n`` (rounded down) for ``n`` dividing :data:`FLOOR_SHIFT` and ``x`` above
    ``-FLOOR_SHIFT``, in BIGINT arithmetic (DuckDB): Ibis writes ``//`` as a division in
    DOUBLE followed by FLOOR, a tenth of the cost of a pass over tens of millions of rows."""
    if FLOOR_SHIFT % n:
        raise ValueError(f"{n} does not divide {FLOOR_SHIFT}")
    shifted: ir.IntegerValue = _divide(x + FLOOR_SHIFT, n) - FLOOR_SHIFT // n
    return shifted


def bit_count(x: ir.IntegerValue) -> ir.IntegerValue:
    """The number of bits set in ``x``, as an int64 (DuckDB)."""
    counted: ir.IntegerValue = _bit_count(x).cast("int64")
    return counted


def word_and_bit(k: ir.IntegerValue, first: int) -> tuple[ir.IntegerValue, ir.IntegerValue]:
    """Where number ``k`` (>= ``first``) sits in a bit set over the numbers from ``first``: its
    word, and its bit in that word (``1 << ((k - first) % WORD_BITS)``). A per-word aggregate is
    then ``bit.bit_or(where=word == w)``: the shift is computed once per row, not once per word."""
    off = k - first
    word: ir.IntegerValue = off // WORD_BITS
    bit: ir.IntegerValue = ibis.literal(1, "int64") << (off % WORD_BITS)
    return word, bit


def words_for(first: int, last: int) -> int:
    """How many words a bit set over the numbers ``first..last`` takes."""
    return (last - first) // WORD_BITS + 1
