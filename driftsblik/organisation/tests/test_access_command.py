"""`access show`: the public example's expected visibility, through the policy and through the command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP, User
from driftsblik.organisation.services import org_import
from driftsblik.organisation.tests.factories import make_user
from driftsblik.organisation.tests.test_org_import import example_path
from driftsblik.organisation.visibility import visible_units


def expected_visibility() -> dict[str, dict[str, str]]:
    public = Path("/work/shared/examples/org-small-expected-visibility.json")
    path = public if public.exists() else Path(__file__).parent / "data" / public.name
    expected: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return expected


EXPECTED = expected_visibility()


@pytest.fixture
def example(db):
    org_import(path=example_path())


def access_json(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("access", "show", *args, "--json", stdout=out)
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_every_leader_sees_what_the_example_says_through_the_policy(example, email):
    user = User.objects.get(email=email)
    seen = {unit: access.relation for unit, access in visible_units(user).items()}
    assert seen == EXPECTED[email]


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_every_leader_sees_what_the_example_says_through_the_command(example, email):
    report = access_json(email)
    assert report["email"] == email
    assert {u["unit_id"]: u["relation"] for u in report["units"]} == EXPECTED[email]
    keys = [(u["depth"], u["name"]) for u in report["units"]]
    assert keys == sorted(keys)
    for unit in report["units"]:
        assert set(unit) == {"unit_id", "name", "kind", "depth", "relation", "reason"}
        assert unit["reason"]


def test_the_json_names_the_person_and_explains_each_unit(example):
    report = access_json("leder.syd@eksempel.test")
    assert report["name"] == "Skoleleder Syd"
    assert report["leads"] == ["SYD"]
    by_id = {u["unit_id"]: u for u in report["units"]}
    assert by_id["SYD"] == {
        "unit_id": "SYD",
        "name": "Sydskolen",
        "kind": "institution",
        "depth": 3,
        "relation": "self",
        "reason": "leads Sydskolen",
    }
    assert by_id["NORD-UDS"]["reason"] == "1 level(s) below Sydskolen"
    assert by_id["BU"]["reason"] == "2 level(s) above Sydskolen"
    assert by_id["NORD"]["reason"] == "peer of Sydskolen under Skoler"


def test_on_a_day_before_the_move_the_team_lies_under_nord(example):
    nord = {u["unit_id"]: u["relation"] for u in access_json("leder.nord@eksempel.test", "--on", "2024-06-30")["units"]}
    syd = {u["unit_id"]: u["relation"] for u in access_json("leder.syd@eksempel.test", "--on", "2024-06-30")["units"]}
    assert nord["NORD-UDS"] == "below"
    assert "NORD-UDS" not in syd
    # the team's own leader only took over with the move: nothing on the day before
    assert access_json("team.uds@eksempel.test", "--on", "2024-07-31")["units"] == []


def test_directorate_members_see_as_the_root_leader_and_analysts_see_all(example):
    make_user("direktion@eksempel.test", groups=[DIRECTORATE_GROUP])
    make_user("analytiker@eksempel.test", groups=[ANALYST_GROUP])
    directorate = {u["unit_id"]: u["relation"] for u in access_json("direktion@eksempel.test")["units"]}
    assert directorate == EXPECTED["kommunaldirektoer@eksempel.test"]
    analyst = access_json("analytiker@eksempel.test")["units"]
    assert {u["relation"] for u in analyst} == {"all"}
    assert len(analyst) == 10


def test_the_human_output_is_a_table_with_relation_and_reason(example):
    out = StringIO()
    call_command("access", "show", "chef.skole@eksempel.test", stdout=out)
    text = out.getvalue()
    assert "Skolechef <chef.skole@eksempel.test>" in text
    assert "leads SKOLE" in text
    lines = [line for line in text.splitlines() if "NORD-UDS" in line]
    assert len(lines) == 1
    assert "below" in lines[0]
    assert "2 level(s) below Skoler" in lines[0]
    assert "PLEJE" not in text


def test_a_person_who_sees_nothing_is_told_so(example):
    make_user("ingen@eksempel.test", name="Ingen")
    out = StringIO()
    call_command("access", "show", "ingen@eksempel.test", stdout=out)
    assert "sees no unit" in out.getvalue()


def test_the_email_is_matched_without_regard_to_case(example):
    assert access_json("Leder.Nord@Eksempel.test")["email"] == "leder.nord@eksempel.test"


def test_an_unknown_email_is_a_clear_error(example):
    with pytest.raises(CommandError, match="no user with e-mail 'nobody@eksempel.test'"):
        call_command("access", "show", "nobody@eksempel.test", stdout=StringIO())


def test_a_bad_date_is_a_clear_error(example):
    with pytest.raises(CommandError, match="--on: 'igår' is no date"):
        call_command("access", "show", "leder.nord@eksempel.test", "--on", "igår", stdout=StringIO())
