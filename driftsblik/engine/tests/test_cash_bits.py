"""The cash-benefit weeks counted from per-person bit sets equal the windowed count, and the
hours read once per run give what each family reads alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from driftsblik.engine import backends, compute
from driftsblik.engine.generate import generate
from driftsblik.engine.indicators.cash_benefit import _bit_set_counts, _counts_from_bits, _windowed_counts
from driftsblik.engine.periods import MonthRange, month_label, reference_week
from driftsblik.engine.runner import Runner
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS, postgres_answers, postgres_url
from driftsblik.engine.weeks import week_no, week_sets

pytestmark = ENGINE_WARNINGS

FIRST_MONDAY = dt.date(2019, 12, 30)


@settings(max_examples=30, deadline=None)
@given(
    weeks=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(min_value=0, max_value=400)),
        min_size=1,
        max_size=120,
        unique=True,
    ),
    first=st.integers(min_value=0, max_value=60),
    months=st.integers(min_value=1, max_value=60),
    required=st.integers(min_value=1, max_value=52),
    window=st.integers(min_value=1, max_value=60),
)
def test_bit_sets_count_the_window_like_the_windowed_count(
    weeks: list[tuple[str, int]], first: int, months: int, required: int, window: int
) -> None:
    con = backends.connect("duckdb")
    data = pa.table(
        {
            "person_id": [p for p, _ in weeks],
            "week": pa.array([FIRST_MONDAY + dt.timedelta(weeks=w) for _, w in weeks], pa.date32()),
        }
    )
    bw = con.create_table("bw", ibis.memtable(data), temp=True)
    start = 2020 * 12 + first
    indices = MonthRange(start, start + months - 1).indices
    refs = {m: reference_week(m) for m in indices}
    order = ["person_id", "month_idx"]
    fast = _bit_set_counts(bw, indices, refs, required, window).order_by(order).to_pyarrow().to_pylist()
    plain = _windowed_counts(bw, indices, required, window).order_by(order).to_pyarrow().to_pylist()
    assert fast == plain


@settings(max_examples=30, deadline=None)
@given(
    weeks=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.integers(min_value=0, max_value=400),
            st.sampled_from(["kontanthjaelp", "uddannelseshjaelp", "dagpenge"]),
        ),
        min_size=1,
        max_size=120,
        unique_by=lambda r: (r[0], r[1]),
    ),
    first=st.integers(min_value=0, max_value=60),
    months=st.integers(min_value=1, max_value=36),
)
def test_the_shared_week_sets_count_the_cash_window_like_the_windowed_count(
    weeks: list[tuple[str, int, str]], first: int, months: int
) -> None:
    """The bit sets made once per run (validation and cash benefit share them) hold the cash
    weeks of the run's window, wherever the register's own weeks begin and end."""
    con = backends.connect("duckdb")
    data = pa.table(
        {
            "person_id": [p for p, _, _ in weeks],
            "week": pa.array([FIRST_MONDAY + dt.timedelta(weeks=w) for _, w, _ in weeks], pa.date32()),
            "benefit": [b for _, _, b in weeks],
        }
    )
    bw = con.create_table("bw", ibis.memtable(data), temp=True)
    start = 2020 * 12 + first
    indices = MonthRange(start, start + months - 1).indices
    refs = {m: reference_week(m) for m in indices}
    lo, hi = week_no(refs[indices[0]]) - 51, week_no(refs[indices[-1]])
    sets = week_sets(bw, Runner(con, "duckdb", background=False), (lo, hi))
    assert sets is not None and sets.covers(lo, hi)
    per = sets.table.select("person_id", **{f"b{w}": sets.table[f"c{w}"] for w in sets.cash_words})
    order = ["person_id", "month_idx"]
    shared = _counts_from_bits(per, sets.first, sets.cash_words, indices, refs, 42, 52)
    cash = bw.filter(bw.benefit.isin(["kontanthjaelp", "uddannelseshjaelp"]))
    plain = _windowed_counts(cash, indices, 42, 52)
    got = shared.order_by(order).to_pyarrow().to_pylist()
    assert got == plain.order_by(order).to_pyarrow().to_pylist()
    assert sets.duplicate_rows().to_pyarrow().as_py() == 0


@pytest.mark.parametrize("backend", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize(("months", "seed"), [(1, 1), (6, 2), (40, 3), (60, 4)])
def test_hours_read_once_give_each_indicator_what_it_reads_alone(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, seed: int, months: int, backend: str
) -> None:
    """Up to 62 months of status are bits of one BIGINT per person (40 and 60 months go past 32
    bits, 60 past the 53 a double holds exactly); each family's figures are the same read
    together on DuckDB or PostgreSQL or alone on polars."""
    if backend == "postgres":
        url = postgres_url()
        if not postgres_answers(url):
            pytest.skip(f"postgres backend: no PostgreSQL server answers at {url}")
        monkeypatch.setenv("DATABASE_URL", url)
    folder: Path = tmp_path_factory.mktemp("hours")
    first = MonthRange.parse("2025-01", "2025-01").first - months + 1
    start, end = month_label(first), "2025-01"
    generate(folder, persons=1500, start=month_label(first - 14), end=end, seed=seed)
    together = compute(folder, start, end, backend=backend)
    for code in ("cash_benefit_long_term_in_work", "youth_in_job_or_education", "youth_neet_3m"):
        alone = compute(folder, start, end, indicators=[code], backend="polars")
        mine = together.filter(pa.compute.equal(together["indicator"], code))
        assert mine.equals(alone), code
        assert mine.num_rows > 0


def test_a_changed_hours_threshold_is_read_once_and_applies_to_the_youth_only(tmp_path: Path) -> None:
    """With ``min_hours=20`` the youth's working months change, the cash recipients at work (any
    hours above 0) do not, and reading the hours once for both gives what each reads alone."""
    generate(tmp_path, persons=1500, start="2024-06", end="2025-06", seed=5)
    params = {"min_hours": 20.0}
    together = compute(tmp_path, "2025-01", "2025-06", params=params)
    default = compute(tmp_path, "2025-01", "2025-06")

    def of(table: pa.Table, code: str) -> pa.Table:
        return table.filter(pa.compute.equal(table["indicator"], code))

    for code in ("cash_benefit_long_term_in_work", "youth_in_job_or_education", "youth_neet_3m"):
        own = params if code.startswith("youth") else {}  # (a run refuses a threshold none of its indicators has)
        alone = compute(tmp_path, "2025-01", "2025-06", indicators=[code], params=own, backend="polars")
        assert of(together, code).equals(alone), code
    assert of(together, "cash_benefit_long_term_in_work").equals(of(default, "cash_benefit_long_term_in_work"))
    youth = of(together, "youth_in_job_or_education")["numerator"].to_pylist()
    assert sum(youth) > sum(of(default, "youth_in_job_or_education")["numerator"].to_pylist())


def test_week_numbers_on_duckdb_are_the_python_week_numbers_for_any_date() -> None:
    from driftsblik.engine.weeks import week_no_of

    con = backends.connect("duckdb")
    days = [dt.date(1900, 1, 1) + dt.timedelta(days=i) for i in range(0, 60000, 3)]
    days += [dt.date(1, 1, 1), dt.date(1969, 12, 29), dt.date(1969, 12, 31), dt.date(1970, 1, 1), dt.date(9999, 12, 31)]
    t = ibis.memtable({"d": days})
    got = con.to_pyarrow(t.select(k=week_no_of(t.d)))["k"].to_pylist()
    assert got == [week_no(d) for d in days]
