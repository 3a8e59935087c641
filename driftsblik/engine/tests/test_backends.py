"""One suite on every backend: the public example and the hand-worked edges, to the last person."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import pytest

from driftsblik.engine.errors import EngineInputError
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS, EXAMPLES, cells
from driftsblik.engine.tests.edges import EXPECTED, edge_registers

pytestmark = ENGINE_WARNINGS

COUNTS = {"cash_benefit_long_term", "youth_neet_3m"}


@pytest.fixture(scope="session")
def edges_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return edge_registers().write(tmp_path_factory.mktemp("edges"))


def test_public_example(backend: str, run_engine: Any) -> None:
    got = cells(run_engine(EXAMPLES / "registers-small", "2025-01", "2025-06", backend))
    with open(EXAMPLES / "registers-small-expected-2025H1.csv") as f:
        expected = {(r["indicator"], r["unit_id"], r["period"]): r for r in csv.DictReader(f)}
    for key, e in expected.items():
        assert key in got, key
        num, den, value = got[key]
        assert num == int(e["numerator"]), key
        assert den == (int(e["denominator"]) if e["denominator"] else None), key
        assert math.isclose(value, float(e["value"]), abs_tol=1e-6), key
    extra = {k: v for k, v in got.items() if k not in expected}
    # only zero counts may be added (a missing count row means 0)
    assert all(k[0] in COUNTS and v[0] == 0 for k, v in extra.items()), extra


def test_edges(backend: str, run_engine: Any, edges_dir: Path) -> None:
    got = cells(run_engine(edges_dir, "2025-01", "2025-03", backend))
    mismatches = {}
    for key, (num, den) in EXPECTED.items():
        g = got.get(key)
        if g is None or g[0] != num or g[1] != den:
            mismatches[key] = (g, (num, den))
    assert not mismatches
    extra = {k: v for k, v in got.items() if k not in EXPECTED and not (k[0] in COUNTS and v[0] == 0)}
    assert not extra


def test_edges_values(backend: str, run_engine: Any, edges_dir: Path) -> None:
    got = cells(run_engine(edges_dir, "2025-01", "2025-03", backend))
    assert got[("cash_benefit_long_term_in_work", "E-CASH", "2025-01")][2] == pytest.approx(100 / 3)
    assert got[("elderly_preventable_admissions_per_1000", "E-OLD", "2025-01")][2] == pytest.approx(2000 / 6)
    assert got[("youth_neet_3m", "E-UNG", "2025-03")][2] == 4.0


def test_output_is_sorted_and_typed(backend: str, run_engine: Any, edges_dir: Path) -> None:
    t = run_engine(edges_dir, "2025-01", "2025-03", backend)
    keys = [(r["indicator"], r["unit_id"], r["period"]) for r in t.to_pylist()]
    assert keys == sorted(keys)
    assert t.schema.names == ["indicator", "unit_id", "period", "numerator", "denominator", "value"]


def test_duckdb_memory_limit_from_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """DRIFTSBLIK_ENGINE_MEMORY_LIMIT bounds the engine's DuckDB (1GB unless set; empty: DuckDB's own)."""
    from driftsblik.engine import backends

    def limit() -> str:
        con = backends.connect("duckdb")
        try:
            return str(con.raw_sql("SELECT current_setting('memory_limit')").fetchone()[0])
        finally:
            backends.close(con, "duckdb")

    monkeypatch.delenv("DRIFTSBLIK_ENGINE_MEMORY_LIMIT", raising=False)
    default = limit()
    assert default.replace(" ", "") in {"1.0GiB", "953.6MiB", "1GB", "1.0GB"}, default
    monkeypatch.setenv("DRIFTSBLIK_ENGINE_MEMORY_LIMIT", "600MB")
    assert limit().replace(" ", "") in {"572.2MiB", "600.0MB", "600MB"}
    monkeypatch.setenv("DRIFTSBLIK_ENGINE_MEMORY_LIMIT", "")
    assert limit() != default
    monkeypatch.setenv("DRIFTSBLIK_ENGINE_MEMORY_LIMIT", "1GB'; DROP")
    with pytest.raises(EngineInputError, match="DRIFTSBLIK_ENGINE_MEMORY_LIMIT"):
        backends.connect("duckdb")
