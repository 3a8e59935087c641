"""The person's dialogue threads through the API: the dialogue's own rule of who sees a thread, a
404 outside it, and the read in the dialogue's audit log."""

from __future__ import annotations

import pytest

from driftsblik.api.tests.helpers import get, token_for
from driftsblik.dialogue import services
from driftsblik.dialogue.models import AuditEntry
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit
from driftsblik.web.tests.helpers import build_municipality, leader, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    build_municipality()
    folks = people()
    challenge = services.challenge_raise(
        author=folks["director"],
        unit=Unit.objects.get(pk="S1"),
        indicator=Indicator.objects.get(pk="visits"),
        period="2025-03",
        question="Hvorfor faldt besøgene?",
    )
    return {**folks, "challenge": challenge}


def test_threads_at_units_in_view(client, town):
    body = get(client, token_for(town["sector"]), "/api/v1/threads").json()
    assert [t["id"] for t in body] == [town["challenge"].pk]
    assert body[0]["question"] == "Hvorfor faldt besøgene?" and body[0]["unit_id"] == "S1"


def test_a_thread_outside_the_view_is_a_404(client, town):
    token = token_for(leader("a2@example.dk", "A2"))  # A1's peer: does not see S1 under A1
    assert get(client, token, "/api/v1/threads").json() == []
    assert get(client, token, f"/api/v1/threads/{town['challenge'].pk}").status_code == 404


def test_reading_a_thread_is_audited_as_on_the_page(client, town):
    pk = town["challenge"].pk
    body = get(client, token_for(town["sector"]), f"/api/v1/threads/{pk}").json()
    assert body["events"][0]["kind"] and body["actions"] == []
    assert AuditEntry.objects.filter(subject_id=pk, access="read", user_email="s1@example.dk").count() == 1
