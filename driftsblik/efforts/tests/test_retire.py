"""`driftsblik efforts retire CODE`: a retired effort leaves the pages, the overview, the tick and new
committee reports, while everything recorded about it is kept."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core.periods import Period
from driftsblik.core.tabular import ImportRejected
from driftsblik.efforts.define import efforts_define
from driftsblik.efforts.models import Effort, Milestone, Participant
from driftsblik.efforts.services import milestone_add
from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.indicators.models import Indicator
from driftsblik.notifications.models import Notification
from driftsblik.organisation.models import DIRECTORATE_GROUP, TaskArea
from driftsblik.organisation.tests.factories import make_committee, make_user

pytestmark = pytest.mark.django_db


def _retire(code: str, *more: str) -> str:
    out = io.StringIO()
    call_command("efforts", "retire", code, *more, stdout=out)
    return out.getvalue()


def test_a_retired_effort_leaves_the_pages_and_keeps_its_history(client):
    effort = build_effort()
    milestone_add(effort=effort, phase="development", title="Plan", due=dt.date(2025, 3, 31))
    client.force_login(make_user("d@example.dk", groups=[DIRECTORATE_GROUP]))
    assert "Ungegarantien" in client.get("/indsatser/").content.decode()
    assert "ungegaranti retired on 2026-01-15" in _retire("ungegaranti", "--on", "2026-01-15")
    assert "Ungegarantien" not in client.get("/indsatser/").content.decode()
    assert client.get("/indsatser/ungegaranti/").status_code == 404
    assert client.get("/indsatser/ungegaranti/deltagere.xlsx").status_code == 404
    assert "Ungegarantien" not in client.get("/").content.decode()
    kept = Effort.all_objects.get(code="ungegaranti")
    assert kept.retired == dt.date(2026, 1, 15) and not Effort.objects.exists()
    assert Participant.objects.filter(effort=kept).count() == 4 and Milestone.objects.filter(effort=kept).exists()
    _retire("ungegaranti")  # again: changes nothing
    assert Effort.all_objects.get(code="ungegaranti").retired == dt.date(2026, 1, 15)


def test_the_tick_tells_nobody_about_a_retired_efforts_milestones():
    effort = build_effort(with_figures=False)
    milestone_add(effort=effort, phase="development", title="Plan", due=dt.date(2025, 3, 31))
    _retire("ungegaranti")
    out = io.StringIO()
    call_command("tick", "--today", "2025-04-01", stdout=out)
    assert "0 late milestone(s)" in out.getvalue()
    assert not Notification.objects.exists()


def test_new_committee_reports_leave_a_retired_effort_out():
    from driftsblik.reports.build import build_snapshot

    build_effort()
    committee = make_committee("AUU", task_areas={"BES": ("Beskæftigelse", ["J"])})
    Indicator.objects.filter(code="in_work").update(task_area=TaskArea.objects.get(code="BES"))
    quarter = Period.parse("2025Q1")
    assert [e["name"] for e in build_snapshot(committee=committee, period=quarter)["efforts"]] == ["Ungegarantien"]
    _retire("ungegaranti")
    assert build_snapshot(committee=committee, period=quarter)["efforts"] == []


def test_an_effort_stored_with_a_bad_code_can_be_retired_and_the_list_works_again(client):
    effort = build_effort()
    Effort.all_objects.filter(pk=effort.pk).update(code="../../etc/passwd")  # stored before codes were checked
    client.force_login(make_user("d@example.dk", groups=[DIRECTORATE_GROUP]))
    _retire("../../etc/passwd")
    assert client.get("/indsatser/").status_code == 200


def test_a_retired_code_cannot_be_defined_again(tmp_path):
    build_effort()
    _retire("ungegaranti")
    path = tmp_path / "efforts.yaml"
    path.write_text(
        "efforts:\n  - {code: ungegaranti, name: Igen, owner: direktor@example.dk, start: 2025-01-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        efforts_define(path=path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "code")]
    assert "was retired on" in caught.value.problems[0].reason


def test_a_retired_code_cannot_be_created_again():
    from django.core.exceptions import ValidationError

    from driftsblik.efforts.services import effort_create

    effort = build_effort(with_figures=False)
    _retire("ungegaranti", "--on", "2026-01-15")
    with pytest.raises(ValidationError, match=r"exists already \(retired on 2026-01-15\)"):
        effort_create(code="ungegaranti", name="Igen", owner=effort.owner, start=dt.date(2026, 2, 1))


def test_retiring_an_unknown_effort_or_on_no_date_is_refused():
    with pytest.raises(CommandError, match="no effort with code 'nope'"):
        _retire("nope")
    with pytest.raises(CommandError, match="is not a date"):
        _retire("nope", "--on", "2026-02-30")
