"""Every bad input to `org import` is refused with file, row, column and reason, and stores nothing.

Each test starts from the public example already imported, so "nothing stored" is checked
against a database with data in it, row by row in every organisation table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from driftsblik.core.tabular import ImportRejected, Problem
from driftsblik.organisation.services import org_import
from driftsblik.organisation.tests.factories import make_span, org_snapshot, write_csv
from driftsblik.organisation.tests.test_org_import import AFTER_MOVE, COMMITTEES, HEADER, example_path

ROOT = ["K", "", "Eksempel Kommune", "root", "2020-01-01", "", "", ""]


@pytest.fixture
def stored(db):
    """The public example imported: the database a bad file must leave exactly as it is."""
    org_import(path=example_path())
    return org_snapshot()


def rejected(path: Path, stored: dict[str, Any]) -> list[Problem]:
    with pytest.raises(ImportRejected) as caught:
        org_import(path=path)
    assert org_snapshot() == stored
    return caught.value.problems


def assert_problem(problems: list[Problem], file: str, row: int | None, column: str | None, reason: str) -> None:
    matches = [p for p in problems if p.file == file and p.row == row and p.column == column and reason in p.reason]
    assert matches, f"no problem at {file} row {row} column {column} with {reason!r} in {problems}"


def units_file(tmp_path: Path, *rows: list[str], name: str = "org.csv") -> Path:
    return write_csv(tmp_path / name, [HEADER, *rows])


def test_unknown_kind(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "K", "A", "forvaltning", "2020-01-01", "", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 3, "kind", "unknown kind 'forvaltning'")


def test_bad_valid_from(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "K", "A", "area", "2020-02-30", "", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 3, "valid_from", "is no date")


def test_bad_valid_to(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "K", "A", "area", "2020-01-01", "snart", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 3, "valid_to", "'snart' is no date")


def test_valid_to_before_valid_from(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "K", "A", "area", "2021-01-01", "2020-12-31", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 3, "valid_to", "2020-12-31 is before valid_from 2021-01-01")


def test_overlapping_spans_of_one_unit(tmp_path, stored):
    path = units_file(
        tmp_path,
        ROOT,
        ["A", "K", "A", "area", "2020-01-01", "2022-06-30", "", ""],
        ["A", "K", "A2", "area", "2022-06-01", "", "", ""],
    )
    assert_problem(rejected(path, stored), "org.csv", 4, "valid_from", "overlaps row 3")


def test_two_open_spans_of_one_unit_overlap(tmp_path, stored):
    path = units_file(
        tmp_path,
        ROOT,
        ["A", "K", "A", "area", "2020-01-01", "", "", ""],
        ["A", "K", "A", "area", "2023-01-01", "", "", ""],
    )
    assert_problem(rejected(path, stored), "org.csv", 4, "valid_from", "overlaps row 3 (2020-01-01 to open)")


def test_parent_neither_in_the_file_nor_in_the_database(tmp_path, stored):
    path = units_file(tmp_path, ["A", "NOWHERE", "A", "area", "2020-01-01", "", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 2, "parent_id", "unknown parent 'NOWHERE'")


def test_parent_in_the_database_is_accepted_but_not_over_a_gap(tmp_path, stored):
    # SA is stored from 2020-01-01; a child from 2019 would hang under nothing in 2019
    path = units_file(tmp_path, ["NEW", "SA", "Ny", "sector", "2019-06-01", "", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 2, "parent_id", "parent SA is not valid on 2019-06-01")


def test_parent_not_valid_over_the_childs_whole_span(tmp_path, stored):
    path = units_file(
        tmp_path,
        ROOT,
        ["P", "K", "P", "area", "2020-01-01", "2021-12-31", "", ""],
        ["P", "K", "P", "area", "2022-03-01", "", "", ""],
        ["C", "P", "C", "sector", "2020-01-01", "", "", ""],
    )
    assert_problem(rejected(path, stored), "org.csv", 5, "parent_id", "parent P is not valid on 2022-01-01")


def test_a_parent_that_ends_before_its_child(tmp_path, stored):
    path = units_file(
        tmp_path,
        ROOT,
        ["P", "K", "P", "area", "2020-01-01", "2021-12-31", "", ""],
        ["C", "P", "C", "sector", "2020-01-01", "", "", ""],
    )
    assert_problem(rejected(path, stored), "org.csv", 4, "parent_id", "parent P is not valid on 2022-01-01")


def test_closing_a_parent_that_stored_children_still_hang_under(tmp_path, stored):
    # BU is closed while SKOLE and DAG (stored, not in the file) stay under it
    path = units_file(tmp_path, ["BU", "K", "Børn og Unge", "area", "2020-01-01", "2024-12-31", "", ""])
    problems = rejected(path, stored)
    assert_problem(problems, "org.csv", None, "valid_to", "stored unit SKOLE: parent BU is not valid on 2025-01-01")
    assert_problem(problems, "org.csv", None, "valid_to", "stored unit DAG: parent BU is not valid on 2025-01-01")


def test_a_parent_cycle_from_some_date(tmp_path, stored):
    path = units_file(
        tmp_path,
        ROOT,
        ["A", "K", "A", "area", "2020-01-01", "2022-12-31", "", ""],
        ["A", "B", "A", "area", "2023-01-01", "", "", ""],
        ["B", "A", "B", "sector", "2020-01-01", "", "", ""],
    )
    problems = rejected(path, stored)
    assert_problem(problems, "org.csv", 4, "parent_id", "parent cycle on 2023-01-01: A -> B -> A")
    assert len([p for p in problems if "cycle" in p.reason]) == 1


def test_a_unit_that_is_its_own_parent(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "A", "A", "area", "2020-01-01", "", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 3, "parent_id", "parent cycle on 2020-01-01: A -> A")


def test_a_cycle_through_a_stored_unit(tmp_path, stored):
    # K (stored root) is put under NORD, which lies under K: K -> NORD -> SKOLE -> BU -> K
    path = units_file(
        tmp_path,
        ["K", "", "Eksempel Kommune", "root", "2020-01-01", "2024-12-31", "kommunaldirektoer@eksempel.test", ""],
        ["K", "NORD", "Eksempel Kommune", "root", "2025-01-01", "", "", ""],
    )
    assert_problem(rejected(path, stored), "org.csv", 3, "parent_id", "parent cycle on 2025-01-01")


def test_a_duplicate_row(tmp_path, stored):
    row = ["A", "K", "A", "area", "2020-01-01", "", "", ""]
    path = units_file(tmp_path, ROOT, row, row)
    problems = rejected(path, stored)
    assert_problem(problems, "org.csv", 4, None, "duplicate of row 3")
    assert len(problems) == 1


def test_two_roots_at_the_same_time(tmp_path, stored):
    path = units_file(tmp_path, ["K2", "", "Anden kommune", "root", "2023-01-01", "2023-12-31", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 2, "parent_id", "2 roots valid on 2023-01-01: K, K2")


def test_a_leader_email_that_is_no_email(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "K", "A", "area", "2020-01-01", "", "anne.hansen", "Anne"])
    assert_problem(rejected(path, stored), "org.csv", 3, "leader_email", "'anne.hansen' is not an e-mail address")


def test_a_leader_name_without_email(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "K", "A", "area", "2020-01-01", "", "", "Anne"])
    assert_problem(rejected(path, stored), "org.csv", 3, "leader_email", "leader_name is given without leader_email")


@pytest.mark.parametrize(
    ("column", "index", "reason"),
    [
        ("unit_id", 0, "every row needs a unit id"),
        ("name", 2, "every unit needs a name"),
        ("kind", 3, "missing value"),
        ("valid_from", 4, "the first day of the span"),
    ],
)
def test_a_missing_required_value(tmp_path, stored, column, index, reason):
    row = ["A", "K", "A", "area", "2020-01-01", "", "", ""]
    row[index] = ""
    path = units_file(tmp_path, ROOT, row)
    assert_problem(rejected(path, stored), "org.csv", 3, column, reason)


@pytest.mark.parametrize("unit_id", ["A/B", "../../etc", "A B", "A.B", "ØST", "A#1", "a" * 65])
def test_a_unit_id_that_is_no_identifier(tmp_path, stored, unit_id):
    path = units_file(tmp_path, ROOT, [unit_id, "K", "A", "area", "2020-01-01", "", "", ""])
    reason = "longer than 64" if len(unit_id) > 64 else "is not an identifier: use only letters a-z, digits"
    assert_problem(rejected(path, stored), "org.csv", 3, "unit_id", reason)


def test_a_parent_id_that_is_no_identifier(tmp_path, stored):
    path = units_file(tmp_path, ROOT, ["A", "K/..", "A", "area", "2020-01-01", "", "", ""])
    assert_problem(rejected(path, stored), "org.csv", 3, "parent_id", "is not an identifier")


@pytest.mark.parametrize(("column", "index"), [("committee", 0), ("task_area", 2)])
def test_a_committee_or_task_area_code_that_is_no_identifier(tmp_path, stored, column, index):
    row = ["BFU", "Børneudvalget", "skole", "Skole", "SKOLE"]
    row[index] = "../x"
    path = write_csv(tmp_path / "udvalg.csv", [COMMITTEES[0], row])
    assert_problem(rejected(path, stored), "udvalg.csv", 2, column, "is not an identifier")


def test_a_missing_column(tmp_path, stored):
    path = write_csv(tmp_path / "org.csv", [HEADER[:5], ROOT[:5]])
    assert_problem(rejected(path, stored), "org.csv", 1, None, "missing column(s) valid_to")


def test_a_table_that_is_neither_units_nor_committees(tmp_path, stored):
    path = write_csv(tmp_path / "org.csv", [["enhed", "navn"], ["K", "Kommune"]])
    assert_problem(rejected(path, stored), "org.csv", 1, None, "cannot tell what this table holds")


def test_a_file_that_is_not_utf8(tmp_path, stored):
    path = tmp_path / "org.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nK,,K\xf8benhavn,root,2020-01-01,,,\n")
    assert_problem(rejected(path, stored), "org.csv", 2, None, "the file is not UTF-8")


def test_rewriting_a_closed_span_in_the_past(tmp_path, stored):
    # the example closes NORD-UDS under NORD on 2024-07-31; moving that end is rewriting history
    rows = [r for r in _example_rows() if r[0] != "NORD-UDS"]
    rows += [
        ["NORD-UDS", "NORD", "Udskoling Nord", "team", "2020-01-01", "2024-06-30", "", ""],
        [
            "NORD-UDS",
            "SYD",
            "Udskoling (flyttet til Syd)",
            "team",
            "2024-07-01",
            "",
            "team.uds@eksempel.test",
            "Teamleder",
        ],
    ]
    path = units_file(tmp_path, *rows)
    problems = rejected(path, stored)
    assert_problem(
        problems,
        "org.csv",
        len(rows),
        "valid_to",
        "would rewrite the stored span of NORD-UDS from 2020-01-01 to 2024-07-31",
    )


def test_changing_the_parent_of_a_stored_span_instead_of_closing_it(tmp_path, stored):
    rows = [r if r[0] != "SYD" else ["SYD", "DAG", *r[2:]] for r in _example_rows()]
    problems = rejected(units_file(tmp_path, *rows), stored)
    assert_problem(problems, "org.csv", 9, "parent_id", "would rewrite the stored span of SYD from 2020-01-01 to open")


def test_renaming_a_stored_span_instead_of_closing_it(tmp_path, stored):
    rows = [r if r[0] != "DAG" else [*r[:2], "Dagtilbud og Familie", *r[3:]] for r in _example_rows()]
    assert_problem(
        rejected(units_file(tmp_path, *rows), stored), "org.csv", 6, "name", "would rewrite the stored span of DAG"
    )


def test_leaving_out_a_stored_span_of_a_listed_unit(tmp_path, stored):
    rows = [r for r in _example_rows() if not (r[0] == "NORD-UDS" and r[2] == "Udskoling Nord")]
    problems = rejected(units_file(tmp_path, *rows), stored)
    assert_problem(problems, "org.csv", 11, "valid_from", "is not in the file: a file holds the full history")


def test_rewriting_a_stored_leadership(tmp_path, db):
    rows = [*AFTER_MOVE]
    rows.append(["NY", "SYD", "Ny", "team", "2021-01-01", "2021-12-31", "ny@eksempel.test", ""])
    org_import(path=write_csv(tmp_path / "b.csv", rows))
    snapshot = org_snapshot()
    rows[-1] = ["NY", "SYD", "Ny", "team", "2021-01-01", "2021-06-30", "ny@eksempel.test", ""]
    rows.append(["NY", "SYD", "Ny", "team", "2021-07-01", "2021-12-31", "", ""])
    problems = rejected(write_csv(tmp_path / "c.csv", rows), snapshot)
    assert_problem(problems, "c.csv", len(rows) - 1, "valid_to", "would rewrite the stored span of NY")
    assert_problem(
        problems, "c.csv", len(rows) - 1, "valid_to", "would rewrite the stored leadership of ny@eksempel.test"
    )


def test_a_committee_names_an_unknown_unit(tmp_path, stored):
    path = write_csv(tmp_path / "udvalg.csv", [COMMITTEES[0], ["BFU", "Børneudvalget", "skole", "Skole", "SKOLE|ØST"]])
    assert_problem(rejected(path, stored), "udvalg.csv", 2, "units", "unknown unit 'ØST'")


def test_a_committee_named_two_ways(tmp_path, stored):
    path = write_csv(
        tmp_path / "udvalg.csv",
        [COMMITTEES[0], ["BFU", "Børneudvalget", "a", "A", ""], ["BFU", "Skoleudvalget", "b", "B", ""]],
    )
    assert_problem(
        rejected(path, stored), "udvalg.csv", 3, "committee_name", "committee BFU is named 'Børneudvalget' on row 2"
    )


def test_a_task_area_twice(tmp_path, stored):
    path = write_csv(
        tmp_path / "udvalg.csv",
        [COMMITTEES[0], ["BFU", "Børneudvalget", "a", "A", ""], ["OEU", "Økonomiudvalget", "a", "A2", ""]],
    )
    assert_problem(rejected(path, stored), "udvalg.csv", 3, "task_area", "task area a is already on row 2")


def test_a_task_area_without_a_name_and_a_committee_without_code(tmp_path, stored):
    path = write_csv(
        tmp_path / "udvalg.csv", [COMMITTEES[0], ["BFU", "Børneudvalget", "a", "", ""], ["", "X", "", "", ""]]
    )
    problems = rejected(path, stored)
    assert_problem(problems, "udvalg.csv", 2, "task_area_name", "task area a needs a name")
    assert_problem(problems, "udvalg.csv", 3, "committee", "missing value")


def test_an_unknown_group_and_a_bad_email_in_the_groups_file(tmp_path, stored):
    path = write_csv(tmp_path / "grupper.csv", [["email", "group"], ["a@eksempel.test", "chefer"], ["nix", "analysts"]])
    problems = rejected(path, stored)
    assert_problem(problems, "grupper.csv", 2, "group", "unknown group 'chefer'")
    assert_problem(problems, "grupper.csv", 3, "email", "'nix' is not an e-mail address")


def test_every_problem_is_reported_at_once(tmp_path, stored):
    path = units_file(
        tmp_path,
        ["A", "K", "A", "område", "2020-01-01", "", "", ""],
        ["B", "NOWHERE", "B", "area", "2020-01-01", "", "", ""],
        ["C", "K", "C", "area", "2020-01-01", "", "not-an-email", ""],
    )
    problems = rejected(path, stored)
    assert {(p.row, p.column) for p in problems} == {(2, "kind"), (3, "parent_id"), (4, "leader_email")}


def test_a_bad_sheet_in_a_workbook_rejects_the_whole_workbook(tmp_path, stored):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "units"
    for row in [HEADER, *_example_rows()]:
        book.active.append(row)
    sheet = book.create_sheet("committees")
    sheet.append(COMMITTEES[0])
    sheet.append(["BFU", "Børneudvalget", "a", "A", "NOWHERE"])
    book.save(tmp_path / "org.xlsx")
    problems = rejected(tmp_path / "org.xlsx", stored)
    assert len(problems) == 1
    assert_problem(problems, "org.xlsx [committees]", 2, "units", "unknown unit 'NOWHERE'")


def test_problems_between_stored_units_the_file_does_not_list_are_not_blamed_on_it(tmp_path, db):
    # a stored second root that no file row touches does not block an unrelated import
    make_span("K", None, kind="root")
    make_span("OTHER", None, kind="root")
    path = write_csv(tmp_path / "org.csv", [HEADER, ["A", "K", "A", "area", "2020-01-01", "", "", ""]])
    assert org_import(path=path).spans_added == 1


def _example_rows() -> list[list[str]]:
    import csv

    with example_path().open(encoding="utf-8") as f:
        return list(csv.reader(f))[1:]


def test_a_leadership_ended_in_the_database_is_not_reopened_by_a_file(tmp_path, db):
    import datetime as dt

    from driftsblik.organisation.models import Leadership

    org_import(path=example_path())
    Leadership.objects.filter(unit_id="DAG").update(valid_to=dt.date(2023, 3, 31))
    snapshot = org_snapshot()
    problems = rejected(units_file(tmp_path, *_example_rows()), snapshot)
    assert len(problems) == 1
    assert_problem(problems, "org.csv", 6, "valid_to", "would rewrite the stored leadership of chef.dag@eksempel.test")
