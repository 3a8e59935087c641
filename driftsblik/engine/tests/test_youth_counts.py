"""The youth counts taken per person and assignment span equal the person-month status counted."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.engine import backends
from driftsblik.engine.contract import open_registers
from driftsblik.engine.generate import generate
from driftsblik.engine.indicators import Context
from driftsblik.engine.indicators.base import flag
from driftsblik.engine.indicators.youth import youth_counts, youth_person_months
from driftsblik.engine.periods import MonthRange
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS

pytestmark = ENGINE_WARNINGS


def both_ways(folder: Path, start: str, end: str, backend: str) -> tuple[list[dict[str, object]], ...]:
    con = backends.connect(backend)
    try:
        regs, problems = open_registers(folder, con, backend)
        assert regs is not None and not problems
        months = MonthRange.parse(start, end)
        counted = youth_counts(Context(regs, months, con, backend))
        pm = youth_person_months(Context(regs, months, con, backend))
        by_person_month = pm.group_by("unit_id", "month_idx").agg(
            young=pm.count().cast("int64"),
            active=flag(pm.active).sum().cast("int64"),
            neet=flag(pm.neet).sum().cast("int64"),
        )
        order = ["unit_id", "month_idx"]
        return tuple(
            t.select(*order, "young", "active", "neet").order_by(order).to_pyarrow().to_pylist()
            for t in (counted, by_person_month)
        )
    finally:
        backends.close(con, backend)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), persons=st.integers(200, 1200), backend=st.sampled_from(["duckdb", "polars"]))
def test_counts_per_person_and_span_equal_person_months(
    tmp_path_factory: pytest.TempPathFactory, seed: int, persons: int, backend: str
) -> None:
    folder = tmp_path_factory.mktemp("youth")
    generate(folder, persons=persons, start="2024-01", end="2025-12", seed=seed)
    counted, by_person_month = both_ways(folder, "2024-03", "2025-12", backend)
    assert counted == by_person_month
    assert any(r["active"] for r in counted)
    assert any(r["unit_id"] != "_unassigned" for r in counted)


def test_more_months_than_one_mask_holds(tmp_path: Path) -> None:
    """Over 60 months the status has no bit mask; the counts are then taken from it directly."""
    generate(tmp_path, persons=300, start="2019-01", end="2025-12", seed=3)
    counted, by_person_month = both_ways(tmp_path, "2019-06", "2025-12", "duckdb")
    assert counted == by_person_month
    assert len({r["month_idx"] for r in counted}) == 79
    assert any(r["neet"] for r in counted)
