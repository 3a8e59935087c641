"""Every cohort has an address: the form is a GET, and its URL gives the same page to whoever opens it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from driftsblik.engine.tests.conftest import ENGINE_WARNINGS
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = [*ENGINE_WARNINGS, pytest.mark.django_db]

URL = "/forloeb/"


@pytest.fixture
def town(registers):
    build_municipality()
    return people()


def main_part(html: str) -> str:
    """The page's cohort part (the form, the chart and the tables), without the per-session CSRF token."""
    main = html.split('id="pathway-main"', 1)[1]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def test_the_form_is_a_get_that_names_the_cohort_in_the_address(town):
    client = Client()
    client.force_login(town["analyst"])
    html = client.get(URL).content.decode()
    form = re.search(r'<form class="driftsblik-pathway-form[^>]*>', html)
    assert form and 'method="get"' in form.group(0) and 'hx-push-url="true"' in form.group(0)
    for name in ("kohorte", "start", "maaneder", "enhed"):
        assert f'name="{name}"' in html


def test_a_pathway_url_reproduces_the_same_page(town):
    params = {"kohorte": "youth_neet", "start": "2024-04", "maaneder": "6", "enhed": "S1I2"}
    first = Client()
    first.force_login(town["sector"])
    chosen = first.get(URL, params)
    assert chosen.status_code == 200 and chosen.context["view"] is not None
    # the same address opened in a new session (a bookmark, a link sent to a colleague)
    second = Client()
    second.force_login(town["sector"])
    opened = second.get(URL + "?" + "&".join(f"{k}={v}" for k, v in params.items()))
    assert opened.status_code == 200
    assert main_part(opened.content.decode()) == main_part(chosen.content.decode())
    assert opened.context["params"] == chosen.context["params"]
    # an empty unit is the whole municipality, even when a unit was kept from an earlier page
    whole = first.get(URL, {**params, "enhed": ""})
    assert whole.context["unit_id"] == ""
    # no unit at all in the address: the unit kept from the earlier page
    assert first.get(URL, {k: v for k, v in params.items() if k != "enhed"}).context["unit_id"] == "S1I2"
