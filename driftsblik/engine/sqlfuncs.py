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
