"""Cross-cutting efforts through the API: the efforts' own access rule and the effort page's shared
results, parts outside the view folded into one remainder, an effort outside the view a 404."""

from __future__ import annotations

import pytest

from driftsblik.api.tests.helpers import get, token_for
from driftsblik.core.periods import Period
from driftsblik.efforts.access import effort_access
from driftsblik.efforts.selectors import OTHERS, shared_results
from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.organisation.tests.factories import make_leader
from driftsblik.organisation.viewer import Viewer

pytestmark = pytest.mark.django_db


def test_a_participant_sees_the_shared_result_as_on_the_effort_page(client):
    effort = build_effort()
    youth = make_leader("u1@example.dk", "U1")
    token = token_for(youth)
    assert [e["code"] for e in get(client, token, "/api/v1/efforts").json()] == [effort.code]
    body = get(client, token, f"/api/v1/efforts/{effort.code}/results?period=2025-03").json()
    goals = {g["indicator"]: g for g in body}
    access = effort_access(Viewer.of(youth), effort)
    expected = {
        r.indicator.code: r
        for r in shared_results(user=youth, effort=effort, access=access, period=Period.parse("2025-03"), names={})
    }
    assert goals["neet"]["total"]["value"] == float(expected["neet"].total.value)
    parts = {p["unit_id"]: p for p in goals["neet"]["parts"]}
    assert set(parts) == {"U1", OTHERS}  # J1, J2 are in another branch: one anonymous remainder


def test_an_effort_outside_the_view_is_a_404(client):
    effort = build_effort(participants=("J1", "J2"))
    token = token_for(make_leader("u1@example.dk", "U1"))
    assert get(client, token, "/api/v1/efforts").json() == []
    assert get(client, token, f"/api/v1/efforts/{effort.code}/results").status_code == 404
