"""A leader signs on in Chromium through a real OpenID Connect provider started on loopback
(tests/provider.py), and signs off at the provider too; an expired ID token, an ID token from
another issuer and a person Driftsblik does not know are refused in the browser as well."""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from driftsblik.core.models import AuditEntry
from driftsblik.signon import oidc
from driftsblik.signon.tests.provider import running_provider
from driftsblik.web.tests.helpers import build_municipality, people

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run beside it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def municipality(settings, monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback
    build_municipality()
    people()
    yield
    oidc._client.cache_clear()


def configure(settings, provider) -> None:
    settings.OIDC_ISSUER = provider.url
    settings.OIDC_CLIENT_ID = "driftsblik"
    settings.OIDC_CLIENT_SECRET = "test-secret"  # noqa: S105 - the loopback provider accepts any
    settings.PASSWORD_LOGIN = False


def sign_on(page, base: str, provider, sub: str) -> None:
    """From the login page through the provider's authorization page, answered as `sub`."""
    page.goto(f"{base}/login/")
    expect(page.locator("input[name=password]")).to_have_count(0)  # password login is off
    page.get_by_role("link", name="Log ind med din kommunale konto").click()
    page.wait_for_url(f"{provider.url}/oauth2/authorize*")
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**")


def test_a_leader_signs_on_and_off_through_the_provider(
    short_connections, live_server, browser_page, municipality, settings
):
    page, errors = browser_page
    with running_provider() as provider:
        configure(settings, provider)
        sign_on(page, live_server.url, provider, "s1@example.dk")
        assert urlsplit(page.url).path == "/"
        expect(page.locator(".driftsblik-user-name")).to_contain_text("Sofie Sektor")
        page.get_by_role("button", name="Log ud").click()  # a form post, redirected to the provider
        page.wait_for_url(f"{provider.url}/oauth2/end_session*")
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(f"{live_server.url}/login/*")
        page.goto(f"{live_server.url}/")
        assert urlsplit(page.url).path == "/login/"
    assert errors == []
    assert [e.what for e in AuditEntry.objects.order_by("id")] == ["login", "logout"]


def test_an_unknown_person_is_told_whom_to_ask(short_connections, live_server, browser_page, municipality, settings):
    page, errors = browser_page
    with running_provider() as provider:
        configure(settings, provider)
        sign_on(page, live_server.url, provider, "ny.leder@example.dk")
        expect(page.get_by_role("heading", level=1)).to_have_text("Du er ikke oprettet i Driftsblik")
        expect(page.locator("main")).to_contain_text("ny.leder@example.dk")
        page.goto(f"{live_server.url}/")
        assert urlsplit(page.url).path == "/login/"
    assert errors == []


@pytest.mark.parametrize("case", ["expired", "wrong issuer"])
def test_an_untrustworthy_id_token_is_refused(
    short_connections, live_server, browser_page, municipality, settings, case
):
    page, errors = browser_page
    age = timedelta(hours=-1) if case == "expired" else timedelta(hours=1)
    with running_provider(token_max_age=age) as provider:
        configure(settings, provider)
        if case == "wrong issuer":
            provider.pretend_host["/oauth2/token"] = f"idp.invalid:{urlsplit(provider.url).port}"
        sign_on(page, live_server.url, provider, "s1@example.dk")
        expect(page.get_by_role("heading", level=1)).to_have_text("Du kunne ikke logges ind")
        page.goto(f"{live_server.url}/")
        assert urlsplit(page.url).path == "/login/"
    assert errors == []
    assert AuditEntry.objects.get(what="login_failed").detail.startswith("oidc: ID token refused")
