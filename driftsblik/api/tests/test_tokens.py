"""Personal access tokens: made on the page, shown once, stored hashed, expired and revoked tokens
refused, and every call in the call log."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from driftsblik.api.models import ApiCall, ApiToken, Scope
from driftsblik.api.tests.helpers import get, token_for
from driftsblik.api.tokens import token_create, token_revoke
from driftsblik.core.models import AuditEntry
from driftsblik.organisation.models import ANALYST_GROUP
from driftsblik.organisation.tests.factories import make_tree, make_user
from driftsblik.organisation.visibility import today
from driftsblik.web.tests.helpers import leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    make_tree([("K", None, "Kommunen", "root"), ("A1", "K", "Område", "area")])
    return leader("a1@example.dk", "A1")


def test_a_token_is_stored_as_a_digest_and_opens_the_api(client, person):
    secret = token_for(person)
    token = ApiToken.objects.get()
    assert secret.startswith("dbk_" + token.prefix)
    assert secret not in (token.digest, token.prefix)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    response = get(client, secret, "/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "a1@example.dk"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_x_api_token_header_works_too(client, person):
    secret = token_for(person)
    assert client.get("/api/v1/me", HTTP_X_API_TOKEN=secret).status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer dbk_nope_nope", "Bearer something"])
def test_no_or_a_wrong_token_is_a_401_problem(client, person, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/units", **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_is_refused(client, person):
    secret = token_for(person)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert get(client, secret, "/api/v1/me").status_code == 401


def test_a_revoked_token_is_refused(client, person):
    secret = token_for(person)
    token_revoke(user=person, token_id=ApiToken.objects.get().pk)
    assert get(client, secret, "/api/v1/me").status_code == 401


def test_a_token_of_a_deactivated_person_is_refused(client, person):
    secret = token_for(person)
    person.is_active = False
    person.save()
    assert get(client, secret, "/api/v1/me").status_code == 401


def test_expiry_must_be_in_the_future_and_within_the_limit(person, settings):
    settings.API_TOKEN_MAX_DAYS = 30
    with pytest.raises(ValidationError):
        token_create(user=person, name="x", scope=Scope.READ, expires_on=today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        token_create(user=person, name="x", scope=Scope.READ, expires_on=today() + dt.timedelta(days=60))
    with pytest.raises(ValidationError):
        token_create(user=person, name="  ", scope=Scope.READ, expires_on=today() + dt.timedelta(days=5))


def test_one_cannot_revoke_someone_elses_token(client, person):
    other = leader("k@example.dk", "K")
    token_for(other)
    token = ApiToken.objects.get()
    client.force_login(person)
    assert client.post(f"/api-noegler/{token.pk}/tilbagekald/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_makes_shows_once_lists_and_revokes(client, person):
    client.force_login(person)
    expires = (today() + dt.timedelta(days=10)).isoformat()
    response = client.post("/api-noegler/", {"name": "Power BI", "scope": "read", "expires_on": expires})
    assert response.status_code == 201
    html = response.content.decode()
    token = ApiToken.objects.get()
    secret = html.split('<code id="new-token" class="api-token-secret">')[1].split("</code>")[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.digest
    again = client.get("/api-noegler/").content.decode()
    assert secret not in again  # shown once
    assert "API-nøgler" in again and "Tilbagekald" in again  # in Danish
    assert "Power BI" in again and f"dbk_{token.prefix}" in again
    assert get(client, secret, "/api/v1/me").status_code == 200
    client.post(f"/api-noegler/{token.pk}/tilbagekald/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert get(client, secret, "/api/v1/me").status_code == 401


def test_only_analysts_may_choose_the_import_scope(client, person):
    client.force_login(person)
    expires = (today() + dt.timedelta(days=10)).isoformat()
    response = client.post("/api-noegler/", {"name": "pipe", "scope": "read+import", "expires_on": expires})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    analyst = make_user("analytiker@example.dk", groups=[ANALYST_GROUP])
    client.force_login(analyst)
    response = client.post("/api-noegler/", {"name": "pipe", "scope": "read+import", "expires_on": expires})
    assert response.status_code == 201
    assert ApiToken.objects.get().scope == Scope.IMPORT


def test_every_call_is_logged_with_person_token_endpoint_and_status(client, person):
    secret = token_for(person, name="Nightly")
    get(client, secret, "/api/v1/me")
    get(client, secret, "/api/v1/units/nowhere")
    get(client, None, "/api/v1/me")
    calls = list(ApiCall.objects.order_by("pk").values_list("user__email", "token_name", "method", "path", "status"))
    assert calls == [
        ("a1@example.dk", "Nightly", "GET", "/api/v1/me", 200),
        ("a1@example.dk", "Nightly", "GET", "/api/v1/units/nowhere", 404),
        (None, "", "GET", "/api/v1/me", 401),
    ]
    logged = list(
        AuditEntry.objects.filter(what="api call").order_by("id").values_list("user_email", "access", "detail")
    )
    assert logged == [
        ("a1@example.dk", "read", "GET /api/v1/me 200 token Nightly"),
        ("a1@example.dk", "read", "GET /api/v1/units/nowhere 404 token Nightly"),
        ("", "read", "GET /api/v1/me 401 token -"),
    ]


def test_making_and_revoking_a_token_is_in_the_audit_log(person):
    token_for(person, name="Nightly")
    token_revoke(user=person, token_id=ApiToken.objects.get().pk)
    assert list(AuditEntry.objects.order_by("id").values_list("what", "user_email")) == [
        ("api token made", "a1@example.dk"),
        ("api token revoked", "a1@example.dk"),
    ]


def test_calls_over_the_rate_are_answered_429(client, person, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE = "3/m"
    secret = token_for(person)
    statuses = [get(client, secret, "/api/v1/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_an_administrator_revokes_a_token_in_the_admin_and_never_sees_a_secret(client, person):
    secret = token_for(person, name="Nightly")
    token = ApiToken.objects.get()
    admin_user = make_user("admin@example.dk", superuser=True)
    client.force_login(admin_user)
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert "Nightly" in page and token.digest not in page and secret not in page
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert get(client, secret, "/api/v1/me").status_code == 401
