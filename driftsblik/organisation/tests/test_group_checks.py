"""The directorate and analyst checks: right for each person, and one query per request however often asked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP, User
from driftsblik.organisation.tests.factories import make_leader, make_tree, make_user
from driftsblik.organisation.visibility import is_directorate, sees_everything

pytestmark = pytest.mark.django_db


def test_directorate_and_analysts_are_told_apart():
    make_tree({"K": ["A"]})
    director = make_user("direktion@example.dk", groups=[DIRECTORATE_GROUP])
    analyst = make_user("analytiker@example.dk", groups=[ANALYST_GROUP])
    leader = make_leader("leder@example.dk", "A")
    assert (is_directorate(director), sees_everything(director)) == (True, False)
    assert (is_directorate(analyst), sees_everything(analyst)) == (False, True)
    assert (is_directorate(leader), sees_everything(leader)) == (False, False)


def test_each_check_costs_one_query_per_request():
    make_user("direktion@example.dk", groups=[DIRECTORATE_GROUP])
    user = User.objects.get(email="direktion@example.dk")  # a fresh object, as each request has
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert is_directorate(user)
            assert not sees_everything(user)
    assert len(queries.captured_queries) == 2
