"""Property: a person reads a committee's draft exactly when they write it (whole: the directors above
its task-area units and the municipality's leader; a part: the leaders of those units), and outside
that every draft page is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.organisation.models import Leadership, TaskArea
from driftsblik.reports import access

UNITS = ["K", "A1", "A2", "S1", "S2", "S3", "S1I1", "S1I2", "S2I1", "S3I1", "S1I1T1", "S2I2T2", "S3I2T1"]
AREA_OF = {"S1": "A1", "S2": "A1", "S3": "A2"}


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(led=st.sets(st.sampled_from(UNITS), max_size=3))
def test_drafts_for_their_writers(town, led):
    user = town["nobody"]
    Leadership.objects.filter(user=user).delete()
    for unit in led:
        Leadership.objects.create(user=user, unit_id=unit, valid_from=dt.date(2020, 1, 1))
    user = type(user).objects.get(pk=user.pk)  # no cached answers from the previous example
    drafts = access.drafts(user)
    for committee in (town["committee"], TaskArea.objects.get(code="ARB").committee):
        pairs = set(
            TaskArea.units.through.objects.filter(taskarea__committee=committee).values_list(
                "taskarea__code", "unit_id"
            )
        )
        units = {u for _, u in pairs}
        directors = {"K"} | {AREA_OF[u] for u in units if u in AREA_OF} | (units & {"A1", "A2"})
        draft = drafts.get(committee.pk)
        if led & directors:
            assert draft == access.Draft(whole=True)
        elif led & units:
            assert draft == access.Draft(whole=False, parts=frozenset(p for p in pairs if p[1] in led))
        else:
            assert draft is None
        if committee.code == "AUU" and draft is None:
            client = Client()
            client.force_login(user)
            assert client.get("/rapporter/AUU/2025Q1/status/").status_code == 404
            assert client.get("/rapporter/AUU/2025Q1/status/kommentar/BES/S1/").status_code == 404
