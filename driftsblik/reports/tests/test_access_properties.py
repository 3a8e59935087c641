"""Property: a person reads a committee's live report exactly when every unit of its task areas is in
their view (the one visibility rule), and outside it every report page is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driftsblik.organisation.models import Leadership, TaskArea
from driftsblik.organisation.visibility import visible_units
from driftsblik.reports import access

UNITS = ["K", "A1", "A2", "S1", "S2", "S3", "S1I1", "S1I2", "S2I1", "S3I1", "S1I1T1", "S2I2T2", "S3I2T1"]


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(led=st.sets(st.sampled_from(UNITS), max_size=3))
def test_preview_follows_the_visibility_rule(town, led):
    user = town["nobody"]
    Leadership.objects.filter(user=user).delete()
    for unit in led:
        Leadership.objects.create(user=user, unit_id=unit, valid_from=dt.date(2020, 1, 1))
    user = type(user).objects.get(pk=user.pk)  # no cached answers from the previous example
    visible = visible_units(user)
    for committee in (town["committee"], TaskArea.objects.get(code="ARB").committee):
        units = set(
            TaskArea.units.through.objects.filter(taskarea__committee=committee).values_list("unit_id", flat=True)
        )
        allowed = committee in access.previewable(user)
        assert allowed == units.issubset(visible)
        if committee.code == "AUU" and not allowed:
            client = Client()
            client.force_login(user)
            assert client.get("/rapporter/AUU/2025Q1/status/").status_code == 404
            assert client.get("/rapporter/AUU/2025Q1/status/kommentar/BES/S1/").status_code == 404
