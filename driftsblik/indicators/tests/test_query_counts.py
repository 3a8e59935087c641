"""figures() asks the database the same number of times for 5 units as for 50: no N+1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from driftsblik.core.periods import Period
from driftsblik.indicators.models import Target
from driftsblik.indicators.selectors import figures
from driftsblik.indicators.tests.helpers import indicator, observe, person, unit
from driftsblik.organisation.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty_teams():
    unit("K", kind="root")
    unit("I", "K", kind="institution")
    teams = [f"T{n:02d}" for n in range(50)]
    count = indicator("visits")
    share = indicator("share", measure="share", temporal="stock", person_based=True)
    for n, team in enumerate(teams):
        unit(team, "I")
        Target.objects.create(indicator=count, unit_id=team, year=2025, value=100)
        for month in ("2025-01", "2025-02", "2025-03"):
            observe(count, team, month, n + 1)
            observe(share, team, month, n, 60)
    return [count, share], teams


def queries(user, indicators, units):
    if user is not None:
        user = User.objects.get(pk=user.pk)  # a fresh object, as each request has: nothing cached on it
    with CaptureQueriesContext(connection) as captured:
        result = figures(user, indicators, units, Period.parse("2025Q1"))
    assert len(result) == 2 * len(units)
    return len(captured.captured_queries)


@pytest.mark.parametrize("viewer", [None, "leader", "analyst"])
def test_figures_for_5_and_for_50_units_issue_the_same_number_of_queries(fifty_teams, viewer):
    indicators, teams = fifty_teams
    user = None
    if viewer == "leader":
        user = person("leader@example.dk", leads="I")
    elif viewer == "analyst":
        user = person("analyst@example.dk", analyst=True)
    few = queries(user, indicators, teams[:5])
    many = queries(user, indicators, teams)
    assert few == many
    assert many <= 12  # observations, targets and one tree per month, plus the visibility rule for a person
