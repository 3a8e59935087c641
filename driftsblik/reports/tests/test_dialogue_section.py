"""Open challenges and actions per task area, from the dialogue app."""

from __future__ import annotations

import datetime as dt

import pytest

from driftsblik.core.periods import Period
from driftsblik.dialogue import services
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit
from driftsblik.reports.build import build_snapshot
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
    assert [c["title"] for c in bes["dialogue"]["challenges"]] == ["Besøg: Hvorfor <faldt> besøgene i marts?"]
    assert [(a["title"], a["owner"]) for a in bes["dialogue"]["actions"]] == [
        ("Gennemgå vagtplanen", "Ida Institution")
    ]
    assert ung["dialogue"]["challenges"] == [] and ung["dialogue"]["actions"] == []
    document = render_document(snapshot)
    assert "Hvorfor &lt;faldt&gt; besøgene i marts?" in document  # escaped as written
    assert "Ingen åbne udfordringer eller handlinger." in document  # UNG
