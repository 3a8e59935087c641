"""The admin lists indicator data; observations, revisions and batches cannot be edited there."""

from __future__ import annotations

import pytest

from driftsblik.indicators.tests.helpers import indicator, observe, small_tree
from driftsblik.organisation.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create(username="a@x.dk", email="a@x.dk", is_staff=True, is_superuser=True, password="!")
    client.force_login(user)
    small_tree()
    observe(indicator("visits"), "T11", "2025-01", 3)
    return client


@pytest.mark.parametrize("model", ["indicator", "target", "observation", "observationrevision", "importbatch"])
def test_every_indicator_table_has_a_list(admin_client, model):
    response = admin_client.get(f"/admin/indicators/{model}/")
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["observation", "observationrevision", "importbatch"])
def test_figures_and_their_history_are_read_only(admin_client, model):
    assert admin_client.get(f"/admin/indicators/{model}/add/").status_code == 403


def test_an_observation_list_filters_by_indicator(admin_client):
    response = admin_client.get("/admin/indicators/observation/?indicator__code__exact=visits")
    assert response.status_code == 200 and b"T11" in response.content
