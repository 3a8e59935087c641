"""The demo generator's files: deterministic, the right size, consistent with each other and the contracts."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest
import yaml

from driftsblik.core.periods import Month
from driftsblik.demo.build import (
    COMMITTEES_FILE,
    GROUPS_FILE,
    INDICATORS_FILE,
    OBSERVATIONS_FILE,
    ORGANISATION_FILE,
    TARGETS_FILE,
    last_complete_month,
    write_demo_files,
)
from driftsblik.demo.indicators import INDICATORS, REGISTER_CODES
from driftsblik.demo.names import DEMO_DOMAIN, email_local_part
from driftsblik.demo.organisation import MOVED_TEAM, REGISTER_TEAMS, REORGANISATION_DAY, ROOT_NAME
from driftsblik.demo.registers import register_targets

UNTIL = Month(2026, 10)
REGISTER_DESIGN = {
    "cash_benefit_long_term": ("count", "stock"),
    "cash_benefit_long_term_in_work": ("share", "stock"),
    "youth_in_job_or_education": ("share", "stock"),
    "youth_neet_3m": ("count", "stock"),
    "elderly_readmission_30d": ("share", "flow"),
    "elderly_preventable_admissions_per_1000": ("rate_per_1000", "flow"),
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_demo_files(tmp_path_factory.mktemp("demo"), seed=2026, last_month=UNTIL)


@pytest.fixture(scope="module")
def org_rows(demo):
    return _rows(demo.path(ORGANISATION_FILE))


@pytest.fixture(scope="module")
def current(org_rows):
    """Each unit's open (today's) span."""
    return {r["unit_id"]: r for r in org_rows if not r["valid_to"]}


def test_same_seed_gives_identical_files_and_another_seed_other_figures(demo, tmp_path):
    again = write_demo_files(tmp_path / "again", seed=2026, last_month=UNTIL)
    other = write_demo_files(tmp_path / "other", seed=7, last_month=UNTIL)
    for name in (ORGANISATION_FILE, COMMITTEES_FILE, GROUPS_FILE, INDICATORS_FILE, TARGETS_FILE, OBSERVATIONS_FILE):
        assert again.path(name).read_bytes() == demo.path(name).read_bytes(), name
    assert other.path(OBSERVATIONS_FILE).read_bytes() != demo.path(OBSERVATIONS_FILE).read_bytes()
    assert other.path(TARGETS_FILE).read_bytes() != demo.path(TARGETS_FILE).read_bytes()


def test_rebuilding_into_the_same_folder_replaces_the_files(tmp_path):
    first = write_demo_files(tmp_path, seed=1, last_month=UNTIL, scale=0.1)
    first_rows = _rows(first.path(OBSERVATIONS_FILE))
    (tmp_path / "registers").mkdir()
    second = write_demo_files(tmp_path, seed=2, last_month=UNTIL, scale=0.1)
    assert not (tmp_path / "registers").exists()
    assert _rows(second.path(OBSERVATIONS_FILE)) != first_rows
    assert len(_rows(second.path(OBSERVATIONS_FILE))) == len(second.figures.observations)


def test_sizes_are_those_of_a_municipality_like_hjoerring(current, demo):
    kinds = Counter(r["kind"] for r in current.values())
    assert kinds["root"] == 1
    assert kinds["area"] == 4
    assert 12 <= kinds["sector"] <= 18
    assert 105 <= kinds["institution"] <= 135
    assert 170 <= kinds["team"] <= 230
    assert 35 <= len(INDICATORS) <= 50
    assert 6 <= sum(i.key for i in INDICATORS) <= 10
    assert 60_000 <= len(demo.figures.observations) <= 300_000
    assert demo.residents == 64_000


def test_the_root_and_the_four_directorate_areas(current):
    root = next(r for r in current.values() if r["kind"] == "root")
    assert root["name"] == ROOT_NAME
    assert root["parent_id"] == ""
    areas = {r["name"] for r in current.values() if r["kind"] == "area"}
    assert areas == {
        "Arbejdsmarked og Uddannelse",
        "Børn, Fritid og Undervisning",
        "Sundhed, Ældre og Handicap",
        "Teknik og Miljø",
    }
    assert all(r["parent_id"] == root["unit_id"] for r in current.values() if r["kind"] == "area")


def test_every_unit_has_a_named_leader_with_a_demo_address(org_rows):
    for row in org_rows:
        assert row["leader_name"] and " " in row["leader_name"]
        assert row["leader_email"] == f"{email_local_part(row['leader_name'])}@{DEMO_DOMAIN}"
    leaders = {(r["unit_id"], r["leader_email"]) for r in org_rows}
    assert len({email for _, email in leaders}) == len(leaders), "one person leads one unit"


def test_the_register_engine_units_are_teams_under_their_institutions(current):
    parents = {"beskaeftigelse": "Jobcenter Hjørring", "unge": "Ungeenheden", "aeldre": "Hjemmeplejen"}
    for domain, team_ids in REGISTER_TEAMS.items():
        for team_id in team_ids:
            assert current[team_id]["kind"] == "team"
            assert current[current[team_id]["parent_id"]]["name"] == parents[domain]
    assert len(REGISTER_TEAMS["beskaeftigelse"]) == 8
    assert len(REGISTER_TEAMS["unge"]) == 5
    assert len(REGISTER_TEAMS["aeldre"]) == 8


def test_one_team_moved_between_institutions_with_two_spans(org_rows):
    spans = [r for r in org_rows if r["unit_id"] == MOVED_TEAM]
    assert len(spans) == 2
    before, after = spans
    assert before["parent_id"] != after["parent_id"]
    assert dt.date.fromisoformat(before["valid_to"]) == REORGANISATION_DAY - dt.timedelta(days=1)
    assert after["valid_from"] == REORGANISATION_DAY.isoformat()
    assert after["valid_to"] == ""


def test_names_are_unique_per_level_and_parents_come_first(current, org_rows):
    by_kind = defaultdict(list)
    for row in current.values():
        by_kind[row["kind"]].append(row["name"])
    for kind, names in by_kind.items():
        assert len(names) == len(set(names)), kind
    seen: set[str] = set()
    for row in org_rows:
        assert not row["parent_id"] or row["parent_id"] in seen, row
        seen.add(row["unit_id"])


def test_observations_are_at_known_operational_units_and_months(demo, current):
    parents = {r["parent_id"] for r in current.values()}
    leaves = set(current) - parents
    obs = _rows(demo.path(OBSERVATIONS_FILE))
    codes = {i.code for i in INDICATORS} - set(REGISTER_CODES)
    assert {r["unit_id"] for r in obs} <= leaves
    assert {r["indicator"] for r in obs} == codes
    periods = {r["period"] for r in obs}
    assert min(periods) == "2024-01"
    assert max(periods) == "2026-10"
    units_with_sickness = {r["unit_id"] for r in obs if r["indicator"] == "sickness_absence"}
    assert units_with_sickness == leaves, "sickness absence at every operational unit"
    cells = [(r["indicator"], r["unit_id"], r["period"]) for r in obs]
    assert len(cells) == len(set(cells))


def test_figures_obey_the_import_rules(demo):
    measures = {i.code: i.measure for i in INDICATORS}
    for row in _rows(demo.path(OBSERVATIONS_FILE)):
        numerator = float(row["numerator"])
        assert numerator >= 0
        if measures[row["indicator"]] == "count":
            assert row["denominator"] == ""
        else:
            denominator = float(row["denominator"])
            assert denominator > 0
            if measures[row["indicator"]] == "share":
                assert numerator <= denominator, row


def test_every_indicator_with_figures_has_targets_every_year_at_its_units_and_above(demo, current):
    """Above a unit means in the tree at the year's end: the moved team counts under its old parent before."""
    assert demo.organisation.ancestors(MOVED_TEAM, dt.date(2024, 12, 31))[0] != current[MOVED_TEAM]["parent_id"]
    obs = _rows(demo.path(OBSERVATIONS_FILE))
    targets = {(r["indicator"], r["unit_id"], int(r["year"])) for r in _rows(demo.path(TARGETS_FILE))}
    reported = {(r["indicator"], r["unit_id"]) for r in obs}
    for code, unit in reported:
        for year in (2024, 2025, 2026):
            for target_unit in [unit, *demo.organisation.ancestors(unit, dt.date(year, 12, 31))]:
                assert (code, target_unit, year) in targets, (code, target_unit, year)


