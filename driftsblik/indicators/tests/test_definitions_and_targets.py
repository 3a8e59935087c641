"""Indicator definitions and targets from files: validated, atomic, idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from driftsblik.core.tabular import ImportRejected
from driftsblik.indicators.models import Indicator, Target
from driftsblik.indicators.services import indicators_define, targets_import
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree, snapshot, write
from driftsblik.organisation.models import Committee, TaskArea

pytestmark = pytest.mark.django_db

YAML = """\
indicators:
  - code: home_care_hours
    name: Leverede timer i hjemmeplejen
    description: Timer leveret hos borgeren.
    kind: activity
    measure: count
    temporal: flow
    direction: higher
    unit_label: timer
    tolerance_pct: 2.5
    task_area: aeldre
    key: true
    source: Omsorgssystemet
    owner: Sundhed og Ældre
    sort_order: 3
  - code: youth_in_job
    name: Unge i job eller uddannelse
    kind: result
    measure: share
    temporal: stock
    direction: higher
    person_based: ja
"""


@pytest.fixture
def area():
    committee = Committee.objects.create(code="SAH", name="Sundheds-, Ældre- og Handicapudvalget")
    return TaskArea.objects.create(code="aeldre", name="Ældre", committee=committee)


def refused(function, path):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        function(path=path)
    assert snapshot() == before, "a refused import changed stored data"
    return caught.value.problems


def test_yaml_definitions_are_created_with_every_field(area, tmp_path):
    summary = indicators_define(path=write(tmp_path, "ind.yaml", YAML))
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    hours = Indicator.objects.get(code="home_care_hours")
    assert (hours.name, hours.kind, hours.measure, hours.temporal, hours.direction) == (
        "Leverede timer i hjemmeplejen",
        "activity",
        "count",
        "flow",
        "higher",
    )
    assert (hours.unit_label, hours.tolerance_pct, hours.task_area, hours.key, hours.sort_order) == (
        "timer",
        Decimal("2.5"),
        area,
        True,
        3,
    )
    assert (hours.source, hours.owner, hours.person_based) == ("Omsorgssystemet", "Sundhed og Ældre", False)
    youth = Indicator.objects.get(code="youth_in_job")
    assert youth.person_based and youth.tolerance_pct == 5 and youth.task_area is None


def test_a_plain_yaml_list_and_a_csv_file_work_too(area, tmp_path):
    plain = YAML.replace("indicators:\n", "").replace("\n  ", "\n").replace("  - code", "- code")
    assert indicators_define(path=write(tmp_path, "ind.yml", plain)).created == 2
    csv = (
        "code;name;kind;measure;temporal;direction;tolerance_pct;key\n"
        "sick_leave;Sygefravær;result;share;flow;lower;1,5;nej\n"
    )
    assert indicators_define(path=write(tmp_path, "ind.csv", csv)).created == 1
    assert Indicator.objects.get(code="sick_leave").tolerance_pct == Decimal("1.5")


def test_the_same_file_twice_changes_nothing_and_an_edit_updates(area, tmp_path):
    path = write(tmp_path, "ind.yaml", YAML)
    indicators_define(path=path)
    before = snapshot()
    summary = indicators_define(path=path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert snapshot() == before
    summary = indicators_define(
        path=write(tmp_path, "ind.yaml", YAML.replace("tolerance_pct: 2.5", "tolerance_pct: 4"))
    )
    assert (summary.updated, summary.unchanged) == (1, 1)
    assert Indicator.objects.get(code="home_care_hours").tolerance_pct == 4


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        (("kind: activity", "kind: output"), "kind", "'output' is not one of activity, result"),
        (("measure: count", "measure: percent"), "measure", "is not one of count, share, rate_per_1000"),
        (("temporal: flow", "temporal: stream"), "temporal", "is not one of flow, stock"),
        (("direction: higher\n    unit", "direction: up\n    unit"), "direction", "is not one of higher, lower"),
        (("code: home_care_hours", "code: ''"), "code", "code is missing"),
        (("name: Leverede timer i hjemmeplejen", "description2: x"), "name", "name is missing"),
        (("task_area: aeldre", "task_area: nowhere"), "task_area", "no task area with code 'nowhere'"),
        (("code: youth_in_job", "code: home_care_hours"), "code", "duplicate code 'home_care_hours'"),
        (("key: true", "key: maybe"), "key", "is not true or false"),
        (("tolerance_pct: 2.5", "tolerance_pct: -1"), "tolerance_pct", "is not a percentage"),
        (("sort_order: 3", "sort_order: first"), "sort_order", "is not a whole number"),
        (("owner: Sundhed og Ældre", "ownr: x"), "ownr", "unknown field 'ownr'"),
        (("code: home_care_hours", "code: ../../etc/passwd"), "code", "is not an identifier"),
        (("code: home_care_hours", "code: hjemmepleje timer"), "code", "is not an identifier"),
        (("code: home_care_hours", "code: 'a?b'"), "code", "is not an identifier"),
        (("code: home_care_hours", "code: " + "a" * 65), "code", "longer than 64 characters"),
    ],
)
def test_a_bad_definition_is_refused(area, tmp_path, change, column, reason):
    indicator("existing")
    problems = refused(indicators_define, write(tmp_path, "ind.yaml", YAML.replace(*change)))
    matching = [p for p in problems if p.column == column]
    assert matching and reason in matching[0].reason, problems
    assert matching[0].file == "ind.yaml" and matching[0].row in (1, 2)


def test_yaml_that_is_not_a_list_of_mappings_is_refused(tmp_path):
    assert "expected a list" in refused(indicators_define, write(tmp_path, "x.yaml", "code: a\n"))[0].reason
    assert "not valid YAML" in refused(indicators_define, write(tmp_path, "x.yaml", "- code: [a\n"))[0].reason
    assert "expected a mapping" in refused(indicators_define, write(tmp_path, "x.yaml", "- just text\n"))[0].reason


def test_an_unknown_csv_column_is_refused(tmp_path):
    path = write(tmp_path, "ind.csv", "code,name,colour\na,A,red\n")
    problem = refused(indicators_define, path)[0]
    assert (problem.row, problem.column) == (1, "colour")


def test_changing_measure_or_temporal_of_an_observed_indicator_is_refused(area, tmp_path):
    indicators_define(path=write(tmp_path, "ind.yaml", YAML))
    small_tree()
    observe("youth_in_job", "T11", "2025-01", 3, 10)
    problems = refused(indicators_define, write(tmp_path, "ind.yaml", YAML.replace("measure: share", "measure: count")))
    assert [(p.row, p.column) for p in problems] == [(2, "measure")]
    assert "would change what they mean" in problems[0].reason
    problems = refused(
        indicators_define, write(tmp_path, "ind.yaml", YAML.replace("temporal: stock", "temporal: flow"))
    )
    assert [(p.row, p.column) for p in problems] == [(2, "temporal")]
    # Without observations the same change is allowed.
    indicators_define(path=write(tmp_path, "ind.yaml", YAML.replace("measure: count", "measure: share", 1)))
    assert Indicator.objects.get(code="home_care_hours").measure == "share"


# --- targets --------------------------------------------------------------------------------------------------

TARGETS = "indicator,unit_id,year,target\n"


@pytest.fixture
def setup():
    small_tree()
    indicator("visits")
    indicator("share", measure="share", temporal="stock")
    Target.objects.create(indicator_id="visits", unit_id="K", year=2024, value=10)


def test_targets_are_imported_and_reimport_replaces_the_value(setup, tmp_path):
    path = write(tmp_path, "t.csv", TARGETS + "visits,T11,2025,1200\nshare,I1,2025,80.5\n")
    summary = targets_import(path=path)
    assert (summary.created, summary.updated) == (2, 0)
    before = snapshot()
    assert targets_import(path=path).unchanged == 2
    assert snapshot() == before
    summary = targets_import(path=write(tmp_path, "t.csv", TARGETS + "visits,T11,2025,1300\n"))
    assert (summary.created, summary.updated) == (0, 1)
    assert Target.objects.get(unit_id="T11").value == 1300
    assert Target.objects.get(unit_id="I1").value == Decimal("80.5")  # not in the file: kept


def test_targets_in_a_danish_semicolon_file(setup, tmp_path):
    targets_import(path=write(tmp_path, "t.csv", "indicator;unit_id;year;target\nshare;I1;2025;72,5\n"))
    assert Target.objects.get(unit_id="I1").value == Decimal("72.5")


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("nope,T11,2025,1", "indicator", "unknown indicator 'nope'"),
        ("visits,NOPE,2025,1", "unit_id", "unknown unit 'NOPE'"),
        ("visits,T11,25,1", "year", "is no budget year"),
        ("visits,T11,2025.5,1", "year", "is no budget year"),
        ("visits,T11,next,1", "year", "is no budget year"),
        ("visits,T11,2025,many", "target", "is not a number"),
        ("visits,T11,2025,", "target", "target is missing"),
        ("share,T11,2025,101", "target", "outside 0..100"),
        ("visits,T11,2025,-3", "target", "negative"),
    ],
)
def test_a_bad_target_is_refused(setup, tmp_path, row, column, reason):
    problems = refused(targets_import, write(tmp_path, "t.csv", TARGETS + "visits,T12,2025,5\n" + row + "\n"))
    assert [(p.file, p.row, p.column) for p in problems] == [("t.csv", 3, column)]
    assert reason in problems[0].reason


def test_a_duplicate_target_row_is_refused(setup, tmp_path):
    problems = refused(targets_import, write(tmp_path, "t.csv", TARGETS + "visits,T12,2025,5\nvisits,T12,2025,6\n"))
    assert [(p.row, p.column) for p in problems] == [(3, None)]
    assert "first at row 2" in problems[0].reason


def test_a_target_file_without_its_columns_is_refused(setup, tmp_path):
    problems = refused(targets_import, write(tmp_path, "t.csv", "indicator,unit,year,target\nvisits,T12,2025,5\n"))
    assert "missing column(s) unit_id" in problems[0].reason
