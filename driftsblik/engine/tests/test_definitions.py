"""Definitions, the registry, and the docs agree; a third party registers a pack the same way."""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir

from driftsblik.engine import INDICATORS, compute, register_indicator
from driftsblik.engine.definitions import DEFINITIONS
from driftsblik.engine.indicators.base import Context, aggregate, flag, residents_at_month_end
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS, EXAMPLES

pytestmark = ENGINE_WARNINGS
DOCS = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def test_definitions_match_the_registry() -> None:
    builtin = {c: s for c, s in INDICATORS.items() if c in DEFINITIONS}
    assert set(builtin) == set(DEFINITIONS)
    for code, d in DEFINITIONS.items():
        assert INDICATORS[code].measure == d.measure
        assert d.temporal in ("stock", "flow") and d.direction in ("higher", "lower")
        assert "Rule:" in INDICATORS[code].rule


def test_every_indicator_is_documented() -> None:
    text = DOCS.read_text()
    for code in DEFINITIONS:
        assert f"`{code}`" in text, code


def test_third_party_pack() -> None:
    @register_indicator("test_residents_80plus", "count")
    def residents_80plus(ctx: Context, *, min_age: int = 80) -> ir.Table:
        """Rule: residents aged ``min_age``+ at the month's end, all in ``_unassigned``."""
        pop = residents_at_month_end(ctx, ctx.months.indices, min_age=min_age)
        pop = pop.mutate(unit_id=ibis.literal("_unassigned"))
        return aggregate(pop, flag(pop.person_id.notnull()))

    try:
        out = compute(EXAMPLES / "registers-small", "2025-01", "2025-01", indicators=["test_residents_80plus"])
        assert out.column("indicator").to_pylist() == ["test_residents_80plus"]
        assert out.column("numerator").to_pylist()[0] > 0
    finally:
        del INDICATORS["test_residents_80plus"]