def test_parent_targets_are_set_of_their_own(demo):
    """A parent's target is not simply its children's added up (DESIGN.md allows them to differ)."""
    targets = {(r["indicator"], r["unit_id"], r["year"]): float(r["target"]) for r in _rows(demo.path(TARGETS_FILE))}
    team_sum = sum(targets[("homecare_hours", t, "2025")] for t in REGISTER_TEAMS["aeldre"])
    parent = targets[("homecare_hours", "HJP", "2025")]
    assert parent != pytest.approx(team_sum, rel=1e-6)
    assert parent == pytest.approx(team_sum, rel=0.15)


def test_off_target_units_are_clearly_worse_than_their_target(demo):
    assert len(demo.figures.off_target) >= 3
    targets = {(c, u, y): float(t) for c, u, y, t in demo.figures.targets}
    for item in demo.figures.off_target:
        ind = item.indicator
        num = den = 0.0
        for code, unit, period, n, d in demo.figures.observations:
            if code == ind.code and unit == item.unit.id and period.startswith("2026"):
                num, den = num + float(n), den + float(d or 0)
        scale = 100.0 if ind.model in {"share", "staff"} else 1.0
        value = scale * num / den
        target = targets[(ind.code, item.unit.id, 2026)]
        worse = (
            value > target * (1 + ind.tolerance_pct / 100)
            if ind.direction == "lower"
            else (value < target * (1 - ind.tolerance_pct / 100))
        )
        assert worse, (ind.code, item.unit.id, value, target)


