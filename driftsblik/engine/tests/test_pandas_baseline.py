"""The benchmark's pandas baseline gives exactly the engine's output on a generated population."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from driftsblik.engine import compute
from driftsblik.engine.generate import generate
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS

pytestmark = ENGINE_WARNINGS
BASELINE = Path(__file__).resolve().parents[3] / "bench" / "engine_pandas_baseline.py"


def baseline() -> ModuleType:
    spec = importlib.util.spec_from_file_location("engine_pandas_baseline", BASELINE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_baseline_matches_engine(tmp_path: Path) -> None:
    generate(tmp_path, persons=5000, start="2025-01", end="2025-04", seed=5)
    engine = compute(tmp_path, "2025-01", "2025-04")
    assert baseline().compare(engine.to_pylist(), baseline().compute(tmp_path, "2025-01", "2025-04")) == []
