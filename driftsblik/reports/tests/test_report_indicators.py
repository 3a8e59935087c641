"""A committee report covers each task area with its result indicators (and its key ones), so no task
area reads "Ingen centrale nøgletal" while it has figures."""

from __future__ import annotations

import pytest

from driftsblik.core.periods import Period
from driftsblik.indicators.models import Indicator
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.render import render_fragment

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025Q1")


def codes(snapshot, area):
    found = next(a for a in snapshot["task_areas"] if a["code"] == area)
    return list(dict.fromkeys(b["indicator"] for b in found["indicators"]))


def test_result_indicators_are_in_the_report_without_being_key(town):
    Indicator.objects.update(key=False)
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert codes(snapshot, "BES") == ["in_job"]  # the result indicator; the activity one is not key
    assert "in_job" in {a["code"] for a in snapshot["appendix"]}


def test_an_area_with_only_activity_figures_shows_them(town):
    Indicator.objects.update(key=False)
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert codes(snapshot, "UNG") == ["clients"]
    assert "Ingen centrale nøgletal" not in render_fragment(snapshot)


def test_key_indicators_come_first_and_indicators_without_figures_are_left_out(town):
    Indicator.objects.filter(code="in_job").update(key=False)
    Indicator.objects.create(
        code="empty_result",
        name="Uden tal",
        kind="result",
        measure="count",
        temporal="flow",
        direction="higher",
        task_area=town["committee"].task_areas.get(code="BES"),
    )
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert codes(snapshot, "BES") == ["visits", "in_job"]


def test_a_schedule_names_its_own_indicators_and_an_area_it_does_not_cover_keeps_the_default(town):
    schedule = town["schedule"]
    schedule.indicators.set(Indicator.objects.filter(code="in_job"))
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert codes(snapshot, "BES") == ["in_job"]  # visits is key, but the schedule did not name it
    assert codes(snapshot, "UNG") == ["clients"]  # the selection names none of UNG's: its default
    assert {a["code"] for a in snapshot["appendix"]} == {"in_job", "clients"}
    schedule.indicators.clear()
    assert codes(build_snapshot(committee=town["committee"], period=Q1), "BES") == ["visits", "in_job"]


def test_the_schedules_selection_is_edited_in_the_admin(town, client):
    from driftsblik.organisation.models import User

    admin = User.objects.create(username="adm@x.dk", email="adm@x.dk", is_staff=True, is_superuser=True)
    client.force_login(admin)
    schedule = town["schedule"]
    url = f"/admin/reports/reportschedule/{schedule.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="indicators"' in page
    form = {
        "committee": town["committee"].pk,
        "cadence": schedule.cadence,
        "budget_months": "[3, 6, 9]",
        "meeting_offset_weeks": 6,
        "unit_deadline_days": 21,
        "director_deadline_days": 14,
        "recipients": schedule.recipients,
        "indicators": ["in_job"],
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(schedule.indicators.values_list("code", flat=True)) == ["in_job"]