def test_seasonality_school_holiday_and_winter_home_care(demo):
    obs = _rows(demo.path(OBSERVATIONS_FILE))
    assert not [r for r in obs if r["indicator"] == "school_absence" and r["period"].endswith("-07")]
    hours = defaultdict(float)
    for r in obs:
        if r["indicator"] == "homecare_hours":
            hours[r["period"]] += float(r["numerator"])
    assert hours["2025-01"] > hours["2025-07"] * 1.08


def test_indicator_definitions_follow_the_contract(demo):
    data = yaml.safe_load(demo.path(INDICATORS_FILE).read_text(encoding="utf-8"))["indicators"]
    fields = [
        "code",
        "name",
        "description",
        "kind",
        "measure",
        "temporal",
        "direction",
        "unit_label",
        "tolerance_pct",
        "task_area",
        "person_based",
        "key",
        "source",
        "owner",
        "sort_order",
    ]
    task_areas = {r["task_area"] for r in _rows(demo.path(COMMITTEES_FILE))}
    assert [d["code"] for d in data] == [i.code for i in INDICATORS]
    for entry in data:
        assert list(entry) == fields
        assert entry["description"].strip() and entry["task_area"] in task_areas
        assert entry["kind"] in {"activity", "result"} and entry["direction"] in {"higher", "lower"}
    by_code = {d["code"]: d for d in data}
    for code, (measure, temporal) in REGISTER_DESIGN.items():
        assert (by_code[code]["measure"], by_code[code]["temporal"]) == (measure, temporal)
        assert by_code[code]["person_based"] is True


def test_committees_own_two_to_four_task_areas_of_known_units(demo, current):
    rows = _rows(demo.path(COMMITTEES_FILE))
    by_committee = defaultdict(list)
    for row in rows:
        by_committee[row["committee_name"]].append(row)
        assert all(u in current for u in row["units"].split("|"))
    assert set(by_committee) == {
        "Økonomiudvalget",
        "Arbejdsmarkeds- og Uddannelsesudvalget",
        "Børne-, Fritids- og Undervisningsudvalget",
        "Sundheds-, Ældre- og Handicapudvalget",
        "Teknik- og Miljøudvalget",
    }
    assert all(2 <= len(areas) <= 4 for areas in by_committee.values())


def test_groups_put_the_directorate_and_an_analyst_in_place(demo, current):
    rows = _rows(demo.path(GROUPS_FILE))
    directorate = {r["email"] for r in rows if r["group"] == "directorate"}
    expected = {r["leader_email"] for r in current.values() if r["kind"] in {"root", "area"}}
    assert directorate == expected and len(directorate) == 5
    assert [r["email"] for r in rows if r["group"] == "analysts"] == [f"analytiker@{DEMO_DOMAIN}"]


