"""`org import`: the public example, history kept as spans, idempotency, Excel and semicolon files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.organisation.models import (
    ANALYST_GROUP,
    DIRECTORATE_GROUP,
    Committee,
    Leadership,
    TaskArea,
    UnitSpan,
    User,
)
from driftsblik.organisation.services import org_import
from driftsblik.organisation.tests.factories import org_snapshot, write_csv
from driftsblik.organisation.tree import tree_on
from driftsblik.organisation.visibility import visible_units

EXAMPLES = Path("/work/shared/examples")
EXAMPLE = Path(__file__).parent / "data" / "org-small-units.csv"
HEADER = ["unit_id", "parent_id", "name", "kind", "valid_from", "valid_to", "leader_email", "leader_name"]
BEFORE_MOVE = [
    HEADER,
    ["K", "", "Eksempel Kommune", "root", "2020-01-01", "", "kd@eksempel.test", "Kommunaldirektør"],
    ["BU", "K", "Børn og Unge", "area", "2020-01-01", "", "", ""],
    ["SKOLE", "BU", "Skoler", "sector", "2020-01-01", "", "", ""],
    ["NORD", "SKOLE", "Nordskolen", "institution", "2020-01-01", "", "", ""],
    ["SYD", "SKOLE", "Sydskolen", "institution", "2020-01-01", "", "", ""],
    ["NORD-UDS", "NORD", "Udskoling Nord", "team", "2020-01-01", "", "team.uds@eksempel.test", "Teamleder"],
]
AFTER_MOVE = [
    *BEFORE_MOVE[:-1],
    ["NORD-UDS", "NORD", "Udskoling Nord", "team", "2020-01-01", "2024-07-31", "team.uds@eksempel.test", "Teamleder"],
    ["NORD-UDS", "SYD", "Udskoling Syd", "team", "2024-08-01", "", "team.uds@eksempel.test", "Teamleder"],
]


def example_path() -> Path:
    """The public example, or the copy kept with the tests when ../shared is not there."""
    public = EXAMPLES / "org-small-units.csv"
    return public if public.exists() else EXAMPLE


@pytest.mark.django_db
def test_the_public_example_imports_with_its_history_and_leaders():
    summary = org_import(path=example_path())
    assert (summary.units, summary.units_created, summary.spans_added, summary.leaders) == (10, 10, 11, 10)
    assert UnitSpan.objects.count() == 11
    assert Leadership.objects.count() == 10
    assert tree_on(dt.date(2024, 6, 30)).parent["NORD-UDS"] == "NORD"
    assert tree_on(dt.date(2024, 8, 1)).parent["NORD-UDS"] == "SYD"
    assert tree_on(dt.date.today()).parent["NORD-UDS"] == "SYD"
    assert tree_on(dt.date.today()).name["NORD-UDS"] == "Udskoling (flyttet til Syd)"
    leader = User.objects.get(email="team.uds@eksempel.test")
    assert leader.name == "Teamleder"
    assert leader.username == "team.uds@eksempel.test"
    assert not leader.has_usable_password()
    lead = Leadership.objects.get(user=leader)
    assert (lead.unit_id, lead.valid_from, lead.valid_to) == ("NORD-UDS", dt.date(2024, 8, 1), None)


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing():
    org_import(path=example_path())
    first = org_snapshot()
    summary = org_import(path=example_path())
    assert not summary.changed
    assert (summary.spans_added, summary.spans_closed, summary.users_created, summary.leaderships_added) == (0,) * 4
    assert org_snapshot() == first


@pytest.mark.django_db
def test_a_later_file_that_moves_a_unit_adds_a_span_and_keeps_the_old_one(tmp_path):
    org_import(path=write_csv(tmp_path / "before.csv", BEFORE_MOVE))
    old = UnitSpan.objects.get(unit_id="NORD-UDS")
    summary = org_import(path=write_csv(tmp_path / "after.csv", AFTER_MOVE))
    assert (summary.spans_added, summary.spans_closed, summary.units_created) == (1, 1, 0)
    assert (summary.leaderships_added, summary.leaderships_closed) == (1, 1)
    spans = list(UnitSpan.objects.filter(unit_id="NORD-UDS").order_by("valid_from"))
    assert [(s.pk, s.parent_id, s.name, s.valid_from, s.valid_to) for s in spans] == [
        (old.pk, "NORD", "Udskoling Nord", dt.date(2020, 1, 1), dt.date(2024, 7, 31)),
        (spans[1].pk, "SYD", "Udskoling Syd", dt.date(2024, 8, 1), None),
    ]
    leads = list(Leadership.objects.filter(unit_id="NORD-UDS").order_by("valid_from"))
    assert [(x.valid_from, x.valid_to) for x in leads] == [
        (dt.date(2020, 1, 1), dt.date(2024, 7, 31)),
        (dt.date(2024, 8, 1), None),
    ]
    assert tree_on(dt.date(2024, 6, 30)).parent["NORD-UDS"] == "NORD"
    assert tree_on(dt.date.today()).parent["NORD-UDS"] == "SYD"
    # and the later file is itself idempotent
    again = org_snapshot()
    assert not org_import(path=tmp_path / "after.csv").changed
    assert org_snapshot() == again


@pytest.mark.django_db
def test_the_moved_team_is_seen_from_nord_before_the_move_and_from_syd_today():
    org_import(path=example_path())
    nord = User.objects.get(email="leder.nord@eksempel.test")
    syd = User.objects.get(email="leder.syd@eksempel.test")
    before = dt.date(2024, 6, 30)
    assert visible_units(nord, on=before)["NORD-UDS"].relation == "below"
    assert "NORD-UDS" not in visible_units(syd, on=before)
    assert "NORD-UDS" not in visible_units(nord)
    assert visible_units(syd)["NORD-UDS"].relation == "below"


@pytest.mark.django_db
def test_a_file_leaves_the_units_it_does_not_list_alone(tmp_path):
    org_import(path=example_path())
    before = {s.unit_id: s.pk for s in UnitSpan.objects.all()}
    rows = [HEADER, ["NY", "SA", "Ny enhed", "sector", "2025-01-01", "", "", ""]]
    summary = org_import(path=write_csv(tmp_path / "new.csv", rows))
    assert (summary.units_created, summary.spans_added) == (1, 1)
    after = {s.unit_id: s.pk for s in UnitSpan.objects.exclude(unit_id="NY")}
    assert after == before


@pytest.mark.django_db
def test_a_unit_closed_earlier_can_get_a_new_span_later(tmp_path):
    rows = [*BEFORE_MOVE[:-1], ["X", "SYD", "X", "team", "2020-01-01", "2021-12-31", "", ""]]
    org_import(path=write_csv(tmp_path / "a.csv", rows))
    rows.append(["X", "NORD", "X igen", "team", "2023-01-01", "", "", ""])
    summary = org_import(path=write_csv(tmp_path / "b.csv", rows))
    assert (summary.spans_added, summary.spans_closed) == (1, 0)
    assert "X" not in tree_on(dt.date(2022, 6, 1))
    assert tree_on(dt.date(2023, 6, 1)).parent["X"] == "NORD"


@pytest.mark.django_db
def test_semicolon_csv_with_danish_dates(tmp_path):
    rows = [[c if not (isinstance(c, str) and c.startswith("2020-")) else "01-01-2020" for c in r] for r in AFTER_MOVE]
    rows[-2][5] = "31-07-2024"
    rows[-1][4] = "01-08-2024"
    path = write_csv(tmp_path / "dansk.csv", rows, delimiter=";")
    assert ";" in path.read_text(encoding="utf-8").splitlines()[0]
    summary = org_import(path=path)
    assert summary.spans_added == 7
    span = UnitSpan.objects.get(unit_id="NORD-UDS", valid_from=dt.date(2020, 1, 1))
    assert span.valid_to == dt.date(2024, 7, 31)


def write_workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def as_excel_rows(rows: list[list[str]]) -> list[list[object]]:
    """Dates as date cells and empty cells as None, as Excel stores them."""
    out: list[list[object]] = []
    for r in rows:
        out.append([dt.date.fromisoformat(c) if c[:2] == "20" and len(c) == 10 else (c or None) for c in r])
    return out


COMMITTEES = [
    ["committee", "committee_name", "task_area", "task_area_name", "units"],
    ["BFU", "Børne-, Fritids- og Undervisningsudvalget", "skole", "Folkeskole", "SKOLE|NORD|SYD"],
    ["BFU", "Børne-, Fritids- og Undervisningsudvalget", "unge", "Unge", ""],
    ["OEU", "Økonomiudvalget", "", "", ""],
]


@pytest.mark.django_db
def test_excel_workbook_with_units_committees_and_groups(tmp_path):
    path = write_workbook(
        tmp_path / "org.xlsx",
        {
            "units": as_excel_rows(AFTER_MOVE),
            "committees": COMMITTEES,
            "groups": [
                ["email", "group", "name"],
                ["kd@eksempel.test", "directorate", ""],
                ["analytiker@eksempel.test", "analysts", "Ana Lytiker"],
            ],
        },
    )
    summary = org_import(path=path)
    assert (summary.units, summary.spans_added, summary.committees, summary.task_areas) == (6, 7, 2, 2)
    assert summary.group_memberships_added == 2
    assert set(Committee.objects.values_list("code", "name")) == {
        ("BFU", "Børne-, Fritids- og Undervisningsudvalget"),
        ("OEU", "Økonomiudvalget"),
    }
    skole = TaskArea.objects.get(code="skole")
    assert (skole.name, skole.committee.code) == ("Folkeskole", "BFU")
    assert set(skole.units.values_list("id", flat=True)) == {"SKOLE", "NORD", "SYD"}
    assert not TaskArea.objects.get(code="unge").units.exists()
    assert User.objects.get(email="kd@eksempel.test").groups.filter(name=DIRECTORATE_GROUP).exists()
    analyst = User.objects.get(email="analytiker@eksempel.test")
    assert analyst.name == "Ana Lytiker"
    assert analyst.groups.filter(name=ANALYST_GROUP).exists()
    assert set(visible_units(analyst)) == set(tree_on(dt.date.today()).parent)
    snapshot = org_snapshot()
    assert not org_import(path=path).changed
    assert org_snapshot() == snapshot


@pytest.mark.django_db
def test_committees_in_their_own_csv_file_rename_and_regroup(tmp_path):
    org_import(path=example_path())
    org_import(path=write_csv(tmp_path / "udvalg.csv", COMMITTEES))
    changed = [COMMITTEES[0], ["BFU", "Børne- og Skoleudvalget", "skole", "Skoler", "SKOLE"]]
    summary = org_import(path=write_csv(tmp_path / "udvalg2.csv", changed))
    assert (summary.committees_changed, summary.task_areas_changed) == (1, 1)
    skole = TaskArea.objects.get(code="skole")
    assert skole.name == "Skoler"
    assert list(skole.units.values_list("id", flat=True)) == ["SKOLE"]
    assert Committee.objects.get(code="BFU").name == "Børne- og Skoleudvalget"
    assert Committee.objects.filter(code="OEU").exists()  # not in the file: left alone


@pytest.mark.django_db
def test_groups_in_their_own_csv_file(tmp_path):
    org_import(path=example_path())
    path = write_csv(tmp_path / "grupper.csv", [["email", "group"], ["KOMMUNALDIREKTOER@eksempel.test", "directorate"]])
    assert org_import(path=path).group_memberships_added == 1
    user = User.objects.get(email="kommunaldirektoer@eksempel.test")
    assert set(user.groups.values_list("name", flat=True)) == {DIRECTORATE_GROUP}
    assert org_import(path=path).group_memberships_added == 0
    assert Group.objects.filter(name=DIRECTORATE_GROUP).count() == 1


@pytest.mark.django_db
def test_a_leader_keeps_an_existing_name_and_gets_one_when_empty(tmp_path):
    User.objects.create(email="kd@eksempel.test", username="kd@eksempel.test", name="Anne Direktør")
    User.objects.create(email="team.uds@eksempel.test", username="team.uds@eksempel.test", name="")
    summary = org_import(path=write_csv(tmp_path / "f.csv", BEFORE_MOVE))
    assert summary.users_created == 0
    assert User.objects.get(email="kd@eksempel.test").name == "Anne Direktør"
    assert User.objects.get(email="team.uds@eksempel.test").name == "Teamleder"


@pytest.mark.django_db
def test_the_command_prints_a_summary():
    out = StringIO()
    call_command("org", "import", str(example_path()), stdout=out)
    text = out.getvalue()
    assert "units: 10 in the file, 10 new" in text
    assert "spans: 11 added" in text
    out = StringIO()
    call_command("org", "import", str(example_path()), stdout=out)
    assert "nothing changed" in out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_every_problem_and_stores_nothing(tmp_path):
    rows = [
        HEADER,
        ["K", "", "K", "kommune", "2020-01-01", "", "", ""],
        ["A", "K", "A", "area", "2020-13-01", "", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("org", "import", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert "bad.csv, row 2, column kind: unknown kind 'kommune'" in lines[0]
    assert lines[1].startswith("bad.csv, row 3, column valid_from:")
    assert not UnitSpan.objects.exists()


@pytest.mark.django_db
def test_several_files_are_one_transaction(tmp_path):
    good = write_csv(tmp_path / "good.csv", BEFORE_MOVE)
    bad = write_csv(tmp_path / "bad.csv", [COMMITTEES[0], ["X", "X", "t", "T", "NOWHERE"]])
    with pytest.raises(CommandError):
        call_command("org", "import", str(good), str(bad), stderr=StringIO())
    assert not UnitSpan.objects.exists()
    call_command("org", "import", str(good), str(tmp_path / "good.csv"), stdout=StringIO())
    assert UnitSpan.objects.count() == 6


def test_the_installed_command_exits_1_on_a_bad_file(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DRIFTSBLIK_VAR_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "driftsblik", "migrate", "-v0"], env=env, check=True, capture_output=True)
    bad = write_csv(tmp_path / "bad.csv", [HEADER, ["K", "", "K", "root", "2020-01-01", "2019-01-01", "", ""]])
    result = subprocess.run(
        [sys.executable, "-m", "driftsblik", "org", "import", str(bad)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "bad.csv, row 2, column valid_to: 2019-01-01 is before valid_from 2020-01-01" in result.stderr
    good = subprocess.run(
        [sys.executable, "-m", "driftsblik", "org", "import", str(example_path())],
        env=env,
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0, good.stderr
