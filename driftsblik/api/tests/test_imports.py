"""Uploads for pipelines: observations and targets through the command line's import services; all
or nothing, a 422 naming file, row, column and reason, the same file twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from driftsblik.api.models import ApiToken, Scope
from driftsblik.api.tests.helpers import token_for
from driftsblik.indicators.models import Observation, Target
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db

GOOD = "indicator,unit_id,period,numerator,denominator\nvisits,S1I1T1,2025-04,120,\nin_job,S1I1T1,2025-04,21,40\n"
BAD = "indicator,unit_id,period,numerator,denominator\nvisits,S1I1T1,2025-04,120,\nvisits,NOPE,2025-13,-1,\n"


@pytest.fixture
def town():
    build_municipality()
    return people()


def post(client, token, url, name, text):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(url, {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token}")


def snapshot():
    return sorted(Observation.objects.values_list("indicator_id", "unit_id", "period", "numerator", "denominator"))


def test_a_good_file_is_loaded_and_twice_changes_nothing(client, town):
    token = token_for(town["analyst"], Scope.IMPORT)
    first = post(client, token, "/api/v1/imports/observations", "april.csv", GOOD)
    assert first.status_code == 200
    assert first.json() == {"file": "april.csv", "rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    before = snapshot()
    again = post(client, token, "/api/v1/imports/observations", "april.csv", GOOD).json()
    assert again["created"] == 0 and again["updated"] == 0 and again["unchanged"] == 2
    assert snapshot() == before


def test_a_bad_file_is_a_422_naming_every_problem_and_stores_nothing(client, town):
    token = token_for(town["analyst"], Scope.IMPORT)
    before = snapshot()
    response = post(client, token, "/api/v1/imports/observations", "april.csv", BAD)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {(e["file"], e["row"], e["column"]) for e in errors} == {
        ("april.csv", 3, "unit_id"),
        ("april.csv", 3, "period"),
        ("april.csv", 3, "numerator"),
    }
    assert all(e["reason"] for e in errors)
    assert snapshot() == before  # the good row 2 was not stored either


def test_the_api_and_the_command_line_leave_identical_databases(client, town, tmp_path):
    path = tmp_path / "april.csv"
    path.write_text(GOOD)
    call_command("observations", "import", str(path))
    by_command = snapshot()
    Observation.objects.filter(period__year=2025, period__month=4).delete()
    token = token_for(town["analyst"], Scope.IMPORT)
    assert post(client, token, "/api/v1/imports/observations", "april.csv", GOOD).status_code == 200
    assert snapshot() == by_command


def test_targets_upload(client, town):
    token = token_for(town["analyst"], Scope.IMPORT)
    text = "indicator,unit_id,year,target\nvisits,S1,2026,1200\n"
    response = post(client, token, "/api/v1/imports/targets", "maal.csv", text)
    assert response.status_code == 200 and response.json()["created"] == 1
    assert Target.objects.get(unit_id="S1", year=2026).value == 1200
    bad = post(client, token, "/api/v1/imports/targets", "maal.csv", "indicator,unit_id,year,target\nvisits,S1,26,x\n")
    assert bad.status_code == 422
    assert {e["column"] for e in bad.json()["errors"]} == {"year", "target"}


def test_a_read_token_or_a_leader_may_not_import(client, town):
    before = snapshot()
    read_token = token_for(town["analyst"], Scope.READ)
    assert post(client, read_token, "/api/v1/imports/observations", "a.csv", GOOD).status_code == 403
    leader_token = token_for(town["director"], Scope.READ)
    ApiToken.objects.filter(user=town["director"]).update(scope=Scope.IMPORT)  # made by hand, not on the page
    assert post(client, leader_token, "/api/v1/imports/observations", "a.csv", GOOD).status_code == 403
    assert snapshot() == before
