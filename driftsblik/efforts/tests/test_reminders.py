"""`driftsblik tick`: an effort's owner is told once about each late milestone, by e-mail on loopback."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from driftsblik.efforts.services import milestone_add
from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def _tick(day: dt.date) -> str:
    out = io.StringIO()
    call_command("tick", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def test_a_late_milestone_is_told_to_the_owner_once(smtp_server):
    effort = build_effort(with_figures=False)
    milestone_add(effort=effort, phase="development", title="Fælles plan", due=dt.date(2025, 3, 31))
    milestone_add(effort=effort, phase="development", title="Aftale", due=dt.date(2025, 3, 1), status="done")
    assert "0 late milestone(s)" in _tick(dt.date(2025, 3, 31))  # due today: not late yet
    assert "1 late milestone(s)" in _tick(dt.date(2025, 4, 1))
    assert "0 late milestone(s)" in _tick(dt.date(2025, 4, 2))  # told once
    assert [(m["To"], " ".join(str(m["Subject"]).split())) for m in smtp_server] == [
        ("direktor@example.dk", "[Driftsblik] Milepæl forsinket: Fælles plan")
    ]
    assert Notification.objects.get().url == "/indsatser/ungegaranti/"
