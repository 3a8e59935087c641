"""The generator (deterministic, plausible) and the DREAM import."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from driftsblik.engine import RegisterValidationError, compute
from driftsblik.engine.dream import dream_to_benefit_weeks, import_dream, week_monday
from driftsblik.engine.errors import EngineInputError
from driftsblik.engine.generate import DEFAULT_UNITS, generate, read_units
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS

pytestmark = ENGINE_WARNINGS


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        h.update(pq.read_table(f).to_string(show_metadata=False, preview_cols=0).encode())
        h.update(str(pq.read_table(f).to_pylist()).encode())
    return h.hexdigest()


def test_same_seed_same_registers(tmp_path: Path) -> None:
    generate(tmp_path / "a", persons=2000, start="2025-01", end="2025-03", seed=7)
    generate(tmp_path / "b", persons=2000, start="2025-01", end="2025-03", seed=7)
    generate(tmp_path / "c", persons=2000, start="2025-01", end="2025-03", seed=8)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


# Per-table digests of generate(persons=2000, start="2024-11", end="2025-02", seed=7), made by the
# generator since moves became final and young people's spells out of job and education began: the
# same seed must keep giving the same draws.
STORED_DIGESTS = {
    "admissions": "e709ec57db8c3169",
    "assignments": "44d35cc3822fd219",
    "benefit_weeks": "087136156cd7c388",
    "education": "2942853cb848e668",
    "employment_hours": "ed3c9c7fe4b1f3ad",
    "persons": "87d2faaa925bd0d7",
}


def test_a_seed_gives_the_stored_registers_row_for_row(tmp_path: Path) -> None:
    generate(tmp_path, persons=2000, start="2024-11", end="2025-02", seed=7)
    found = {
        f.stem: hashlib.sha256(str(pq.read_table(f).to_pylist()).encode()).hexdigest()[:16]
        for f in sorted(tmp_path.iterdir())
    }
    assert found == STORED_DIGESTS


def test_pseudonyms_and_unsorted_rows(tmp_path: Path) -> None:
    generate(tmp_path, persons=3000, start="2025-01", end="2025-02", seed=3)
    ids = pq.read_table(tmp_path / "persons.parquet").column("person_id").to_pylist()
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids)
    assert ids != sorted(ids)
    weeks = pq.read_table(tmp_path / "benefit_weeks.parquet").column("person_id").to_pylist()
    assert weeks != sorted(weeks)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, int]]:
    folder = tmp_path_factory.mktemp("demo")
    generate(folder, persons=64_000, start="2025-01", end="2025-12", seed=1)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    units: dict[str, set[str]] = defaultdict(set)
    for r in compute(folder, "2025-06", "2025-06").to_pylist():
        totals[r["indicator"]][0] += r["numerator"]
        totals[r["indicator"]][1] += r["denominator"] or 0
        units[r["indicator"]].add(r["unit_id"])
    assert units["youth_neet_3m"] == {*DEFAULT_UNITS["unge"], "_unassigned"}
    assert units["elderly_preventable_admissions_per_1000"] == {*DEFAULT_UNITS["aeldre"], "_unassigned"}
    assert set(DEFAULT_UNITS["beskaeftigelse"]) <= units["cash_benefit_long_term"]
    return {k: (v[0], v[1]) for k, v in totals.items()}


def test_demo_levels_are_plausible(demo: dict[str, tuple[int, int]]) -> None:
    youth = demo["youth_in_job_or_education"][1]
    assert 9_000 < youth < 14_000  # 15-29 year-olds: about a fifth of 64,000
    assert 0.02 < demo["youth_neet_3m"][0] / youth < 0.08  # a few percent NEET for three months
    assert 0.85 < demo["youth_in_job_or_education"][0] / youth < 0.96
    assert 200 < demo["cash_benefit_long_term"][0] < 1_500
    num, den = demo["cash_benefit_long_term_in_work"]
    assert 0.08 < num / den < 0.35
    num, den = demo["elderly_readmission_30d"]
    assert 0.08 < num / den < 0.25
    num, den = demo["elderly_preventable_admissions_per_1000"]
    assert 2 < 1000 * num / den < 15  # per 1000 residents 65+ per month
    assert 10_000 < den < 16_000


def test_units_file(tmp_path: Path) -> None:
    f = tmp_path / "units.csv"
    f.write_text("domain,unit_id\nbeskaeftigelse,J1\nunge,U1\naeldre,A1\naeldre,A2\n")
    units = read_units(f)
    generate(tmp_path / "r", persons=500, start="2025-01", end="2025-01", units=units)
    got = set(pq.read_table(tmp_path / "r" / "assignments.parquet").column("unit_id").to_pylist())
    assert got <= {"J1", "U1", "A1", "A2"}
    f.write_text("domain,unit_id\nskole,S1\n")
    with pytest.raises(EngineInputError):
        read_units(f)


def test_dream_week_columns() -> None:
    assert week_monday("y_2501") == dt.date(2024, 12, 30)
    assert week_monday("y_9901") == dt.date(1999, 1, 4)
    with pytest.raises(EngineInputError):
        week_monday("y_2554")


def test_dream_import(tmp_path: Path) -> None:
    dream = tmp_path / "dream.csv"
    dream.write_text("person_id,y_2501,y_2502,y_2503\nA,111,111,\nB,,890,130\n")
    codes = tmp_path / "codes.csv"
    codes.write_text("code,benefit\n111,kontanthjaelp\n130,dagpenge\n890,-\n")
    path, n = import_dream(dream, codes, tmp_path / "out", file_format="csv")
    assert n == 3
    with open(path) as f:
        rows = sorted((r["person_id"], r["week"], r["benefit"]) for r in csv.DictReader(f))
    assert rows == [
        ("A", "2024-12-30", "kontanthjaelp"),
        ("A", "2025-01-06", "kontanthjaelp"),
        ("B", "2025-01-13", "dagpenge"),
    ]


def test_dream_refuses_unknown_codes_and_duplicates() -> None:
    data = pa.table({"person_id": ["A", "A"], "y_2501": ["111", "999"]})
    with pytest.raises(RegisterValidationError) as info:
        dream_to_benefit_weeks(data, {"111": "kontanthjaelp"})
    kinds = {p.kind for p in info.value.problems}
    assert kinds == {"duplicate", "unknown_code"}


def test_dream_refuses_unknown_benefit_in_mapping(tmp_path: Path) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("code,benefit\n111,loen\n")
    dream = tmp_path / "dream.csv"
    dream.write_text("person_id,y_2501\nA,111\n")
    with pytest.raises(RegisterValidationError):
        import_dream(dream, codes, tmp_path / "out")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("person_id,y_2501\nSøren,111\n".encode("cp1252"), "dream.csv is not UTF-8 (byte 0xf8 at row 2"),
        (b"", "the DREAM file is empty"),
        (b"person_id,y_2501\n", "the DREAM file has no rows"),
    ],
)
def test_a_dream_file_that_is_empty_or_not_utf8_is_refused_with_a_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    import io

    from driftsblik.engine.cli import run_import_dream

    dream, codes = tmp_path / "dream.csv", tmp_path / "codes.csv"
    dream.write_bytes(content)
    codes.write_text("code,benefit\n111,kontanthjaelp\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    options = {"file": str(dream), "codes": str(codes), "out": str(tmp_path / "out")}
    assert run_import_dream(options, stdout, stderr) == 1
    assert reason in stderr.getvalue()
    assert not (tmp_path / "out").exists()


def test_a_dream_mapping_that_is_not_utf8_is_refused_with_a_reason(tmp_path: Path) -> None:
    dream, codes = tmp_path / "dream.csv", tmp_path / "codes.csv"
    dream.write_text("person_id,y_2501\nA,111\n")
    codes.write_bytes("code,benefit\n111,kontanthjaelp\n112,ikke på ydelse\n".encode("cp1252"))
    with pytest.raises(RegisterValidationError, match=r"codes.csv is not UTF-8 \(byte 0xe5 at row 3"):
        import_dream(dream, codes, tmp_path / "out")
