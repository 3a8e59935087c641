"""A plain CSV file of observations is read in blocks of columns (`observation_blocks`): the problems
are those of reading it row by row, complete across blocks, nothing is kept when there are any, and
a file the columns cannot number right is read row by row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from driftsblik.core import tabular
from driftsblik.core.tabular import ImportRejected
from driftsblik.indicators.models import ImportBatch, Observation, ObservationRevision
from driftsblik.indicators.services import observations as observations_service
from driftsblik.indicators.services import observations_import
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree, snapshot, write

pytestmark = pytest.mark.django_db

HEADER = "indicator,unit_id,period,numerator,denominator\n"
MONTHS = [f"{year}-{month:02d}" for year in (2023, 2024, 2025) for month in range(1, 13)]


@pytest.fixture
def setup(monkeypatch):
    monkeypatch.setattr(tabular, "COLUMN_BLOCK_BYTES", 256)  # about ten rows a block
    small_tree()
    indicator("visits")
    indicator("share", measure="share")
    indicator("rate", measure="rate_per_1000")
    observe("visits", "T11", "2025-01", 5)


@pytest.fixture
def paths(monkeypatch):
    """Which reader an import used: 'columns' or 'rows'."""
    used: list[str] = []
    by_rows = observations_service._store_stream
    by_columns = observations_service._store_columns

    def rows(*args, **kwargs):
        used.append("rows")
        return by_rows(*args, **kwargs)

    def columns(*args, **kwargs):
        summary = by_columns(*args, **kwargs)
        if summary is not None:
            used.append("columns")
        return summary

    monkeypatch.setattr(observations_service, "_store_stream", rows)
    monkeypatch.setattr(observations_service, "_store_columns", columns)
    return used


def _good(units=("T11", "T12", "T21")) -> list[str]:
    return [f"share,{u},{m},{i % 7},10" for u in units for i, m in enumerate(MONTHS)]


def _problems(path, monkeypatch, *, by_rows: bool):
    with monkeypatch.context() as patch:
        if by_rows:
            patch.setattr(observations_service, "column_blocks", lambda _path: None)
        before = snapshot()
        with pytest.raises(ImportRejected) as caught:
            observations_import(path=path)
        assert snapshot() == before, "a refused import changed stored data"
    return [(p.file, p.row, p.column, p.reason) for p in caught.value.problems]


BAD = {
    5: "nope,T11,2024-01,3,",
    17: "visits,NOPE,2024-01,3,",
    23: "visits,T11,2024-13,3,",
    30: "visits,T11,,3,",
    38: "visits,T12,2024-02,-1,",
    44: "share,T12,2022-02,3,-4",
    51: "share,T21,2022-02,11,10",
    58: "share,T21,2022-03,3,",
    64: "visits,T21,2022-02,3,10",
    71: "visits,T21,2022-03,tre,",
    77: "rate,T21,2022-02,3,ti",
    83: "visits,T21,2022-04,,",
    90: "visits,T21,2022-05,1e20,",
    96: "visits,NOPE,2099-99,-5,7",
    102: "share,T11,2024-03,1,10",  # repeats an earlier good row
}


def test_every_problem_in_every_block_is_the_row_by_row_problem(setup, tmp_path, monkeypatch, paths):
    rows = _good()
    rows.insert(1, ",,,,")  # row 3: a row of empty cells is skipped, as row by row
    for number, row in BAD.items():
        rows.insert(number - 2, row)
    path = write(tmp_path, "bad.csv", HEADER + "\n".join(rows) + "\n")
    by_columns = _problems(path, monkeypatch, by_rows=False)
    assert paths == []  # refused before a summary: no reader finished
    by_rows = _problems(path, monkeypatch, by_rows=True)
    assert by_columns == by_rows
    assert {row for _, row, _, _ in by_columns} == set(BAD)
    assert ("bad.csv", 96, "unit_id", "unknown unit 'NOPE'") in by_columns
    assert ("bad.csv", 96, "period", "2099-99 is no month") in by_columns
    duplicate = next(p for p in by_columns if p[1] == 102)
    assert duplicate[2] is None and "(first at row " in duplicate[3]


def test_a_file_of_many_blocks_loads_through_the_columns_with_revisions(setup, tmp_path, paths):
    path = write(tmp_path, "big.csv", HEADER + "\n".join(_good()) + "\nvisits,T11,2025-01,6,\n")
    summary = observations_import(path=path)
    assert paths == ["columns"]
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (109, 108, 1, 0)
    assert Observation.objects.filter(indicator_id="share").count() == 108
    revision = ObservationRevision.objects.get()
    assert (revision.unit_id, revision.period, revision.numerator) == ("T11", dt.date(2025, 1, 1), 5)
    assert Observation.objects.get(indicator_id="visits").source == "big.csv"
    again = observations_import(path=write(tmp_path, "again.csv", HEADER + "\n".join(_good())))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 108)
    assert ImportBatch.objects.count() == 1


def test_rows_the_columns_find_odd_are_stored_as_the_row_checker_reads_them(setup, tmp_path, paths):
    rows = ["visits, T11 ,2024-01, 12 ,", "visits,T12,2024-1,1e3,", "visits,T21,2024-01,+5,  ", "share,T11,2024-01,1,4"]
    summary = observations_import(path=write(tmp_path, "odd.csv", HEADER + "\n".join(rows) + "\n"))
    assert paths == ["columns"] and summary.created == 4
    visits = Observation.objects.filter(indicator_id="visits", period=dt.date(2024, 1, 1))
    assert dict(visits.values_list("unit_id", "numerator")) == {"T11": 12, "T12": 1000, "T21": 5}
    assert Observation.objects.get(indicator_id="share").denominator == 4


def test_danish_numbers_in_a_semicolon_file_through_the_columns(setup, tmp_path, paths):
    text = "indicator;unit_id;period;numerator;denominator\nvisits;T11;2024-02;1.234,5;\nshare;T12;2024-02;12,25;40\n"
    observations_import(path=write(tmp_path, "dansk.csv", text))
    assert paths == ["columns"]
    assert Observation.objects.get(indicator_id="visits", period="2024-02-01").numerator == Decimal("1234.5")
    assert Observation.objects.get(indicator_id="share").numerator == Decimal("12.25")


@pytest.mark.parametrize(
    ("late_row", "reason"),
    [
        ("visits,T11,2025-02,3", "4 cells where the header has 5 columns"),
        ("visits,T11,2025-02,3,,", "6 cells where the header has 5 columns"),
    ],
)
def test_a_row_of_the_wrong_width_in_a_late_block_is_refused_row_by_row(
    setup, tmp_path, monkeypatch, paths, late_row, reason
):
    rows = _good()
    rows.insert(80, late_row)
    problems = _problems(write(tmp_path, "ragged.csv", HEADER + "\n".join(rows)), monkeypatch, by_rows=False)
    assert problems == [("ragged.csv", 82, None, reason)]
    assert paths == ["rows"]


def test_a_byte_that_is_not_utf8_in_a_late_block_is_refused_row_by_row(setup, tmp_path, monkeypatch, paths):
    rows = _good()
    rows.insert(90, "visits,Børnehus,2025-02,3,")
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "\n".join(rows[:90]).encode() + b"\n" + rows[90].encode("latin-1") + b"\n")
    problems = _problems(path, monkeypatch, by_rows=False)
    assert len(problems) == 1 and problems[0][1] == 92 and "not UTF-8" in problems[0][3]
    assert paths == ["rows"]


@pytest.mark.parametrize(
    "text",
    [
        HEADER + 'visits,T11,"2024-03",3,\n',  # a quote
        HEADER + "visits,T11,2024-03,3,\n\nvisits,T12,2024-03,3,\n",  # a blank line
    ],
)
def test_files_the_columns_cannot_number_are_read_row_by_row(setup, tmp_path, paths, text):
    summary = observations_import(path=write(tmp_path, "odd.csv", text))
    assert paths == ["rows"] and summary.created >= 1


def test_windows_line_ends_and_a_quoted_header_are_read_by_the_columns(setup, tmp_path, paths):
    text = '"indicator","unit_id","period","numerator","denominator"\r\n' + "\r\n".join(_good(("T21",)))
    summary = observations_import(path=write(tmp_path, "win.csv", text))
    assert paths == ["columns"] and summary.created == 36
    assert Observation.objects.get(unit_id="T21", period="2025-12-01").numerator == 35 % 7
