"""Registers may be tables in the backend's database instead of files."""

from __future__ import annotations

import pytest

from driftsblik.engine import RegisterValidationError, backends, compute
from driftsblik.engine.contract import TABLES, read_csv_table
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS, EXAMPLES, cells

pytestmark = ENGINE_WARNINGS


def test_tables_in_the_database_give_the_same_answer() -> None:
    con = backends.connect("duckdb")
    for name in TABLES:
        data, problems = read_csv_table(EXAMPLES / "registers-small" / f"{name}.csv", name)
        assert data is not None and not problems
        con.create_table(name, data)
    from_db = compute("db:", "2025-01", "2025-03", con=con)
    from_files = compute(EXAMPLES / "registers-small", "2025-01", "2025-03")
    assert cells(from_db) == cells(from_files)


def test_missing_database_table_is_reported() -> None:
    con = backends.connect("duckdb")
    with pytest.raises(RegisterValidationError) as info:
        compute("db:", "2025-01", "2025-01", con=con)
    assert {p.kind for p in info.value.problems} == {"missing_table"}
