"""The committee members table of `driftsblik org import`: who sits on each committee (`Committee.members`)."""

from __future__ import annotations

import pytest

from driftsblik.core.tabular import ImportRejected
from driftsblik.organisation.models import Committee, User
from driftsblik.organisation.services import org_import
from driftsblik.organisation.tests.factories import make_committee, make_user, org_snapshot, write_csv
from driftsblik.organisation.tests.test_org_import import write_workbook

pytestmark = pytest.mark.django_db
HEADER = ["committee", "member_email", "member_name"]


def members(code: str) -> list[str]:
    return sorted(Committee.objects.get(code=code).members.values_list("email", flat=True))


def test_each_committee_gets_exactly_the_members_listed_and_others_keep_theirs(tmp_path):
    make_committee("AUU")
    make_committee("BFU").members.add(make_user("bfu@eksempel.test"))
    first = write_csv(
        tmp_path / "udvalg.csv",
        [HEADER, ["AUU", "Anne@Eksempel.test", "Anne Møller"], ["AUU", "jens@eksempel.test", ""]],
    )
    summary = org_import(path=first)
    assert (summary.committee_members, summary.committee_members_changed, summary.users_created) == (2, 2, 2)
    assert members("AUU") == ["Anne@eksempel.test", "jens@eksempel.test"]
    assert User.objects.get(email__iexact="anne@eksempel.test").name == "Anne Møller"
    assert not User.objects.get(email="jens@eksempel.test").has_usable_password()
    assert members("BFU") == ["bfu@eksempel.test"]  # not in the file: kept
    snapshot = org_snapshot(), members("AUU")
    assert not org_import(path=first).changed
    assert (org_snapshot(), members("AUU")) == snapshot
    second = write_csv(tmp_path / "udvalg2.csv", [HEADER, ["AUU", "jens@eksempel.test", ""]])
    assert org_import(path=second).committee_members_changed == 1
    assert members("AUU") == ["jens@eksempel.test"]


def test_members_of_a_committee_created_in_the_same_workbook(tmp_path):
    path = write_workbook(
        tmp_path / "org.xlsx",
        {
            "committees": [
                ["committee", "committee_name", "task_area", "task_area_name", "units"],
                ["OEU", "Økonomiudvalget", "", "", ""],
            ],
            "members": [["committee", "member_email"], ["OEU", "borgmester@eksempel.test"]],
        },
    )
    org_import(path=path)
    assert members("OEU") == ["borgmester@eksempel.test"]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["XYZ", "a@eksempel.test", ""], "committee", "unknown committee 'XYZ'"),
        (["AUU", "ikke-en-adresse", ""], "member_email", "is not an e-mail address"),
        (["AUU", "", ""], "member_email", "missing value"),
        (["AUU", "JENS@eksempel.test", ""], "member_email", "already a member of AUU on row 2"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_stored(tmp_path, row, column, reason):
    make_committee("AUU")
    path = write_csv(tmp_path / "m.csv", [HEADER, ["AUU", "jens@eksempel.test", ""], row])
    with pytest.raises(ImportRejected) as refused:
        org_import(path=path)
    problem = refused.value.problems[0]
    assert (problem.row, problem.column) == (3, column) and reason in problem.reason
    assert members("AUU") == [] and not User.objects.exists()
