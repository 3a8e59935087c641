"""Citizen pathways on every backend: a hand-worked register set, to the last person.

Cohort months: youth and cash benefit in March 2025 (month end Mon 31 Mar, reference week
31 Mar), the elderly in the first quarter of 2025 (month 0 = March). Followed: April (month end
Wed 30 Apr, reference week 28 Apr), May (Sat 31 May, 26 May), June (Mon 30 Jun, 30 Jun). The
registers hold employment data from January to June, so no more than three months can be followed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from driftsblik.engine import backends, compute
from driftsblik.engine.contract import Registers, open_registers
from driftsblik.engine.errors import EngineInputError
from driftsblik.engine.pathways import (
    STATUSES,
    PathwayResult,
    cohort_pathway,
    cohort_pathway_units,
    combine,
    parse_start,
)
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS, EXAMPLES
from driftsblik.engine.tests.edges import Builder, weeks_ending

pytestmark = ENGINE_WARNINGS

D = dt.date


def pathway_registers() -> Builder:
    b = Builder()
    # a working adult outside every cohort: employment data from January to June
    b.person("filler", D(1985, 1, 1))
    b.hours("filler", D(2025, 1, 1), 160)
    b.hours("filler", D(2025, 6, 1), 160)

    # --- young people, NEET in January, February and March 2025
    b.person("ya", D(2000, 5, 5), unge="UNG-A", beskaeftigelse="JOB-1")
    b.weeks("ya", [D(2025, 3, 31)])  # kontanthjaelp in March's reference week
    b.hours("ya", D(2025, 4, 1), 30, 20)  # 50 hours from two employers: job in April
    b.education("ya", D(2025, 5, 1), None)  # education from May
    b.hours("ya", D(2025, 6, 1), 45)  # job beats education in June
    b.person("yb", D(2001, 6, 6), moved_out=D(2025, 5, 20), unge="UNG-A")
    b.weeks("yb", [D(2025, 4, 28)])  # kontanthjaelp in April; moved away in May
    b.person(
        "yc",
        D(2002, 7, 7),
        unge=[("UNG-B", D(2020, 1, 1), D(2025, 4, 30)), ("UNG-A", D(2025, 5, 1), None)],
        beskaeftigelse=[("JOB-1", D(2024, 1, 1), D(2025, 3, 15)), ("JOB-2", D(2025, 3, 16), None)],
        aeldre=[("HJ-X", D(2020, 1, 1), D(2025, 2, 28))],  # ended before the pathway: not counted
    )
    b.hours("yc", D(2025, 4, 1), 60)
    b.admission("yc", D(2025, 4, 10), D(2025, 4, 12), False)  # admitted beats job in April
    b.weeks("yc", [D(2025, 6, 30)], "dagpenge")
    b.person("yd", D(2003, 8, 8))  # no assignment: _unassigned
    b.hours("yd", D(2025, 4, 1), 20)  # under 40 hours: other
    b.weeks("yd", [D(2025, 5, 26)], "other")
    b.person("ye", D(2003, 8, 8), unge="UNG-A")  # in education in February: not NEET
    b.education("ye", D(2025, 2, 1), D(2025, 2, 28))
    b.person("yf", D(1994, 1, 1), unge="UNG-A")  # 31: not young

    # --- a long-term cash-benefit recipient in March (45 weeks ending with 31 March)
    b.person("c1", D(1980, 2, 2), beskaeftigelse="JOB-2")
    b.weeks("c1", weeks_ending(D(2025, 3, 31), 45))
    b.weeks("c1", [D(2025, 4, 28), D(2025, 5, 26)], "ressourceforloeb")
    b.person("c2", D(1980, 2, 2), beskaeftigelse="JOB-2")  # 30 weeks: not long-term
    b.weeks("c2", weeks_ending(D(2025, 3, 31), 30))

    # --- the elderly discharged in the first quarter of 2025
    b.person("o1", D(1950, 1, 1), aeldre="HJ-1")
    b.admission("o1", D(2025, 2, 5), D(2025, 2, 10), False)
    b.admission("o1", D(2025, 4, 5), D(2025, 4, 8), True)  # readmitted in April
    b.person("o2", D(1950, 1, 1), aeldre=[("HJ-1", D(2020, 1, 1), D(2025, 1, 31)), ("HJ-2", D(2025, 2, 1), None)])
    b.admission("o2", D(2025, 1, 2), D(2025, 1, 5), False)  # first discharge: HJ-1
    b.admission("o2", D(2025, 3, 1), D(2025, 3, 2), False)  # admitted in March (month 0)
    b.person("o3", D(1961, 1, 1), aeldre="HJ-1")  # 64: not in the cohort
    b.admission("o3", D(2025, 2, 5), D(2025, 2, 10), False)
    b.person("o4", D(1950, 1, 1), aeldre="HJ-1")  # discharged in April: next quarter
    b.admission("o4", D(2025, 4, 1), D(2025, 4, 2), False)
    return b


@pytest.fixture(scope="module")
def pathway_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pathway_registers().write(tmp_path_factory.mktemp("pathways"))


@pytest.fixture
def opened(backend: str, pathway_dir: Path) -> Iterator[tuple[Registers, Any, str]]:
    con = backends.connect(backend)
    regs, problems = open_registers(pathway_dir, con, backend)
    assert regs is not None, problems
    yield regs, con, backend
    backends.close(con, backend)


def statuses(result: PathwayResult) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for r in result.statuses.to_pylist():
        if r["persons"]:
            out.setdefault(r["offset"], {})[r["status"]] = r["persons"]
    return out


def transitions(result: PathwayResult) -> set[tuple[int, str, str, int]]:
    return {(r["offset"], r["from_status"], r["to_status"], r["persons"]) for r in result.transitions.to_pylist()}


def silos(result: PathwayResult) -> dict[tuple[str, str], tuple[int, int]]:
    return {(r["dimension"], r["bucket"]): (r["persons"], r["outcome"]) for r in result.silos.to_pylist()}


def test_youth_pathway_hand_worked(opened: tuple[Registers, Any, str]) -> None:
    regs, con, backend = opened
    result = cohort_pathway(regs, con, backend, cohort="youth_neet", start="2025-03", months=24)
    assert result.cohort_size == 4
    assert result.cohort_month == "2025-03"
    assert result.months_followed == 3  # employment data end in June
    assert statuses(result) == {
        0: {"kontanthjaelp": 1, "other": 3},
        1: {"job": 1, "kontanthjaelp": 1, "admitted": 1, "other": 1},
        2: {"education": 1, "moved_away": 1, "other": 1, "benefit_other": 1},
        3: {"job": 1, "moved_away": 1, "dagpenge": 1, "other": 1},
    }
    # every month has a row per status, summing to the cohort size
    for offset in range(4):
        rows = [r for r in result.statuses.to_pylist() if r["offset"] == offset]
        assert [r["status"] for r in rows] == list(STATUSES)
        assert sum(r["persons"] for r in rows) == 4
    assert transitions(result) == {
        (1, "kontanthjaelp", "job", 1),
        (1, "other", "kontanthjaelp", 1),
        (1, "other", "admitted", 1),
        (1, "other", "other", 1),
        (2, "job", "education", 1),
        (2, "kontanthjaelp", "moved_away", 1),
        (2, "admitted", "other", 1),
        (2, "other", "benefit_other", 1),
        (3, "education", "job", 1),
        (3, "moved_away", "moved_away", 1),
        (3, "other", "dagpenge", 1),
        (3, "benefit_other", "other", 1),
    }
    assert silos(result) == {
        ("units", "0"): (1, 0),  # yd
        ("units", "1"): (1, 0),  # yb
        ("units", "2"): (1, 1),  # ya, in a job at the end
        ("units", "3"): (0, 0),
        ("units", "4+"): (1, 0),  # yc: UNG-B, UNG-A, JOB-1, JOB-2
        ("domains", "0"): (1, 0),
        ("domains", "1"): (1, 0),
        ("domains", "2"): (2, 1),
        ("domains", "3"): (0, 0),
    }


def test_youth_pathway_of_units(opened: tuple[Registers, Any, str]) -> None:
    regs, con, backend = opened
    a = cohort_pathway(regs, con, backend, cohort="youth_neet", start="2025-03", months=2, unit_ids=["UNG-A"])
    assert a.cohort_size == 2  # ya, yb (yc is attributed to UNG-B at the end of March)
    assert a.months_followed == 2
    assert statuses(a) == {
        0: {"kontanthjaelp": 1, "other": 1},
        1: {"job": 1, "kontanthjaelp": 1},
        2: {"education": 1, "moved_away": 1},
    }
    b = cohort_pathway(regs, con, backend, cohort="youth_neet", start="2025-03", months=1, unit_ids=["UNG-B", "X"])
    assert b.cohort_size == 1
    none = cohort_pathway(regs, con, backend, cohort="youth_neet", start="2025-03", months=1, unit_ids=["NOPE"])
    assert none.cohort_size == 0
    assert none.statuses.num_rows == 0 and none.transitions.num_rows == 0 and none.silos.num_rows == 0


def test_cash_and_elderly_pathways(opened: tuple[Registers, Any, str]) -> None:
    regs, con, backend = opened
    cash = cohort_pathway(regs, con, backend, cohort="cash_long_term", start="2025-03", months=2)
    assert cash.cohort_size == 1
    assert statuses(cash) == {0: {"kontanthjaelp": 1}, 1: {"ressourceforloeb": 1}, 2: {"ressourceforloeb": 1}}
    old = cohort_pathway(regs, con, backend, cohort="elderly_discharged", start="2025Q1", months=3)
    assert old.cohort_size == 2
    assert old.cohort_month == "2025-03"
    assert statuses(old) == {
        0: {"admitted": 1, "other": 1},
        1: {"admitted": 1, "other": 1},
        2: {"other": 2},
        3: {"other": 2},
    }
    hj1 = cohort_pathway(regs, con, backend, cohort="elderly_discharged", start="2025-02", months=1, unit_ids=["HJ-1"])
    assert hj1.cohort_size == 2  # o2's first discharge (5 January) was while assigned to HJ-1
    hj2 = cohort_pathway(regs, con, backend, cohort="elderly_discharged", start="2025Q1", months=1, unit_ids=["HJ-2"])
    assert hj2.cohort_size == 0


def test_no_data_to_follow(opened: tuple[Registers, Any, str]) -> None:
    regs, con, backend = opened
    result = cohort_pathway(regs, con, backend, cohort="youth_neet", start="2025-06", months=6)
    assert result.months_followed == 0
    assert {r["offset"] for r in result.statuses.to_pylist()} <= {0}


def test_cohort_matches_the_indicators() -> None:
    """The cohort of a unit and month is exactly the persons counted by the indicator (public example)."""
    folder = EXAMPLES / "registers-small"
    out = compute(folder, "2025-06", "2025-06", indicators=["youth_neet_3m", "cash_benefit_long_term"])
    con = backends.connect("duckdb")
    regs, problems = open_registers(folder, con, "duckdb")
    assert regs is not None, problems
    cohorts = {"youth_neet_3m": "youth_neet", "cash_benefit_long_term": "cash_long_term"}
    checked = 0
    for r in out.to_pylist():
        got = cohort_pathway(
            regs, con, "duckdb", cohort=cohorts[r["indicator"]], start="2025-06", months=1, unit_ids=[r["unit_id"]]
        )
        assert got.cohort_size == r["numerator"], r
        checked += r["numerator"]
    assert checked > 0
    backends.close(con, "duckdb")


@pytest.mark.parametrize(
    ("cohort", "start", "expected"),
    [
        ("youth_neet", "2025-03", (2025 * 12 + 2, 2025 * 12 + 2)),
        ("elderly_discharged", "2025-05", (2025 * 12 + 3, 2025 * 12 + 5)),
        ("elderly_discharged", "2025q4", (2025 * 12 + 9, 2025 * 12 + 11)),
    ],
)
def test_parse_start(cohort: str, start: str, expected: tuple[int, int]) -> None:
    from driftsblik.engine.pathways import COHORTS

    assert parse_start(COHORTS[cohort], start) == expected


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"cohort": "nobody", "start": "2025-03"}, "unknown cohort"),
        ({"cohort": "youth_neet", "start": "2025-03", "months": 25}, "from 1 to 24"),
        ({"cohort": "youth_neet", "start": "2025-03", "months": 0}, "from 1 to 24"),
        ({"cohort": "youth_neet", "start": "2025Q1"}, "not a quarter"),
        ({"cohort": "elderly_discharged", "start": "2025Q5"}, "not a quarter"),
        ({"cohort": "youth_neet", "start": "March"}, "not a month"),
    ],
)
def test_bad_arguments(pathway_dir: Path, kw: dict[str, Any], message: str) -> None:
    con = backends.connect("duckdb")
    regs, _ = open_registers(pathway_dir, con, "duckdb")
    assert regs is not None
    with pytest.raises(EngineInputError, match=message):
        cohort_pathway(regs, con, "duckdb", **kw)
    backends.close(con, "duckdb")


def _rows(result: PathwayResult) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        result.cohort_size,
        result.statuses.to_pylist(),
        result.transitions.to_pylist(),
        result.silos.to_pylist(),
    )


@pytest.mark.parametrize(("cohort", "start"), [("youth_neet", "2025-03"), ("elderly_discharged", "2025Q1")])
def test_pathways_per_unit_add_up_to_any_units_pathway(
    opened: tuple[Registers, Any, str], cohort: str, start: str
) -> None:
    """One grouped computation gives each register unit's pathway; any set of units' pathway (a
    sector's, the municipality's) is theirs added up, to the last row and in the same order."""
    regs, con, backend = opened
    per_unit = cohort_pathway_units(regs, con, backend, cohort=cohort, start=start, months=3)
    assert per_unit and all(r.cohort_size > 0 and r.unit_ids == (u,) for u, r in per_unit.items())
    whole = cohort_pathway(regs, con, backend, cohort=cohort, start=start, months=3)
    assert _rows(combine(list(per_unit.values()))) == _rows(whole)
    for unit, result in per_unit.items():
        alone = cohort_pathway(regs, con, backend, cohort=cohort, start=start, months=3, unit_ids=[unit])
        assert _rows(result) == _rows(alone)
        assert _rows(combine([result], [unit])) == _rows(alone)
    units = sorted(per_unit)[:2]
    some = cohort_pathway(regs, con, backend, cohort=cohort, start=start, months=3, unit_ids=units)
    assert _rows(combine([per_unit[u] for u in units], units)) == _rows(some)
