"""Ledger import: good files (CSV, Danish numbers, Excel) stored exactly; bad input refused, nothing stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from driftsblik.budget.models import Account, LedgerImport, LedgerLine, LedgerMonth
from driftsblik.budget.services import accounts_import, ledger_import
from driftsblik.budget.tests.helpers import HEADER, small_org, snapshot, write_ledger
from driftsblik.core.tabular import ImportRejected

pytestmark = pytest.mark.django_db

GOOD = [
    ["2025-01", "I1", "5.30.26", 1, "1.0", "oprindeligt budget", "1200000.00"],
    ["2025-01", "I1", "5.30.26", 1, "1.0", "forbrug", "95000.50"],
    ["2025-01", "I1", "5.30.26", 1, "2.2", "forbrug", "4999.50"],
    ["2025-02", "I1", "5.30.26", 1, "1.0", "forbrug", "100000"],
    ["2025-02", "I2", "5.57.73", 1, "5.2", "tillægsbevilling", "-25000"],
]


@pytest.fixture
def org():
    small_org()


def rejected(path, **kwargs):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        ledger_import(path=path, **kwargs)
    assert snapshot() == before, "a refused import changed stored data"
    return caught.value.problems


def months():
    return {
        (p.strftime("%Y-%m"), u, a, k): v
        for p, u, a, k, v in LedgerMonth.objects.values_list("period", "unit_id", "account_id", "kind", "amount")
    }


def test_good_file_is_stored_line_by_line_and_summed_per_month(org, tmp_path):
    summary = ledger_import(path=write_ledger(tmp_path / "ledger.csv", GOOD))
    assert (summary.year, summary.rows, summary.replaced, summary.units) == (2025, 5, 0, 2)
    assert LedgerLine.objects.count() == 5
    line = LedgerLine.objects.get(kind="supplementary")
    assert (line.unit_id, line.account_id, line.dranst, line.art, line.amount) == ("I2", "5.57.73", 1, "5.2", -25000)
    assert line.period == dt.date(2025, 2, 1) and line.year == 2025
    assert months() == {
        ("2025-01", "I1", "5.30.26", "original"): Decimal("1200000.00"),
        ("2025-01", "I1", "5.30.26", "spent"): Decimal("100000.00"),
        ("2025-02", "I1", "5.30.26", "spent"): Decimal("100000.00"),
        ("2025-02", "I2", "5.57.73", "supplementary"): Decimal("-25000.00"),
    }
    assert LedgerImport.objects.get().rows == 5


def test_danish_numbers_in_a_semicolon_file(org, tmp_path):
    rows = [
        ["2025-03", "I1", "5.30.26", "", "", "Forbrug", "1.234.567,89"],
        ["2025-03", "I2", "5.30.26", "", "", "oprindeligt_budget", "-12,5"],
        ["2025-03", "I3", "5.30.26", "", "", "tillaegsbevilling", "1234"],
    ]
    ledger_import(path=write_ledger(tmp_path / "da.csv", rows, delimiter=";"))
    assert months() == {
        ("2025-03", "I1", "5.30.26", "spent"): Decimal("1234567.89"),
        ("2025-03", "I2", "5.30.26", "original"): Decimal("-12.50"),
        ("2025-03", "I3", "5.30.26", "supplementary"): Decimal("1234.00"),
    }
    assert set(LedgerLine.objects.values_list("dranst", "art")) == {(None, "")}


def test_dranst_and_art_are_optional_columns(org, tmp_path):
    header = ["period", "unit_id", "account", "kind", "amount"]
    ledger_import(
        path=write_ledger(tmp_path / "short.csv", [["2025-01", "I1", "5.57.73", "forbrug", "10"]], header=header)
    )
    assert LedgerLine.objects.get().amount == 10


def test_excel_file(org, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([dt.datetime(2025, 4, 1), "I1", "5.30.26", 1, 1.0, "forbrug", 1234.56])
    sheet.append(["2025-05", "I1", "5.30.26", 1, 1.0, "forbrug", "2.000,25"])
    sheet.append([None] * 7)
    sheet.append(["2025-06", "I2", "5.30.26", None, None, "oprindeligt budget", 100])
    book.save(tmp_path / "ledger.xlsx")
    ledger_import(path=tmp_path / "ledger.xlsx")
    assert months() == {
        ("2025-04", "I1", "5.30.26", "spent"): Decimal("1234.56"),
        ("2025-05", "I1", "5.30.26", "spent"): Decimal("2000.25"),
        ("2025-06", "I2", "5.30.26", "original"): Decimal("100.00"),
    }
    assert set(LedgerLine.objects.values_list("art", flat=True)) == {"1.0", ""}


def test_excel_rows_are_numbered_as_the_spreadsheet_shows_them(org, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["2025-04", "I1", "5.30.26", 1, 1.0, "forbrug", 1])
    sheet.append([None] * 7)
    sheet.append(["2025-04", "NOPE", "5.30.26", 1, 1.0, "forbrug", 1])
    book.save(tmp_path / "bad.xlsx")
    (problem,) = rejected(tmp_path / "bad.xlsx")
    assert (problem.row, problem.column) == (4, "unit_id")


def test_reimport_replaces_the_month_unit_and_kind_cells_of_the_file_only(org, tmp_path):
    ledger_import(path=write_ledger(tmp_path / "ledger.csv", GOOD))
    again = [["2025-02", "I1", "5.30.26", 1, "1.0", "forbrug", "90000"]]
    summary = ledger_import(path=write_ledger(tmp_path / "feb.csv", again))
    assert summary.replaced == 1
    stored = months()
    assert stored[("2025-02", "I1", "5.30.26", "spent")] == Decimal("90000.00")
    assert stored[("2025-01", "I1", "5.30.26", "spent")] == Decimal("100000.00")  # January left alone
    assert stored[("2025-02", "I2", "5.57.73", "supplementary")] == Decimal("-25000.00")  # other unit and kind
    assert LedgerLine.objects.count() == 5


def test_a_blank_line_keeps_row_numbers_right(org, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(
        ",".join(HEADER) + "\n2025-01,I1,5.30.26,1,1.0,forbrug,1\n\n2025-01,I2,5.30.26,1,1.0,forbrug,abc\n",
        encoding="utf-8",
    )
    (problem,) = rejected(path)
    assert (problem.file, problem.row, problem.column) == ("blank.csv", 4, "amount")


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["2025-01", "I1", "5.99.99", 1, "1.0", "forbrug", "1"], "account", "unknown account '5.99.99'"),
        (["2025-01", "I1", "55773", 1, "1.0", "forbrug", "1"], "account", "is no account"),
        (["2025-01", "NOPE", "5.30.26", 1, "1.0", "forbrug", "1"], "unit_id", "unknown unit 'NOPE'"),
        (["2025-01", "", "5.30.26", 1, "1.0", "forbrug", "1"], "unit_id", "unit_id is missing"),
        (["2025-01", "I3", "5.30.26", 1, "1.0", "forbrug", "tolv"], "amount", "'tolv' is not a number"),
        (["2025-01", "I3", "5.30.26", 1, "1.0", "forbrug", ""], "amount", "amount is missing"),
        (["2025-01", "I3", "5.30.26", 1, "1.0", "forbrug", "1.005"], "amount", "more than two decimals"),
        (["2025-01", "I1", "5.30.26", 1, "1.0", "bevilling", "1"], "kind", "unknown kind 'bevilling'"),
        (["2025-13", "I1", "5.30.26", 1, "1.0", "forbrug", "1"], "period", "is no month"),
        (["2024-12", "I1", "5.30.26", 1, "1.0", "forbrug", "1"], "period", "outside the budget year 2025"),
        (["2025-01", "I1", "5.30.26", 7, "1.0", "forbrug", "1"], "dranst", "not 1, 2, 3 or 4"),
        (["2025-01", "I1", "5.30.26", 1, "lønninger", "forbrug", "1"], "art", "is no art"),
    ],
)
def test_bad_rows_are_refused_with_file_row_column_and_reason(org, tmp_path, row, column, reason):
    path = write_ledger(tmp_path / "bad.csv", [*GOOD, row])
    problems = rejected(path)
    assert len(problems) == 1, problems
    assert (problems[0].file, problems[0].row, problems[0].column) == ("bad.csv", 7, column)
    assert reason in problems[0].reason


def test_text_amount_in_a_danish_file_is_refused(org, tmp_path):
    rows = [
        ["2025-01", "I1", "5.30.26", "", "", "forbrug", "1.234,5"],
        ["2025-01", "I2", "5.30.26", "", "", "forbrug", "12 kr"],
    ]
    (problem,) = rejected(write_ledger(tmp_path / "da.csv", rows, delimiter=";"))
    assert (problem.row, problem.column) == (3, "amount")


def test_months_outside_the_year_given_are_refused(org, tmp_path):
    problems = rejected(write_ledger(tmp_path / "ledger.csv", GOOD), year=2026)
    assert [(p.row, p.column) for p in problems] == [(r, "period") for r in range(2, 7)]
    assert "outside the budget year 2026" in problems[0].reason


def test_duplicated_lines_are_refused_naming_the_first(org, tmp_path):
    rows = [*GOOD, GOOD[1], ["2025-01", "I1", "5.30.26", 1, "1.0", "Forbrug", "3"]]
    problems = rejected(write_ledger(tmp_path / "dup.csv", rows))
    assert [(p.row, p.column) for p in problems] == [(7, None), (8, None)]
    assert "duplicate line 2025-01, I1, 5.30.26, 1, 1.0, spent (first at row 3)" in problems[0].reason


def test_every_problem_of_a_file_is_reported(org, tmp_path):
    rows = [
        ["2025-01", "NOPE", "5.99.99", 1, "1.0", "forbrug", "x"],
        ["2026-01", "I1", "5.30.26", 1, "1.0", "forbrug", "1"],
    ]
    problems = rejected(write_ledger(tmp_path / "bad.csv", rows))
    assert [(p.row, p.column) for p in problems] == [(2, "unit_id"), (2, "account"), (2, "amount"), (3, "period")]


def test_missing_columns_and_wrong_cell_counts_are_refused(org, tmp_path):
    (problem,) = rejected(write_ledger(tmp_path / "cols.csv", [["2025-01", "I1"]], header=["period", "unit_id"]))
    assert "missing column(s) account, kind, amount" in problem.reason
    path = tmp_path / "cells.csv"
    path.write_text(",".join(HEADER) + "\n2025-01,I1,5.30.26\n", encoding="utf-8")
    (problem,) = rejected(path)
    assert problem.row == 2 and "cells" in problem.reason


def test_an_error_while_storing_leaves_nothing(org, tmp_path, monkeypatch):
    ledger_import(path=write_ledger(tmp_path / "ledger.csv", GOOD))
    before = snapshot()
    from driftsblik.budget.services import ledger as module

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module.LedgerImport.objects, "create", fail)
    with pytest.raises(RuntimeError):
        ledger_import(
            path=write_ledger(tmp_path / "again.csv", [["2025-01", "I1", "5.30.26", 1, "1.0", "forbrug", "1"]])
        )
    assert snapshot() == before


def test_accounts_import_extends_the_chart(org, tmp_path):
    ledger_import(path=write_ledger(tmp_path / "ledger.csv", GOOD))  # the shipped chart is loaded
    assert Account.objects.get(code="5.57.73").name == "Kontant- og uddannelseshjælp"
    path = tmp_path / "accounts.csv"
    path.write_text("function;name\n5.99.99;Egen funktion\n05.57.73;Kontanthjælp\n", encoding="utf-8")
    assert accounts_import(path=path) == (1, 1)
    ledger_import(path=write_ledger(tmp_path / "more.csv", [["2025-03", "I1", "5.99.99", 1, "1.0", "forbrug", "1"]]))
    assert Account.objects.get(code="5.57.73").name == "Kontanthjælp"
    path.write_text("function;name\n5.99;X\n5.99.98;\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        accounts_import(path=path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "function"), (3, "name")]


def test_the_command_loads_and_refuses_with_the_problems(org, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("budget", "import", str(write_ledger(tmp_path / "ledger.csv", GOOD)), "--year", "2025", stdout=out)
    assert "5 line(s) for budget year 2025" in out.getvalue()
    bad = write_ledger(tmp_path / "bad.csv", [["2025-01", "NOPE", "5.30.26", 1, "1.0", "forbrug", "1"]])
    with pytest.raises(CommandError, match=r"bad.csv, row 2, column unit_id: unknown unit 'NOPE'"):
        call_command("budget", "import", str(bad))
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("function,name\n5.99.99,Egen funktion\n", encoding="utf-8")
    call_command("budget", "accounts", "import", str(accounts), stdout=out)
    assert "1 function(s) added" in out.getvalue()
