"""Rules that hold for every dataset: units add up to the municipality; incremental runs agree."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.engine import compute
from driftsblik.engine.generate import generate
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS

pytestmark = ENGINE_WARNINGS


def totals(table: object) -> dict[tuple[str, str], tuple[int, int]]:
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in table.to_pylist():  # type: ignore[attr-defined]
        out[(r["indicator"], r["period"])][0] += r["numerator"]
        out[(r["indicator"], r["period"])][1] += r["denominator"] or 0
    return {k: (v[0], v[1]) for k, v in out.items()}


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), persons=st.integers(50, 1500))
def test_units_add_up_to_the_municipality(tmp_path_factory: pytest.TempPathFactory, seed: int, persons: int) -> None:
    folder = tmp_path_factory.mktemp("prop")
    generate(folder, persons=persons, start="2025-01", end="2025-03", seed=seed)
    by_unit = totals(compute(folder, "2025-01", "2025-03"))
    # the municipality as one unit: every assignment to the same unit, so nobody moves between
    # units (an empty assignments table is refused: every register table is needed)
    a = pq.read_table(folder / "assignments.parquet")
    one = pa.array(["ALL"] * a.num_rows, type=a.schema.field("unit_id").type)
    pq.write_table(a.set_column(a.schema.get_field_index("unit_id"), "unit_id", one), folder / "assignments.parquet")
    whole = compute(folder, "2025-01", "2025-03")
    assert set(whole.column("unit_id").to_pylist()) <= {"ALL", "_unassigned"}
    for key, (num, den) in totals(whole).items():
        got = by_unit.get(key, (0, 0))
        assert got[0] == num, key
        if not key[0].startswith(("cash_benefit_long_term", "youth_neet")) or key[0].endswith("in_work"):
            assert got[1] == den, key


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("year")
    generate(folder, persons=4000, start="2025-01", end="2025-12", seed=11)
    return folder


def test_incremental_month_equals_full_run(year: Path) -> None:
    full = compute(year, "2025-01", "2025-12")
    one = compute(year, "2025-12", "2025-12")
    want = [r for r in full.to_pylist() if r["period"] == "2025-12"]
    assert one.to_pylist() == want


def test_incremental_run_reads_only_its_window(year: Path) -> None:
    """One month's expressions filter every large table to that month's window before any join."""
    from driftsblik.engine import backends
    from driftsblik.engine.contract import open_registers
    from driftsblik.engine.indicators import INDICATORS, Context
    from driftsblik.engine.periods import MonthRange

    con = backends.connect("duckdb")
    regs, _ = open_registers(year, con, "duckdb")
    assert regs is not None
    ctx = Context(regs, MonthRange.parse("2025-12", "2025-12"), None, "duckdb")
    sql = str(con.compile(INDICATORS["cash_benefit_long_term"](ctx)))
    # the reference week is Monday 29 Dec 2025; its 52-week window starts on Monday 6 Jan 2025
    assert "MAKE_DATE(2025, 1, 6)" in sql.upper()
    assert "MAKE_DATE(2024" not in sql.upper()


def test_registers_read_into_duckdb_or_scanned_from_parquet_give_the_same_output(
    year: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from driftsblik.engine import contract

    loaded: list[bool] = []
    real = contract._read_parquet

    def spy(con: object, backend: str, table_name: str, *args: object) -> object:
        # a file read to be copied is opened under the copy's name with "_file" added
        loaded.append(table_name.endswith("_file"))
        return real(con, backend, table_name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(contract, "_read_parquet", spy)
    monkeypatch.setattr(contract, "NATIVE_LOAD_MIN_BYTES", 0)
    native = compute(year, "2025-01", "2025-12")
    # the four smaller tables are copied, benefit weeks and employment hours scanned
    assert loaded == [name in contract.NATIVE_TABLES for name in contract.TABLES]
    assert loaded.count(True) == 4
    monkeypatch.setattr(contract, "NATIVE_LOAD_MIN_BYTES", 10**12)
    loaded.clear()
    scanned = compute(year, "2025-01", "2025-12")
    assert loaded == [False] * 6
    assert scanned.to_pylist() == native.to_pylist()
