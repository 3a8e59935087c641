"""Backends for the engine test suite: one fixture, every backend, skips with a reason.

DuckDB and polars always run. PostgreSQL runs when a server answers (``DATABASE_URL`` if it
points at PostgreSQL, else postgresql://postgres@127.0.0.1:5432/test). PySpark runs when
``java`` is on PATH, with one SparkSession (local[2]) for the whole test session. Results are
cached per backend and register folder, so Spark computes each dataset once.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa
import pytest

from driftsblik.engine import compute

# Warnings from third-party code that the engine cannot avoid (the suite runs with warnings as
# errors); each test module applies them with `pytestmark = ENGINE_WARNINGS`.
ENGINE_WARNINGS = [
    # ibis 12's DuckDB backend calls fetch_arrow_table(), deprecated in DuckDB 2.0
    pytest.mark.filterwarnings("ignore:fetch_arrow_table\\(\\) is deprecated:DeprecationWarning"),
    # ibis 12 and pyspark 4.0 use pandas options deprecated in pandas 3
    pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    # py4j (PySpark's bridge to the JVM) leaves its gateway sockets to the garbage collector
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
]

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
# A copy of the public examples (shared/examples), so the suite runs on a checkout alone;
# test_examples_copy.py checks the copy against shared/ where that folder is beside the checkout.
EXAMPLES = Path(__file__).resolve().parent / "data"
SHARED_EXAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "examples"


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else PG_DEFAULT


def postgres_answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), timeout=1):
            pass
    except OSError:
        return False
    try:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=2):
            return True
    except Exception:  # noqa: BLE001 - any failure means: no usable server
        return False


BACKEND_PARAMS = [
    "duckdb",
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("pyspark", marks=pytest.mark.spark),
    "polars",
]


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("pyspark backend: no `java` on PATH (Spark local mode needs Java 17)")
    from driftsblik.engine.backends import spark_session as make_session

    os.environ.setdefault("SPARK_SHUFFLE_PARTITIONS", "2")
    session = make_session()
    yield session
    session.stop()


@pytest.fixture(params=BACKEND_PARAMS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    name: str = request.param
    if name == "postgres":
        url = postgres_url()
        if not postgres_answers(url):
            pytest.skip(f"postgres backend: no PostgreSQL server answers at {url}")
        monkeypatch.setenv("DATABASE_URL", url)
    if name == "pyspark":
        request.getfixturevalue("spark_session")
    return name


_RESULTS: dict[tuple[str, str, str, str, str], pa.Table] = {}


@pytest.fixture(scope="session")
def run_engine() -> Any:
    """compute() with results cached per backend, folder and months (Spark is slow to start)."""

    def run(registers: Path | str, start: str, end: str, backend: str = "duckdb", **kw: Any) -> pa.Table:
        key = (backend, str(registers), start, end, repr(sorted(kw.items())))
        if key not in _RESULTS:
            _RESULTS[key] = compute(registers, start, end, backend=backend, **kw)
        return _RESULTS[key]

    return run


def cells(table: pa.Table) -> dict[tuple[str, str, str], tuple[int, int | None, float]]:
    """Output rows keyed by (indicator, unit_id, period)."""
    return {
        (r["indicator"], r["unit_id"], r["period"]): (r["numerator"], r["denominator"], r["value"])
        for r in table.to_pylist()
    }
