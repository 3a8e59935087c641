"""`driftsblik demo`: a small full build through the real import services, rebuilds, refusals, demo mode."""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core.management.commands import serve
from driftsblik.core.periods import Month
from driftsblik.demo.build import MEMBERS_FILE, OBSERVATIONS_FILE, ORGANISATION_FILE, TARGETS_FILE
from driftsblik.demo.indicators import REGISTER_CODES
from driftsblik.demo.names import ANALYST_EMAIL
from driftsblik.indicators.models import Indicator, Observation, Target
from driftsblik.indicators.rollup import monthly_cells
from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP, Leadership, Unit, UnitSpan, User

SMALL = ("--no-serve", "--no-registers", "--scale", "0.1", "--until", "2026-10")


def _rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _build(tmp_path, *extra: str) -> str:
    out = io.StringIO()
    call_command("demo", *SMALL, "--data-dir", str(tmp_path), *extra, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_small_build_loads_every_file_through_the_services(tmp_path):
    output = _build(tmp_path)
    org = _rows(tmp_path / ORGANISATION_FILE)
    observations = _rows(tmp_path / OBSERVATIONS_FILE)
    assert Unit.objects.count() == len({r["unit_id"] for r in org})
    assert UnitSpan.objects.count() == len(org)
    assert Leadership.objects.count() == len(org)
    assert Observation.objects.count() == len(observations)
    assert Target.objects.count() == len(_rows(tmp_path / TARGETS_FILE))
    assert Indicator.objects.filter(code="cash_benefit_long_term", person_based=True).exists()
    assert Group.objects.get(name=DIRECTORATE_GROUP).user_set.count() == 5
    assert list(Group.objects.get(name=ANALYST_GROUP).user_set.values_list("email", flat=True)) == [ANALYST_EMAIL]
    assert "Clearly off target" in output and "Kommunaldirektør" in output
    assert "register indicators left out" in output
    # every person is the demo's, so `serve` accepts the database in demo mode
    assert User.objects.filter(created_by_demo=True).count() > 20
    assert not User.objects.filter(created_by_demo=False).exists()


@pytest.mark.django_db(transaction=True)
def test_the_loaded_demo_rolls_up_to_the_root_as_the_files_add_up(tmp_path):
    _build(tmp_path)
    month = Month(2026, 3)
    rows = [r for r in _rows(tmp_path / OBSERVATIONS_FILE) if r["indicator"] == "sickness_absence"]
    numerator = sum(Decimal(r["numerator"]) for r in rows if r["period"] == "2026-03")
    denominator = sum(Decimal(r["denominator"]) for r in rows if r["period"] == "2026-03")
    indicator = Indicator.objects.get(code="sickness_absence")
    cell = monthly_cells([indicator], ["HJK"], [month])[("sickness_absence", "HJK", month)]
    assert (cell.numerator, cell.denominator) == (numerator, denominator)


@pytest.mark.django_db(transaction=True)
def test_rebuilding_starts_from_scratch(tmp_path):
    _build(tmp_path)
    first_leaders = set(User.objects.values_list("email", flat=True))
    _build(tmp_path, "--seed", "99")
    org = _rows(tmp_path / ORGANISATION_FILE)
    assert set(Unit.objects.values_list("id", flat=True)) == {r["unit_id"] for r in org}
    assert Observation.objects.count() == len(_rows(tmp_path / OBSERVATIONS_FILE))
    leaders = {r["leader_email"] for r in org}
    members = {r["member_email"] for r in _rows(tmp_path / MEMBERS_FILE)}
    assert set(User.objects.values_list("email", flat=True)) == leaders | members | {ANALYST_EMAIL}
    assert first_leaders - leaders, "the first build's leaders are gone"


@pytest.mark.django_db(transaction=True)
def test_a_database_with_other_data_is_refused_unless_forced(tmp_path):
    User.objects.create_user(username="leder@kommune.dk", email="leder@kommune.dk", password="x" * 12)
    with pytest.raises(CommandError, match="outside the demo"):
        _build(tmp_path)
    assert User.objects.filter(email="leder@kommune.dk").exists()
    assert not Unit.objects.exists()
    _build(tmp_path, "--force")
    assert not User.objects.filter(email="leder@kommune.dk").exists()
    assert Unit.objects.filter(id="HJK").exists()


@pytest.mark.django_db(transaction=True)
def test_an_organisation_that_is_not_the_demos_is_refused(tmp_path):
    Unit.objects.create(id="KOMMUNE")
    with pytest.raises(CommandError, match="not the demo's"):
        _build(tmp_path)
    assert Unit.objects.filter(id="KOMMUNE").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scale", "0"), "--scale"),
        (("--scale", "2.5"), "--scale"),
        (("--scale", "16"), "--scale"),
        (("--until", "2026-13"), "no month"),
    ],
)
@pytest.mark.django_db
def test_bad_options_are_refused(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", "--no-serve", "--data-dir", str(tmp_path), *args)


@pytest.mark.django_db(transaction=True)
def test_serving_turns_demo_mode_on_for_this_process_only(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("DRIFTSBLIK_DEMO", "false")
    settings.DEMO_MODE = False
    seen = {}

    def record(self, *args, **options):
        seen.update(env=os.environ["DRIFTSBLIK_DEMO"], demo_mode=django_settings.DEMO_MODE, **options)

    monkeypatch.setattr(serve.Command, "handle", record)
    call_command(
        "demo",
        "--no-registers",
        "--scale",
        "0.1",
        "--until",
        "2026-10",
        "--data-dir",
        str(tmp_path),
        "--port",
        "8123",
        stdout=io.StringIO(),
    )
    assert seen["env"] == "true" and seen["demo_mode"] is True
    assert seen["port"] == 8123 and seen["open"] is True
    assert not list(tmp_path.glob("*.env"))


@pytest.mark.django_db(transaction=True)
def test_no_serve_leaves_demo_mode_off(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("DRIFTSBLIK_DEMO", "false")
    settings.DEMO_MODE = False
    _build(tmp_path)
    assert os.environ["DRIFTSBLIK_DEMO"] == "false"
    assert django_settings.DEMO_MODE is False


@pytest.mark.django_db(transaction=True)
def test_register_indicators_are_loaded_with_their_targets(tmp_path):
    out = io.StringIO()
    call_command("demo", "--no-serve", "--scale", "0.1", "--until", "2026-10", "--data-dir", str(tmp_path), stdout=out)
    codes = list(REGISTER_CODES)
    assert set(Observation.objects.filter(indicator_id__in=codes).values_list("indicator_id", flat=True)) == set(codes)
    for year in (2024, 2025, 2026):
        assert Target.objects.filter(indicator_id="youth_in_job_or_education", unit_id="HJK", year=year).exists()
