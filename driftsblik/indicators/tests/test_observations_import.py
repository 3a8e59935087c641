"""Observation imports and the engine's load: every bad input refused with nothing stored, revisions kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from driftsblik.core.tabular import ImportRejected
from driftsblik.indicators.models import ImportBatch, Observation, ObservationRevision
from driftsblik.indicators.services import observations_import, observations_replace_engine_output
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree, snapshot, unit, write
from driftsblik.organisation.models import UNASSIGNED_UNIT_ID, UnitSpan
from driftsblik.organisation.tree import tree_on

pytestmark = pytest.mark.django_db

HEADER = "indicator,unit_id,period,numerator,denominator\n"


@pytest.fixture
def setup():
    small_tree()
    indicator("visits")  # count
    indicator("share", measure="share", temporal="stock")
    indicator("rate", measure="rate_per_1000")
    indicator("days", measure="ratio")  # a mean, e.g. days per case
    observe("visits", "T11", "2025-01", 5)  # so "unchanged" is checked against real stored data


def rejected(path):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        observations_import(path=path)
    assert snapshot() == before, "a refused import changed stored data"
    return caught.value.problems


def one(problems, column):
    assert len(problems) == 1, problems
    assert problems[0].column == column
    return problems[0]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("visits,NOPE,2025-02,3,", "unit_id", "unknown unit 'NOPE'"),
        ("nope,T11,2025-02,3,", "indicator", "unknown indicator 'nope'"),
        ("visits,T11,2025-13,3,", "period", "is no month"),
        ("visits,T11,2025Q1,3,", "period", "is no month"),
        ("visits,T11,marts 2025,3,", "period", "is no month"),
        ("visits,T11,,3,", "period", "period is missing"),
        ("visits,T11,2025-02,-1,", "numerator", "negative"),
        ("share,T11,2025-02,3,-4", "denominator", "negative"),
        ("share,T11,2025-02,11,10", "numerator", "above the denominator"),
        ("share,T11,2025-02,3,", "denominator", "the denominator is missing"),
        ("rate,T11,2025-02,3,", "denominator", "the denominator is missing"),
        ("days,T11,2025-02,30,", "denominator", "the denominator is missing"),
        ("visits,T11,2025-02,3,10", "denominator", "is a count: it has no denominator"),
        ("visits,T11,2025-02,tre,", "numerator", "is not a number"),
        ("share,T11,2025-02,3,ti", "denominator", "is not a number"),
        ("visits,T11,2025-02,,", "numerator", "numerator is missing"),
        ("visits,T11,2025-02,1e20,", "numerator", "too large"),
    ],
)
def test_a_bad_row_is_refused_naming_file_row_column_and_reason(setup, tmp_path, row, column, reason):
    path = write(tmp_path, "figures.csv", HEADER + "visits,T12,2025-02,4,\n" + row + "\n")
    problem = one(rejected(path), column)
    assert problem.file == "figures.csv" and problem.row == 3
    assert reason in problem.reason
    assert "figures.csv, row 3, column " + column in str(problem)


def test_a_rate_or_a_mean_may_have_a_numerator_above_its_denominator(setup, tmp_path):
    path = write(tmp_path, "means.csv", HEADER + "days,T11,2025-02,300,12\nrate,T11,2025-02,5,3\n")
    assert observations_import(path=path).created == 2


def test_a_duplicate_cell_is_refused_naming_the_first_row(setup, tmp_path):
    path = write(tmp_path, "dup.csv", HEADER + "visits,T11,2025-02,3,\nvisits,T12,2025-02,3,\nvisits,T11,2025-2,4,\n")
    problem = one(rejected(path), None)
    assert problem.row == 4 and "duplicate row for visits, T11, 2025-02 (first at row 2)" in problem.reason


def test_every_problem_of_a_file_is_reported_at_once(setup, tmp_path):
    path = write(
        tmp_path,
        "many.csv",
        HEADER + "visits,T11,2025-02,3,\nnope,T11,2025-02,3,\nvisits,X,2025-99,-2,\nshare,T12,2025-02,9,5\n",
    )
    problems = rejected(path)
    assert [(p.row, p.column) for p in problems] == [
        (3, "indicator"),
        (4, "unit_id"),
        (4, "period"),
        (4, "numerator"),
        (5, "numerator"),
    ]


def test_a_missing_column_is_refused(setup, tmp_path):
    path = write(tmp_path, "cols.csv", "indicator,unit_id,month,numerator,denominator\nvisits,T11,2025-02,3,\n")
    problem = one(rejected(path), None)
    assert "missing column(s) period" in problem.reason


def test_a_file_that_is_not_utf8_is_refused(setup, tmp_path):
    path = write(tmp_path, "latin.csv", HEADER + "visits,T11,2025-02,3,\nvisits,Børnehus,2025-02,3,\n", "latin-1")
    problem = one(rejected(path), None)
    assert "not UTF-8" in problem.reason and problem.row == 3


def test_a_file_with_an_unknown_delimiter_is_refused(setup, tmp_path):
    path = write(tmp_path, "pipes.csv", "indicator|unit_id|period|numerator|denominator\nvisits|T11|2025-02|3|\n")
    assert "missing column(s)" in one(rejected(path), None).reason


def test_danish_semicolon_files_with_decimal_commas_are_read(setup, tmp_path):
    path = write(
        tmp_path,
        "dansk.csv",
        "indicator;unit_id;period;numerator;denominator\nvisits;T11;2025-02;1.234,5;\nshare;T12;2025-02;12,5;40\n",
    )
    summary = observations_import(path=path)
    assert summary.created == 2
    assert Observation.objects.get(indicator_id="visits", unit_id="T11", period=dt.date(2025, 2, 1)).numerator == (
        Decimal("1234.5")
    )
    assert Observation.objects.get(indicator_id="share").numerator == Decimal("12.5")


def test_a_decimal_point_in_a_semicolon_file_is_refused_as_ambiguous(setup, tmp_path):
    path = write(tmp_path, "mixed.csv", "indicator;unit_id;period;numerator;denominator\nvisits;T11;2025-02;12.5;\n")
    assert "is not a number" in one(rejected(path), "numerator").reason


def workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator", "unit_id", "period", "numerator", "denominator"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_excel_file_is_read_with_date_cells_as_months(setup, tmp_path):
    path = workbook(
        tmp_path / "figures.xlsx",
        [["visits", "T11", dt.datetime(2025, 2, 1), 3, None], ["share", "T12", "2025-02", 4.0, 10]],
    )
    assert observations_import(path=path).created == 2
    assert Observation.objects.filter(period=dt.date(2025, 2, 1)).count() == 2


def test_bad_rows_in_excel_name_the_sheet_row_and_column(setup, tmp_path):
    path = workbook(
        tmp_path / "figures.xlsx",
        [["visits", "T11", dt.datetime(2025, 2, 14), 3, None], ["share", "T12", "2025-02", 11, 10]],
    )
    problems = rejected(path)
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("figures.xlsx [Sheet]", 2, "period"),
        ("figures.xlsx [Sheet]", 3, "numerator"),
    ]


def test_reimport_replaces_only_those_cells_and_keeps_the_previous_figures(setup, tmp_path):
    first = write(tmp_path, "jan.csv", HEADER + "visits,T11,2025-02,3,\nvisits,T12,2025-02,4,\nshare,T11,2025-02,1,2\n")
    summary = observations_import(path=first)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    loaded = {(o.indicator_id, o.unit_id): o.loaded_at for o in Observation.objects.filter(period="2025-02-01")}
    second = write(tmp_path, "jan2.csv", HEADER + "visits,T11,2025-02,30,\nvisits,T12,2025-02,4,\n")
    summary = observations_import(path=second)
    assert (summary.created, summary.updated, summary.unchanged, summary.revisions) == (0, 1, 1, 1)
    revision = ObservationRevision.objects.get()
    assert (revision.indicator_id, revision.unit_id, revision.period) == ("visits", "T11", dt.date(2025, 2, 1))
    assert revision.numerator == 3 and revision.denominator is None
    assert revision.loaded_at == loaded[("visits", "T11")] and revision.source == "jan.csv"
    assert revision.replaced_at >= revision.loaded_at
    replaced = Observation.objects.get(indicator_id="visits", unit_id="T11", period="2025-02-01")
    assert replaced.numerator == 30 and replaced.loaded_at == revision.replaced_at and replaced.source == "jan2.csv"
    kept = Observation.objects.get(indicator_id="visits", unit_id="T12", period="2025-02-01")
    assert kept.loaded_at == loaded[("visits", "T12")] and kept.source == "jan.csv"
    # A cell absent from the second file stays as it was.
    assert Observation.objects.get(indicator_id="share", period="2025-02-01").numerator == 1
    assert ImportBatch.objects.count() == 2


def test_the_same_file_twice_changes_nothing(setup, tmp_path):
    path = write(tmp_path, "feb.csv", HEADER + "visits,T11,2025-02,3,\nshare,T11,2025-02,1,2\nrate,K,2025-02,1,900\n")
    observations_import(path=path)
    before = snapshot()
    summary = observations_import(path=path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_an_import_records_its_batch(setup, tmp_path):
    from driftsblik.indicators.tests.helpers import person

    user = person("analyst@example.dk", analyst=True)
    path = write(tmp_path, "feb.csv", HEADER + "visits,T11,2025-02,3,\nvisits,T12,2025-02,4,\n")
    observations_import(path=path, user=user)
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.file_name, batch.rows, batch.created_by) == ("observations", "feb.csv", 2, user)


# --- the engine's load --------------------------------------------------------------------------------------


def engine_row(indicator_code, unit_id, period, numerator, denominator=None):
    return {
        "indicator": indicator_code,
        "unit_id": unit_id,
        "period": period,
        "numerator": numerator,
        "denominator": denominator,
        "value": None,
    }


def test_engine_output_is_loaded_and_the_unassigned_unit_rolls_up_to_the_root(setup):
    changed = observations_replace_engine_output(
        rows=[
            engine_row("visits", "T11", "2025-02", 3),
            engine_row("visits", UNASSIGNED_UNIT_ID, "2025-02", 2),
            engine_row("share", "T12", "2025-02", Decimal(1), Decimal(4)),
        ],
        source="engine duckdb",
    )
    assert changed == 3
    span = UnitSpan.objects.get(unit_id=UNASSIGNED_UNIT_ID)
    assert (span.parent_id, span.name, span.kind, span.valid_from) == (
        "K",
        "Ikke tilknyttet",
        "team",
        dt.date(2020, 1, 1),
    )
    assert tree_on(dt.date(2025, 2, 28)).ancestors(UNASSIGNED_UNIT_ID) == ["K"]
    from driftsblik.core.periods import Period
    from driftsblik.indicators.models import Indicator
    from driftsblik.indicators.selectors import figures

    visits = Indicator.objects.get(code="visits")
    assert figures(None, [visits], ["K"], Period.parse("2025-02"))[("visits", "K")].value == 5
    assert ImportBatch.objects.get().kind == "engine"
    # The same output again changes nothing.
    before = snapshot()
    assert observations_replace_engine_output(rows=[engine_row("visits", "T11", "2025-02", 3)], source="e") == 0
    assert snapshot() == before


def test_engine_output_replaces_with_revisions(setup):
    observations_replace_engine_output(rows=[engine_row("visits", "T11", "2025-02", 3)], source="run 1")
    observations_replace_engine_output(rows=[engine_row("visits", "T11", "2025-02", 4.0)], source="run 2")
    assert ObservationRevision.objects.get().numerator == 3
    assert Observation.objects.get(unit_id="T11", period="2025-02-01").source == "run 2"


def test_bad_engine_output_stores_nothing_not_even_the_unassigned_unit(setup):
    before = snapshot()
    spans = UnitSpan.objects.count()
    with pytest.raises(ImportRejected) as caught:
        observations_replace_engine_output(
            rows=[
                engine_row("visits", "T11", "2025-02", 3),
                engine_row("visits", "T11", "2025-02", 3),
                engine_row("share", "GHOST", "2025-02", 5, 4),
                engine_row("visits", "T12", "2025-02", 3, 3),
            ],
            source="engine",
        )
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, None),
        (3, "unit_id"),
        (3, "numerator"),
        (4, "denominator"),
    ]
    assert all(p.file == "engine" for p in caught.value.problems)
    assert snapshot() == before and UnitSpan.objects.count() == spans


def test_the_unassigned_unit_starts_with_the_roots_earliest_span():
    unit("K", kind="root", valid_from=dt.date(2019, 5, 1), valid_to=dt.date(2021, 12, 31))
    UnitSpan.objects.create(unit_id="K", name="K renamed", kind="root", valid_from=dt.date(2022, 1, 1))
    indicator("visits")
    observations_replace_engine_output(rows=[engine_row("visits", UNASSIGNED_UNIT_ID, "2019-06", 1)], source="e")
    assert UnitSpan.objects.get(unit_id=UNASSIGNED_UNIT_ID).valid_from == dt.date(2019, 5, 1)


def test_the_engine_load_needs_an_organisation():
    indicator("visits")
    with pytest.raises(ImportRejected, match="no organisation"):
        observations_replace_engine_output(rows=[], source="e")
