"""The error pages: Danish, in the layout with the menu when signed in, a way back; 500 standalone."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from driftsblik.web import errors
from driftsblik.web.tests.helpers import build_municipality, people

URLS = "driftsblik.web.tests.errors_urls"


@pytest.fixture
def town(db):
    build_municipality()
    return people()


def _get(client: Client, url: str, **extra):
    response = client.get(url, **extra)
    return response, response.content.decode()


def _same_page(html: str) -> str:
    """The page without what differs between two renders (the masked CSRF token)."""
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"', "", html)


def _in_layout(html: str) -> None:
    assert 'lang="da"' in html
    assert "driftsblik-nav" in html, "the menu is missing"
    assert 'href="/"' in html, "no way back to the overview"


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_404_in_danish_in_the_layout(client, town):
    client.force_login(town["sector"])
    response, html = _get(client, "/findes-ikke/")
    assert response.status_code == 404
    assert "<h1>Siden findes ikke</h1>" in html and "Not Found" not in html
    _in_layout(html)
    assert "Til Mit overblik" in html


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_404_for_a_unit_outside_the_view_looks_like_a_missing_one(client, town):
    client.force_login(town["institution"])
    outside, outside_html = _get(client, "/enhed/S3I1/")
    missing, missing_html = _get(client, "/enhed/FINDES-IKKE/")
    assert outside.status_code == missing.status_code == 404
    assert _same_page(outside_html) == _same_page(missing_html)
    assert "Siden findes ikke" in outside_html


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_400_for_a_bad_period_in_a_download_in_danish_in_the_layout(client, town):
    client.force_login(town["sector"])
    response, html = _get(client, "/eksport/scorecard/S1/?periode=abc")
    assert response.status_code == 400
    assert "<h1>Ugyldig forespørgsel</h1>" in html and "Bad Request" not in html
    _in_layout(html)


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_403_in_danish_in_the_layout_without_the_reason(client, town):
    client.force_login(town["sector"])
    response, html = _get(client, "/test-forbidden/")
    assert response.status_code == 403
    assert "<h1>Du har ikke adgang</h1>" in html and "a reason only for the log" not in html
    _in_layout(html)


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_the_way_back_is_the_previous_page_on_this_site_only(client, town):
    client.force_login(town["sector"])
    _, html = _get(client, "/findes-ikke/", HTTP_REFERER="http://testserver/enhed/S1/")
    assert 'href="http://testserver/enhed/S1/">Tilbage til forrige side' in html
    _, html = _get(client, "/findes-ikke/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in html and "Tilbage til forrige side" not in html


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_signed_out_the_error_page_has_no_menu_and_leads_to_the_login(db):
    response, html = _get(Client(), "/api-noegler/findes-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" in html and "driftsblik-nav" not in html
    assert "Til log ind-siden" in html


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_500_in_danish_standalone(client, town):
    client.force_login(town["sector"])
    client.raise_request_exception = False
    response, html = _get(client, "/test-broken/")
    assert response.status_code == 500
    assert "<h1>Noget gik galt</h1>" in html and 'lang="da"' in html
    assert "dkfds.min.css" in html and 'href="/"' in html


def test_500_renders_without_database_or_request():
    # no django_db mark: any query would fail the test
    response = errors.server_error(None)  # type: ignore[arg-type]
    assert response.status_code == 500
    assert "Noget gik galt" in response.content.decode()


@override_settings(ROOT_URLCONF=URLS, DEBUG=False)
def test_a_form_refused_for_its_csrf_token_is_a_danish_403_in_the_layout(town):
    client = Client(enforce_csrf_checks=True)
    client.force_login(town["sector"])
    response, html = _get(client, "/")
    assert response.status_code == 200
    response = client.post("/logout/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Formularen kunne ikke sendes</h1>" in html and "CSRF verification" not in html
    _in_layout(html)
