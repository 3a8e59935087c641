"""Observations and targets are read, checked and written in batches: the problems stay complete
across batches, nothing is kept when there are any, and a file larger than a batch loads whole."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from driftsblik.core.tabular import ImportRejected, stream_table
from driftsblik.indicators.models import Observation, ObservationRevision, Target
from driftsblik.indicators.services import observations as observations_service
from driftsblik.indicators.services import observations_import, targets_import
from driftsblik.indicators.services import targets as targets_service
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree, snapshot, write

pytestmark = pytest.mark.django_db

HEADER = "indicator,unit_id,period,numerator,denominator\n"
MONTHS = [f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13)]


@pytest.fixture
def setup(monkeypatch):
    monkeypatch.setattr(observations_service, "STREAM_BATCH", 5)
    monkeypatch.setattr(targets_service, "BATCH", 3)
    small_tree()
    indicator("visits")
    indicator("share", measure="share")
    observe("visits", "T11", "2025-01", 5)


def _rows(units=("T11", "T12", "T21")) -> list[str]:
    return [f"share,{u},{m},{i % 7},10" for u in units for i, m in enumerate(MONTHS)]


def test_a_file_of_many_batches_loads_whole_and_replaces_with_revisions(setup, tmp_path):
    summary = observations_import(
        path=write(tmp_path, "big.csv", HEADER + "\n".join(_rows()) + "\nvisits,T11,2025-01,6,\n")
    )
    assert (summary.rows, summary.created, summary.updated) == (73, 72, 1)
    assert Observation.objects.filter(indicator_id="share").count() == 72
    assert ObservationRevision.objects.get().numerator == 5
    again = observations_import(path=write(tmp_path, "again.csv", HEADER + "\n".join(_rows())))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 72)


def test_problems_in_late_batches_and_repeats_across_batches_are_all_reported_and_nothing_kept(setup, tmp_path):
    rows = _rows()
    rows[40] = "share,T12,2024-05,11,10"  # row 42: above the denominator, in the ninth batch
    rows.append("share,T11,2024-03,1,10")  # row 74 repeats row 4 (first batch)
    rows.append("visits,NOPE,2025-02,3,")  # row 75
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        observations_import(path=write(tmp_path, "bad.csv", HEADER + "\n".join(rows)))
    assert snapshot() == before
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(42, "numerator"), (74, None), (75, "unit_id")]
    assert "duplicate row for share, T11, 2024-03 (first at row 4)" in problems[1].reason


def test_a_workbook_is_streamed_read_only(setup, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator", "unit_id", "period", "numerator", "denominator"])
    for row in _rows(("T21",)):
        code, unit_id, period, num, den = row.split(",")
        sheet.append([code, unit_id, dt.date.fromisoformat(period + "-01"), int(num), int(den)])
    sheet.append([None] * 5)
    path = tmp_path / "figures.xlsx"
    book.save(path)
    table = stream_table(path)
    table.close()  # its rows are not read here: the workbook is released
    assert (table.columns[:2], table.total) == (["indicator", "unit_id"], 25)
    assert observations_import(path=path).created == 24


def test_targets_in_many_batches_with_every_problem_and_nothing_kept(setup, tmp_path):
    rows = [
        f"share,{u},{y},{50 + i}"
        for i, (u, y) in enumerate((u, y) for u in ("T11", "T12", "T21") for y in (2024, 2025))
    ]
    path = write(tmp_path, "targets.csv", "indicator,unit_id,year,target\n" + "\n".join(rows))
    assert targets_import(path=path).created == 6
    assert Target.objects.get(unit_id="T21", year=2025).value == Decimal(55)
    before = snapshot()
    bad = [*rows[:5], "share,T21,2025,101", "share,T11,2024,1"]
    with pytest.raises(ImportRejected) as caught:
        targets_import(path=write(tmp_path, "bad.csv", "indicator,unit_id,year,target\n" + "\n".join(bad)))
    assert snapshot() == before
    assert [(p.row, p.column) for p in caught.value.problems] == [(7, "target"), (8, None)]
    assert "first at row 2" in caught.value.problems[1].reason
