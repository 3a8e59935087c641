"""Bad registers are refused with a report: table, count and a few example rows; nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.engine import RegisterValidationError, compute
from driftsblik.engine.cli import run_compute
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS
from driftsblik.engine.tests.edges import Builder, edge_registers

pytestmark = ENGINE_WARNINGS
D = dt.date


def problems_of(folder: Path) -> dict[tuple[str, str], object]:
    with pytest.raises(RegisterValidationError) as info:
        compute(folder, "2025-01", "2025-01")
    return {(p.table, p.kind): p for p in info.value.problems}


def add(table: str, **row: object) -> Callable[[Builder], None]:
    def change(b: Builder) -> None:
        b.rows[table].append(row)

    return change


CASES = {
    "unknown domain": (
        add("assignments", person_id="c41", domain="skole", unit_id="X", valid_from=D(2020, 1, 1), valid_to=None),
        ("assignments", "unknown_domain"),
    ),
    "unknown benefit": (
        add("benefit_weeks", person_id="c41", week=D(2023, 1, 2), benefit="loen"),
        ("benefit_weeks", "unknown_benefit"),
    ),
    "two rows for one person and week": (
        add("benefit_weeks", person_id="c42", week=D(2025, 1, 27), benefit="kontanthjaelp"),
        ("benefit_weeks", "duplicate"),
    ),
    "week not a Monday": (
        add("benefit_weeks", person_id="y29", week=D(2025, 1, 28), benefit="dagpenge"),
        ("benefit_weeks", "week_not_monday"),
    ),
    "negative hours": (
        add("employment_hours", person_id="c41", month=D(2025, 1, 1), hours=-3),
        ("employment_hours", "negative_hours"),
    ),
    "discharge before admission": (
        add("admissions", person_id="o1", admitted=D(2025, 3, 5), discharged=D(2025, 3, 1), preventable="false"),
        ("admissions", "discharge_before_admission"),
    ),
    "assignment ends before it starts": (
        add(
            "assignments",
            person_id="cun",
            domain="aeldre",
            unit_id="X",
            valid_from=D(2024, 5, 1),
            valid_to=D(2024, 4, 1),
        ),
        ("assignments", "ends_before_start"),
    ),
    "overlapping assignments": (
        add(
            "assignments",
            person_id="c41",
            domain="beskaeftigelse",
            unit_id="X",
            valid_from=D(2024, 1, 1),
            valid_to=None,
        ),
        ("assignments", "overlap"),
    ),
    "missing required value": (
        add("persons", person_id="zz", birth_date=None, moved_in=None, moved_out=None),
        ("persons", "missing_value"),
    ),
    "birth year 1800": (
        add("persons", person_id="zz", birth_date=D(1800, 5, 1), moved_in=None, moved_out=None),
        ("persons", "birth_date_out_of_range"),
    ),
    "birth year 2999": (
        add("persons", person_id="zz", birth_date=D(2999, 5, 1), moved_in=None, moved_out=None),
        ("persons", "birth_date_out_of_range"),
    ),
    "wrong type in a CSV": (
        add("employment_hours", person_id="c41", month="januar", hours=3),
        ("employment_hours", "wrong_type"),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_is_reported(case: str, tmp_path: Path) -> None:
    change, key = CASES[case]
    b = edge_registers()
    change(b)
    found = problems_of(b.write(tmp_path))
    assert key in found, found
    problem = found[key]
    assert problem.count >= 1  # type: ignore[attr-defined]
    assert problem.examples  # type: ignore[attr-defined]
    assert key[0] in problem.render()  # type: ignore[attr-defined]


def test_missing_table_and_column(tmp_path: Path) -> None:
    folder = edge_registers().write(tmp_path)
    (folder / "education.csv").unlink()
    text = (folder / "admissions.csv").read_text().replace("preventable", "avoidable")
    (folder / "admissions.csv").write_text(text)
    found = problems_of(folder)
    assert ("education", "missing_table") in found
    assert ("admissions", "missing_column") in found


def test_wrong_type_in_parquet(tmp_path: Path) -> None:
    folder = edge_registers().write(tmp_path)
    (folder / "persons.csv").unlink()
    pq.write_table(
        pa.table({"person_id": [1, 2], "birth_date": ["x", "y"], "moved_in": [None, None], "moved_out": [None, None]}),
        folder / "persons.parquet",
    )
    found = problems_of(folder)
    assert ("persons", "wrong_type") in found


def test_report_and_nothing_written(tmp_path: Path) -> None:
    b = edge_registers()
    CASES["negative hours"][0](b)
    folder = b.write(tmp_path / "regs")
    out = tmp_path / "out.csv"
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_compute(
        {"registers": str(folder), "start": "2025-01", "end": "2025-01", "out": str(out)}, stdout, stderr
    )
    assert code == 1
    assert not out.exists()
    report = stderr.getvalue()
    assert "employment_hours: negative hours (1 row)" in report
    assert "hours=-3" in report


def test_good_registers_pass(tmp_path: Path) -> None:
    from driftsblik.engine import backends
    from driftsblik.engine.contract import open_registers
    from driftsblik.engine.validate import check_registers

    con = backends.connect("duckdb")
    regs, problems = open_registers(edge_registers().write(tmp_path), con, "duckdb")
    assert regs is not None and not problems
    assert check_registers(regs) == []


def _duplicate_counts(rows: list[tuple[str, dt.date]]) -> tuple[int, int]:
    """(the count found through the per-person bit sets on DuckDB, by the plain group-by)."""
    import ibis

    from driftsblik.engine import backends
    from driftsblik.engine.runner import Runner
    from driftsblik.engine.validate import _benefit_week_duplicates
    from driftsblik.engine.weeks import week_sets

    con = backends.connect("duckdb")
    data = pa.table(
        {
            "person_id": pa.array([p for p, _ in rows], pa.string()),
            "week": pa.array([w for _, w in rows], pa.date32()),
            "benefit": pa.array(["dagpenge"] * len(rows), pa.string()),
        }
    )
    t = con.create_table("bw", ibis.memtable(data), temp=True)
    with Runner(con, "duckdb") as runner:
        sets = week_sets(t, runner)
        assert sets is not None
        fast = _benefit_week_duplicates(t, sets, runner).problems()
        plain = _benefit_week_duplicates(t, None, runner).problems()
    return (fast[0].count if fast else 0), (plain[0].count if plain else 0)


def test_duplicate_weeks_far_apart_in_a_long_register() -> None:
    monday = D(2020, 1, 6)
    weeks = [monday + dt.timedelta(weeks=k) for k in range(0, 300, 7)]
    rows = [("p1", w) for w in weeks] + [("p2", monday), ("p1", weeks[-1])]  # the copy in the last mask word
    assert _duplicate_counts(rows) == (2, 2)


def test_a_monday_and_a_tuesday_of_one_week_are_not_a_duplicate() -> None:
    rows = [("p1", D(2025, 1, 27)), ("p1", D(2025, 1, 28)), ("p2", D(2025, 1, 27))]
    assert _duplicate_counts(rows) == (0, 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(min_value=0, max_value=1400)),
        min_size=1,
        max_size=40,
    )
)
def test_the_fast_duplicate_check_agrees_with_the_group_by(rows: list[tuple[str, int]]) -> None:
    start = D(2019, 12, 30)  # a Monday; the days after it are any weekday
    fast, plain = _duplicate_counts([(p, start + dt.timedelta(days=d)) for p, d in rows])
    assert fast == plain


@pytest.mark.parametrize(
    ("table", "row", "column", "value"),
    [
        (
            "persons",
            {"person_id": "zz", "birth_date": "1990-02-30", "moved_in": None, "moved_out": None},
            "birth_date",
            "1990-02-30",
        ),
        ("education", {"person_id": "y29", "start_date": "2026-04-31", "end_date": None}, "start_date", "2026-04-31"),
    ],
)
def test_an_impossible_date_is_refused_with_table_row_and_value(
    tmp_path: Path, table: str, row: dict[str, object], column: str, value: str
) -> None:
    b = edge_registers()
    b.rows[table].append(row)
    found = problems_of(b.write(tmp_path, shuffle=False))
    problem = found[(table, "wrong_type")]
    assert f"column {column} holds values that are not a date" in problem.message  # type: ignore[attr-defined]
    assert problem.examples == [{"row": len(b.rows[table]) + 1, column: value}]  # type: ignore[attr-defined]


def test_a_register_table_with_a_header_and_no_rows_is_refused(tmp_path: Path) -> None:
    b = edge_registers()
    b.rows["education"] = []
    found = problems_of(b.write(tmp_path))
    assert "the table has no rows" in found[("education", "no_rows")].render()  # type: ignore[attr-defined]
    assert [key for key in found if key[1] == "no_rows"] == [("education", "no_rows")]


def test_a_register_file_that_is_not_utf8_names_the_encoding(tmp_path: Path) -> None:
    folder = edge_registers().write(tmp_path)
    text = (folder / "persons.csv").read_text() + "Søren,1980-01-01,,\n"
    (folder / "persons.csv").write_bytes(text.encode("cp1252"))
    rows = text.count("\n")
    found = problems_of(folder)
    message = found[("persons", "not_utf8")].message  # type: ignore[attr-defined]
    assert f"persons.csv is not UTF-8 (byte 0xf8 at row {rows}" in message and "Windows-1252" in message
