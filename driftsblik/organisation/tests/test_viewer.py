"""The one viewer: who is looking, built once per request and the same for every app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP
from driftsblik.organisation.tests.factories import EXAMPLE_TREE, make_leader, make_tree, make_user
from driftsblik.organisation.viewer import Viewer, viewer_of
from driftsblik.organisation.visibility import ALL, BELOW, SELF, visible_units

pytestmark = pytest.mark.django_db


def test_a_leader_sees_by_the_rule_and_leads_their_units():
    make_tree(EXAMPLE_TREE)
    user = make_leader("skole@example.dk", "SKOLE")
    viewer = Viewer.of(user)
    assert viewer.visible == visible_units(user)
    assert viewer.led == ["SKOLE"]
    assert (viewer.directorate, viewer.analyst) == (False, False)
    assert viewer.home_units() == ["SKOLE"]
    assert viewer.access("SKOLE").relation == SELF
    assert viewer.sees("NORD") and not viewer.sees("PLEJE")
    with pytest.raises(Http404):
        viewer.access("PLEJE")
    assert viewer.name("NORD") == "NORD"


def test_roles_directorate_and_analyst():
    make_tree(EXAMPLE_TREE)
    director = make_user("dir@example.dk", groups=[DIRECTORATE_GROUP])
    analyst = make_user("analyst@example.dk", groups=[ANALYST_GROUP])
    d, a = Viewer.of(director), Viewer.of(analyst)
    assert d.directorate and not d.analyst and d.home_units() == ["K"]
    assert a.analyst and not a.directorate and a.home_units() == ["K"]
    assert {x.relation for x in a.visible.values()} == {ALL}


def test_a_viewer_on_another_day_uses_that_days_tree():
    make_tree({"K": ["A"]}, valid_to=dt.date(2020, 12, 31))
    user = make_user("dir@example.dk", groups=[DIRECTORATE_GROUP])
    assert Viewer.of(user, day=dt.date(2020, 6, 1)).sees("A")
    assert not Viewer.of(user, day=dt.date(2021, 6, 1)).sees("A")


def test_the_report_reader_sees_every_unit_suppressed():
    make_tree(EXAMPLE_TREE)
    reader = Viewer.report_reader(dt.date.today())
    assert isinstance(reader.user, AnonymousUser)
    assert set(reader.visible) == set(reader.tree.parent)
    assert {a.relation for a in reader.visible.values()} == {BELOW}
    assert not reader.analyst


def test_an_anonymous_person_sees_nothing():
    make_tree(EXAMPLE_TREE)
    viewer = Viewer.of(AnonymousUser())
    assert viewer.visible == {} and viewer.home_units() == []


def test_viewer_of_is_built_once_per_request_and_again_for_another_user():
    make_tree(EXAMPLE_TREE)
    request = RequestFactory().get("/")
    request.user = make_leader("skole@example.dk", "SKOLE")
    first = viewer_of(request)
    with CaptureQueriesContext(connection) as queries:
        assert viewer_of(request) is first
    assert len(queries) == 0
    request.user = make_leader("pleje@example.dk", "PLEJE")
    assert viewer_of(request).led == ["PLEJE"]
