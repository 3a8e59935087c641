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


def bit_count(x: ir.IntegerValue) -> ir.IntegerValue:
    """The number of bits set in ``x``, as an int64 (DuckDB)."""
    counted: ir.IntegerValue = _bit_count(x).cast("int64")
    return counted


def word_bit(k: ir.IntegerValue, first: int, word: int) -> ir.IntegerValue:
    """``1 << (k - first - word * WORD_BITS)`` where that falls in word ``word`` of a bit set over
    the numbers from ``first``, else NULL (so that a ``bit_or`` per word leaves it out)."""
    off = k - (first + word * WORD_BITS)
    in_word = (off >= 0) & (off < WORD_BITS)
    one = ibis.literal(1, "int64")
    # (clamped: a shift out of range is an error even where the condition is false; ibis's clip
    # compiles to nested CASEs, greatest/least to two plain calls)
    shift = ibis.greatest(ibis.least(off, WORD_BITS - 1), 0)
    bit: ir.IntegerValue = ibis.ifelse(in_word, one << shift, ibis.null("int64"))
    return bit


def words_for(first: int, last: int) -> int:
    """How many words a bit set over the numbers ``first..last`` takes."""
    return (last - first) // WORD_BITS + 1
