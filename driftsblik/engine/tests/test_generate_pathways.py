"""The synthetic registers hold together over time: a move is final, and young people out of job and
education find their way in, as the youth indicator computed from the same registers says they do."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from driftsblik.engine import backends, compute
from driftsblik.engine.contract import open_registers
from driftsblik.engine.generate import generate
from driftsblik.engine.pathways import OUTCOME_STATUSES, cohort_pathway
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS

pytestmark = ENGINE_WARNINGS

FIRST, LAST = "2024-01", "2025-12"


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registers")
    generate(folder, persons=24_000, start=FIRST, end=LAST, seed=11)
    return folder


@pytest.fixture(scope="module")
def opened(registers: Path) -> tuple[Any, Any]:
    con = backends.connect()
    regs, problems = open_registers(registers, con, "duckdb")
    assert not problems
    return regs, con


def test_a_person_who_moved_away_has_no_later_rows_in_any_register(registers: Path) -> None:
    persons = pq.read_table(registers / "persons.parquet").to_pylist()
    gone = {p["person_id"]: p["moved_out"] for p in persons if p["moved_out"] is not None}
    assert len(gone) > 500  # a few percent of 24,000 move away
    dated = {
        "benefit_weeks": "week",
        "employment_hours": "month",
        "education": "start_date",
        "admissions": "admitted",
        "assignments": "valid_from",
    }
    for table, column in dated.items():
        rows = pq.read_table(registers / f"{table}.parquet").to_pylist()
        movers = [r for r in rows if r["person_id"] in gone]
        assert movers, table
        assert all(r[column] < gone[r["person_id"]] for r in movers), table
    for table, column in (("education", "end_date"), ("assignments", "valid_to")):
        for r in pq.read_table(registers / f"{table}.parquet").to_pylist():
            if r["person_id"] in gone:
                # an open study or assignment of a mover ends the day before the move
                assert r[column] is not None and r[column] < gone[r["person_id"]], table


@pytest.mark.parametrize(
    ("cohort", "start", "units"),
    [
        ("youth_neet", "2024-01", None),
        ("youth_neet", "2024-06", ["UNG-T01", "UNG-T02"]),
        ("cash_long_term", "2024-01", None),
        ("elderly_discharged", "2024Q1", None),
    ],
)
def test_moved_away_never_goes_down_along_a_cohort(
    opened: tuple[Any, Any], cohort: str, start: str, units: Any
) -> None:
    regs, con = opened
    result = cohort_pathway(regs, con, "duckdb", cohort=cohort, start=start, months=18, unit_ids=units)
    moved = [r["persons"] for r in result.statuses.to_pylist() if r["status"] == "moved_away"]
    assert len(moved) == 19
    assert moved == sorted(moved)
    leaving = [
        r for r in result.transitions.to_pylist() if r["from_status"] == "moved_away" and r["to_status"] != "moved_away"
    ]
    assert leaving == []
    if units is None:
        assert moved[-1] > 0  # someone did move away


def test_the_neet_cohort_mostly_finds_job_or_education_as_the_youth_indicator_says(
    registers: Path, opened: tuple[Any, Any]
) -> None:
    """Of the young people NEET for three months in January 2024, between 40 % and 75 % are in a job
    or in education a year later and more than 60 % after 23 months; from the same registers, the
    cohort is the youth_neet_3m figure of its month and the young people's share in job or education
    is 85-96 %."""
    regs, con = opened
    figures: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in compute(registers, FIRST, LAST, ["youth_neet_3m", "youth_in_job_or_education"]).to_pylist():
        cell = figures[(r["indicator"], r["period"])]
        cell[0] += r["numerator"]
        cell[1] += r["denominator"] or 0
    result = cohort_pathway(regs, con, "duckdb", cohort="youth_neet", start="2024-01", months=23)
    assert result.months_followed == 23
    assert result.cohort_size == figures[("youth_neet_3m", "2024-01")][0] > 100
    good: dict[int, int] = defaultdict(int)
    for r in result.statuses.to_pylist():
        if r["status"] in OUTCOME_STATUSES:
            good[r["offset"]] += r["persons"]
    assert good[0] == 0  # NEET in the cohort's month
    assert 0.40 <= good[12] / result.cohort_size <= 0.75
    assert good[23] / result.cohort_size > 0.60
    for month in ("2024-01", "2025-01", "2025-12"):
        num, den = figures[("youth_in_job_or_education", month)]
        assert 0.85 < num / den < 0.96
        # the NEET share stays level: the cohort's way out is matched by others coming in
        assert 0.03 < figures[("youth_neet_3m", month)][0] / den < 0.08
