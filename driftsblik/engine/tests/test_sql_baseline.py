"""The benchmark's hand-written DuckDB SQL gives exactly the engine's output on a generated population."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from driftsblik.engine import compute
from driftsblik.engine.generate import generate
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS

pytestmark = ENGINE_WARNINGS
BASELINE = Path(__file__).resolve().parents[3] / "bench" / "engine_sql_baseline.py"


def baseline() -> ModuleType:
    spec = importlib.util.spec_from_file_location("engine_sql_baseline", BASELINE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(records: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return sorted(
        (r["indicator"], r["unit_id"], r["period"], r["numerator"], r["denominator"], round(float(r["value"]), 6))  # type: ignore[arg-type]
        for r in records
    )


def test_sql_baseline_matches_engine(tmp_path: Path) -> None:
    generate(tmp_path, persons=5000, start="2024-11", end="2025-04", seed=7)
    sql = baseline()
    engine = compute(tmp_path, "2025-01", "2025-04", indicators=list(sql.INDICATORS))
    theirs = sql.compute(tmp_path, "2025-01", "2025-04").fetch_arrow_table()
    assert len(engine) > 0
    assert rows(engine.to_pylist()) == rows(theirs.to_pylist())
