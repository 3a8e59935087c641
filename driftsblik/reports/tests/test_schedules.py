"""`driftsblik report schedules FILE`: committees' report schedules from a file, all or nothing, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core.tabular import ImportRejected
from driftsblik.organisation.tests.factories import make_committee, make_user, write_csv
from driftsblik.reports.models import ReportSchedule
from driftsblik.reports.schedules import schedules_import

pytestmark = pytest.mark.django_db

HEADER = [
    "committee",
    "cadence",
    "budget_months",
    "meeting_offset_weeks",
    "unit_deadline_days",
    "director_deadline_days",
    "recipients",
    "members",
]
AUU = ["AUU", "quarterly", "3|6|9", "10", "21", "14", "udvalg@kommune.dk|sekretariat@kommune.dk", ""]
BFU = ["BFU", "half_yearly", "", "6", "28", "7", "bfu@kommune.dk", ""]


@pytest.fixture
def committees(db):
    make_committee("AUU", "Arbejdsmarkedsudvalget")
    make_committee("BFU", "Børneudvalget")
    return make_user("m@kommune.dk", name="Mona Medlem")


def _schedules():
    return {
        s.committee.code: (
            s.cadence,
            s.budget_months,
            s.meeting_offset_weeks,
            s.unit_deadline_days,
            s.director_deadline_days,
            s.recipient_list,
        )
        for s in ReportSchedule.objects.select_related("committee")
    }


def test_each_row_sets_a_committees_schedule_and_the_same_file_twice_changes_nothing(committees, tmp_path):
    path = write_csv(tmp_path / "schedules.csv", [HEADER, AUU, BFU])
    assert schedules_import(path=path) == "2 schedule(s) from schedules.csv"
    expected = {
        "AUU": ("quarterly", [3, 6, 9], 10, 21, 14, ["udvalg@kommune.dk", "sekretariat@kommune.dk"]),
        "BFU": ("half_yearly", [], 6, 28, 7, ["bfu@kommune.dk"]),
    }
    assert _schedules() == expected
    schedules_import(path=path)
    assert _schedules() == expected and ReportSchedule.objects.count() == 2


def test_a_schedule_in_the_file_is_set_to_what_it_says_and_others_are_kept(committees, tmp_path):
    schedules_import(path=write_csv(tmp_path / "first.csv", [HEADER, AUU, BFU]))
    changed = ["AUU", "yearly", "12", "8", "21", "14", "ny@kommune.dk", ""]
    schedules_import(path=write_csv(tmp_path / "second.csv", [HEADER, changed], delimiter=";"))
    schedules = _schedules()
    assert schedules["AUU"] == ("yearly", [12], 8, 21, 14, ["ny@kommune.dk"])
    assert schedules["BFU"][0] == "half_yearly"


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({0: "XYZ"}, "committee", "no committee with code 'XYZ'"),
        ({1: "monthly"}, "cadence", "'monthly' is not one of quarterly, half_yearly, yearly"),
        ({2: "3|13"}, "budget_months", "is not months 1-12"),
        ({3: "ti"}, "meeting_offset_weeks", "'ti' is not a whole number"),
        ({5: "21"}, "director_deadline_days", "fewer days before the meeting"),
        ({6: "udvalg.kommune.dk"}, "recipients", "'udvalg.kommune.dk' is not an e-mail address"),
        ({7: "m@kommune.dk"}, "members", "committee members are named by `driftsblik org import`"),
    ],
)
def test_a_bad_row_is_refused_with_row_column_and_reason_and_nothing_is_stored(
    committees, tmp_path, cells, column, reason
):
    bad = [cells.get(i, cell) for i, cell in enumerate(AUU)]
    with pytest.raises(ImportRejected) as refused:
        schedules_import(path=write_csv(tmp_path / "s.csv", [HEADER, BFU, bad]))
    problem = refused.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("s.csv", 3, column)
    assert reason in problem.reason
    assert ReportSchedule.objects.count() == 0


def test_a_committee_twice_or_a_missing_column_is_refused(committees, tmp_path):
    with pytest.raises(ImportRejected, match=r"s.csv, row 3, column committee: AUU twice \(first at row 2\)"):
        schedules_import(path=write_csv(tmp_path / "s.csv", [HEADER, AUU, AUU]))
    with pytest.raises(ImportRejected, match="missing column"):
        schedules_import(path=write_csv(tmp_path / "t.csv", [HEADER[:5], AUU[:5]]))
    assert ReportSchedule.objects.count() == 0


def test_the_command_loads_a_file_and_exits_with_the_problems(committees, tmp_path, capsys):
    call_command("report", "schedules", str(write_csv(tmp_path / "s.csv", [HEADER, AUU])))
    assert "report schedules: 1 schedule(s) from s.csv" in capsys.readouterr().out
    with pytest.raises(CommandError, match="cadence"):
        call_command("report", "schedules", str(write_csv(tmp_path / "b.csv", [HEADER, ["AUU", "x", *AUU[2:]]])))


def test_an_indicators_column_sets_the_reports_own_selection_and_without_it_the_selection_is_kept(committees, tmp_path):
    from driftsblik.indicators.models import Indicator

    for code in ("in_job", "visits"):
        Indicator.objects.create(code=code, name=code, measure="count", temporal="flow")
    with_column = [*HEADER, "indicators"]
    schedules_import(path=write_csv(tmp_path / "a.csv", [with_column, [*AUU, "in_job|visits"], [*BFU, ""]]))
    chosen = {
        s.committee.code: sorted(s.indicators.values_list("code", flat=True)) for s in ReportSchedule.objects.all()
    }
    assert chosen == {"AUU": ["in_job", "visits"], "BFU": []}
    schedules_import(path=write_csv(tmp_path / "b.csv", [HEADER, AUU]))  # no column: kept
    assert sorted(ReportSchedule.objects.get(committee__code="AUU").indicators.values_list("code", flat=True)) == [
        "in_job",
        "visits",
    ]
    with pytest.raises(ImportRejected, match=r"column indicators: no indicator with code 'nope'"):
        schedules_import(path=write_csv(tmp_path / "c.csv", [with_column, [*AUU, "in_job|nope"]]))