def test_no_file_holds_anything_like_a_cpr_number(demo):
    cpr = re.compile(r"(?<!\d)[0-3]\d[01]\d{3}-?\d{4}(?!\d)")
    for path in demo.directory.iterdir():
        if path.is_file():
            assert not cpr.search(path.read_text(encoding="utf-8")), path.name


def test_a_smaller_build_shrinks_the_repeated_institutions(tmp_path, demo):
    small = write_demo_files(tmp_path, seed=2026, last_month=UNTIL, scale=0.1)
    assert len(small.organisation.units) < len(demo.organisation.units) / 2
    assert all(t in small.organisation.units for ids in REGISTER_TEAMS.values() for t in ids)
    assert small.residents == 6_400


@pytest.mark.parametrize("scale", [0, -1, 1.5])
def test_a_scale_outside_0_to_1_is_refused(tmp_path, scale):
    with pytest.raises(ValueError, match="scale"):
        write_demo_files(tmp_path, last_month=UNTIL, scale=scale)


def test_the_last_complete_month_is_the_month_before_today():
    assert last_complete_month(dt.date(2026, 11, 27)) == Month(2026, 10)
    assert last_complete_month(dt.date(2027, 1, 1)) == Month(2026, 12)


def test_register_targets_roll_up_the_engine_output_to_every_level(demo):
    rows = [
        {
            "indicator": "youth_in_job_or_education",
            "unit_id": "UNG-T01",
            "period": "2025-01",
            "numerator": 80,
            "denominator": 100,
            "value": 80.0,
        },
        {
            "indicator": "youth_in_job_or_education",
            "unit_id": "UNG-T02",
            "period": "2025-01",
            "numerator": 45,
            "denominator": 50,
            "value": 90.0,
        },
        {
            "indicator": "youth_neet_3m",
            "unit_id": "UNG-T01",
            "period": "2025-01",
            "numerator": 10,
            "denominator": None,
            "value": 10.0,
        },
        {
            "indicator": "youth_neet_3m",
            "unit_id": "UNG-T01",
            "period": "2025-02",
            "numerator": 20,
            "denominator": None,
            "value": 20.0,
        },
        {
            "indicator": "youth_neet_3m",
            "unit_id": "_unassigned",
            "period": "2025-02",
            "numerator": 3,
            "denominator": None,
            "value": 3.0,
        },
    ]
    targets = {
        (c, u, y): float(t) for c, u, y, t in register_targets(rows, demo.organisation, np.random.default_rng(1))
    }
    youth = targets[("youth_in_job_or_education", "UNG", 2025)]
    assert 100 * 125 / 150 <= youth <= 100 * 125 / 150 * 1.04 + 0.05, "sum over sum, a little higher"
    assert ("youth_in_job_or_education", "HJK", 2025) in targets
    neet = targets[("youth_neet_3m", "UNG-T01", 2025)]
    assert 15 * 0.96 - 0.05 <= neet <= 15, "a stock's yearly level is the mean of its months, a little lower"
    assert not [k for k in targets if k[1] == "_unassigned"]


def test_activities_and_results_are_what_a_municipal_leader_calls_them():
    """Volumes that drive the budget are activities, held against their plan both ways (delivered
    home-care hours are no 'lower is better'); outcomes and reduction goals are results."""
    from driftsblik.demo.indicators import INDICATORS

    kinds = {i.code: (i.kind, i.direction) for i in INDICATORS}
    for code in ("homecare_hours", "homecare_citizens", "nursing_visits", "interviews_held", "pupils", "net_spend"):
        assert kinds[code][0] == "activity", code
    assert kinds["overtime_hours"] == ("result", "lower") and kinds["temp_staff_hours"] == ("result", "lower")
    for code in ("youth_in_job_or_education", "nursing_home_occupancy", "homecare_delivered_share"):
        assert kinds[code] == ("result", "higher"), code
    for code in ("cash_benefit_long_term", "elderly_readmission_30d", "sickness_absence", "days_to_first_interview"):
        assert kinds[code] == ("result", "lower"), code
