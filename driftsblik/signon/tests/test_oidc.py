"""Single sign-on against a real OpenID Connect provider on loopback (tests/provider.py), driven
through Django's test client and the provider's own pages over HTTP."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from driftsblik.core.models import AuditEntry
from driftsblik.organisation.models import User
from driftsblik.signon import oidc
from driftsblik.signon.tests.provider import running_provider


@pytest.fixture
def sso(settings, monkeypatch):
    """Configure Driftsblik for a provider; yields a function starting one (a context manager)."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback, provider and client

    def configure(provider):
        settings.OIDC_ISSUER = provider.url
        settings.OIDC_CLIENT_ID = "driftsblik"
        settings.OIDC_CLIENT_SECRET = "test-secret"  # noqa: S105 - the loopback provider accepts any
        settings.OIDC_GROUPS_CLAIM = ""
        settings.OIDC_GROUPS = {}
        settings.PASSWORD_LOGIN = False
        return provider

    yield configure
    oidc._client.cache_clear()


def sign_on(client, provider, sub: str, next_path: str = ""):
    """The code flow: /login/sso/ -> the provider's authorization page, answered as `sub` -> the callback."""
    start = client.get("/login/sso/" + (f"?next={next_path}" if next_path else ""))
    if start.status_code != 302:
        return start
    authorize = start["Location"]
    assert authorize.startswith(f"{provider.url}/oauth2/authorize?")
    answer = httpx.post(authorize, data={"sub": sub}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/login/sso/callback/"
    return client.get(f"{back.path}?{back.query}")


def test_a_leader_signs_on_and_off(client, town, sso):
    with running_provider() as provider:
        sso(provider)
        response = sign_on(client, provider, "S1@Example.dk", next_path="/enhed/S1/")
        assert response.status_code == 302 and response["Location"] == "/enhed/S1/"
        assert client.get("/").status_code == 200
        entry = AuditEntry.objects.get(what="login")
        assert (entry.user_email, entry.detail) == ("s1@example.dk", "oidc")
        # each page allows the provider's end-session endpoint as a form target (the sign-out button)
        csp = client.get("/")["Content-Security-Policy"]
        assert f"form-action 'self' {provider.url}" in csp
        out = client.post("/logout/")
        end = urlsplit(out["Location"])
        assert f"{end.scheme}://{end.netloc}{end.path}" == f"{provider.url}/oauth2/end_session"
        query = parse_qs(end.query)
        assert query["post_logout_redirect_uri"] == ["http://testserver/login/"] and query["id_token_hint"]
        assert client.get("/").status_code == 302
        assert AuditEntry.objects.filter(what="logout", user_email="s1@example.dk").exists()


def test_an_unknown_person_is_told_whom_to_ask_and_no_account_is_made(client, town, sso, settings):
    settings.SIGNON_CONTACT = "Økonomi og Analyse, driftsblik@kommune.dk"
    with running_provider() as provider:
        sso(provider)
        before = User.objects.count()
        response = sign_on(client, provider, "ny.leder@example.dk")
        html = response.content.decode()
        assert response.status_code == 403
        assert "Du er ikke oprettet i Driftsblik" in html and "Økonomi og Analyse, driftsblik@kommune.dk" in html
        assert User.objects.count() == before and client.get("/").status_code == 302
        entry = AuditEntry.objects.get(what="login_failed")
        assert (entry.user_email, entry.detail) == ("ny.leder@example.dk", "oidc: unknown person")


def test_an_inactive_person_is_not_signed_on(client, town, sso):
    User.objects.filter(email="s1@example.dk").update(is_active=False)
    with running_provider() as provider:
        sso(provider)
        assert sign_on(client, provider, "s1@example.dk").status_code == 403
        assert client.get("/").status_code == 302


def test_an_expired_id_token_is_refused(client, town, sso):
    with running_provider(token_max_age=timedelta(hours=-1)) as provider:
        sso(provider)
        response = sign_on(client, provider, "s1@example.dk")
        assert response.status_code == 403 and "udløbet" in response.content.decode()
        assert client.get("/").status_code == 302
        assert "expired" in AuditEntry.objects.get(what="login_failed").detail


def test_an_id_token_from_another_issuer_is_refused(client, town, sso):
    with running_provider() as provider:
        sso(provider)
        port = urlsplit(provider.url).port
        provider.pretend_host["/oauth2/token"] = f"idp.invalid:{port}"  # its ID tokens name another issuer
        response = sign_on(client, provider, "s1@example.dk")
        assert response.status_code == 403 and client.get("/").status_code == 302
        assert "iss" in AuditEntry.objects.get(what="login_failed").detail


def test_a_discovery_document_naming_another_issuer_is_refused(client, town, sso):
    with running_provider() as provider:
        sso(provider)
        provider.pretend_host["/.well-known/"] = "idp.invalid"
        response = client.get("/login/sso/")
        assert response.status_code == 403 and "ikke ud for at være den" in response.content.decode()
        assert "wrong issuer" in AuditEntry.objects.get(what="login_failed").detail


def test_a_forged_callback_is_refused(client, town, sso):
    with running_provider() as provider:
        sso(provider)
        client.get("/login/sso/")
        response = client.get("/login/sso/callback/?code=made-up&state=made-up")
        assert response.status_code == 403 and client.get("/").status_code == 302
        response = client.get("/login/sso/callback/?error=access_denied&state=x")
        assert response.status_code == 403


def test_role_groups_follow_the_groups_claim(client, town, sso, settings):
    with running_provider() as provider:
        sso(provider)
        settings.OIDC_GROUPS_CLAIM = "groups"
        settings.OIDC_GROUPS = {"directorate": ["grp-direktion"]}
        provider.set_claims("s1@example.dk", {"email": "s1@example.dk", "groups": ["grp-direktion", "/analysts"]})
        assert sign_on(client, provider, "s1@example.dk").status_code == 302
        user = User.objects.get(email="s1@example.dk")
        assert sorted(user.groups.values_list("name", flat=True)) == ["analysts", "directorate"]
        client.post("/logout/")
        provider.set_claims("s1@example.dk", {"email": "s1@example.dk", "groups": []})
        assert sign_on(client, provider, "s1@example.dk").status_code == 302
        assert not user.groups.exists()


def test_a_missing_email_claim_is_refused(client, town, sso, settings):
    with running_provider() as provider:
        sso(provider)
        settings.OIDC_EMAIL_CLAIM = "upn"
        response = sign_on(client, provider, "s1@example.dk")
        assert response.status_code == 403 and client.get("/").status_code == 302
        assert "upn" in AuditEntry.objects.get(what="login_failed").detail


def test_with_single_sign_on_the_login_page_offers_it_and_password_login_is_off(client, town, sso):
    with running_provider() as provider:
        sso(provider)
        html = client.get("/login/").content.decode()
        assert 'href="/login/sso/"' in html and 'name="password"' not in html
        assert client.post("/login/", {"username": "s1@example.dk", "password": "x"}).status_code == 404
        assert client.get("/admin/login/")["Location"].startswith("/login/")
