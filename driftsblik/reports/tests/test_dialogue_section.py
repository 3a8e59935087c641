"""Open challenges and actions per task area, from the dialogue app: counts, and the text of the chosen."""

from __future__ import annotations

import datetime as dt

import pytest

from driftsblik.core.periods import Period
from driftsblik.dialogue import services
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import TaskArea, Unit
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.cadence import due_for
from driftsblik.reports.commentary import commentary_write
from driftsblik.reports.render import render_document

pytestmark = pytest.mark.django_db


def test_open_challenges_and_actions_below_the_task_areas_units(town):
    answer_by = dt.date.today() + dt.timedelta(days=14)
    challenge = services.challenge_raise(
        author=town["sector"],
        unit=Unit.objects.get(pk="S1I1"),
        indicator=Indicator.objects.get(code="visits"),
        period="2025-03",
        question="Hvorfor <faldt> besøgene i marts?",
        answer_by=answer_by,
    )
    services.action_create(
        challenge=challenge, by=town["sector"], title="Gennemgå vagtplanen", owner=town["institution"], due=answer_by
    )
    snapshot = build_snapshot(committee=town["committee"], period=Period.parse("2025Q1"))
    bes, ung = snapshot["task_areas"]
    assert bes["dialogue"]["available"]
    assert (bes["dialogue"]["challenges"], bes["dialogue"]["actions"]) == (1, 1)
    assert bes["dialogue"]["units"] == [{"unit_id": "S1", "unit_name": "Sektor S1", "challenges": 1, "actions": 1}]
    assert (ung["dialogue"]["challenges"], ung["dialogue"]["actions"]) == (0, 0)
    document = render_document(snapshot)
    assert "Hvorfor" not in document  # counted, its text only where the director chose it
    assert "Ingen åbne udfordringer eller handlinger." in document  # UNG
    due = due_for(town["schedule"], "status", Period.parse("2025Q1"))
    commentary_write(
        author=town["director"],
        committee=town["committee"],
        due=due,
        task_area=TaskArea.objects.get(code="BES"),
        unit=Unit.objects.get(pk="A1"),
        text="Se udfordringen.",
        challenges=[challenge.pk],
    )
    snapshot = build_snapshot(committee=town["committee"], period=Period.parse("2025Q1"))
    assert [c["title"] for c in snapshot["task_areas"][0]["chosen"]] == ["Besøg: Hvorfor <faldt> besøgene i marts?"]
    assert "Hvorfor &lt;faldt&gt; besøgene i marts?" in render_document(snapshot)  # escaped as written
