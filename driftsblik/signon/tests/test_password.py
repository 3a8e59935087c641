"""Password login where it stays: lockout per account and address (django-axes), sessions of
DRIFTSBLIK_SESSION_HOURS, every sign-in, sign-out and failure in the audit log, and the admin's login
page leading to the app's own."""

from __future__ import annotations

import pytest

from driftsblik.core.models import AuditEntry
from driftsblik.web.tests.helpers import PASSWORD


def _post(client, email="s1@example.dk", password=PASSWORD, address="10.0.0.1"):
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_password_login_works_and_is_audited(client, town):
    response = _post(client)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(what="login")
    expected = ("s1@example.dk", "signin", "10.0.0.1", "password")
    assert (entry.user_email, entry.access, entry.address, entry.detail) == expected
    client.post("/logout/")
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(what="logout", user_email="s1@example.dk").count() == 1


def test_a_wrong_password_is_audited_with_the_address(client, town):
    response = _post(client, password="wrong", address="10.0.0.9")
    assert response.status_code == 200 and "Du kunne ikke logges ind" in response.content.decode()
    entry = AuditEntry.objects.get(what="login_failed")
    assert (entry.user_email, entry.address, entry.user_id) == ("s1@example.dk", "10.0.0.9", None)


def test_repeated_failures_lock_the_account_for_the_address(client, town, settings):
    """Before: 30 wrong passwords in 10 s were all answered and the right one then worked."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post(client, password="wrong").status_code == 200
    assert _post(client, password="wrong").status_code == 429  # the limit-th failure locks
    locked = _post(client)  # the right password, from the same address
    assert locked.status_code == 429
    assert "For mange forkerte adgangskoder" in locked.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    assert AuditEntry.objects.filter(what="locked_out", user_email="s1@example.dk").exists()
    # the same account from another address, and another account from this one, are not locked
    assert _post(client, address="10.0.0.2").status_code == 302
    client.post("/logout/")
    assert _post(client, email="kd@example.dk").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, town, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post(client, password="wrong")
    assert _post(client).status_code == 302
    client.post("/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post(client, password="wrong")
    assert _post(client).status_code == 302


def test_sessions_last_the_configured_hours(client, town, settings):
    """Before: two weeks."""
    from driftsblik.conf import value

    assert value("DRIFTSBLIK_SESSION_HOURS", {}) == 10
    assert value("DRIFTSBLIK_SESSION_HOURS", {"DRIFTSBLIK_SESSION_HOURS": "8"}) == 8
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    response = _post(client)
    assert response.cookies["sessionid"]["max-age"] == 10 * 3600
    assert 9.9 * 3600 < client.session.get_expiry_age() <= 10 * 3600


def test_the_admin_has_no_login_of_its_own(client, town):
    """Before: /admin/login/ was a second way in (without lockout)."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=%2Fadmin%2F"
    response = client.post("/admin/login/", {"username": "kd@example.dk", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_password_login_can_be_turned_off(client, town, settings):
    settings.PASSWORD_LOGIN = False
    html = client.get("/login/").content.decode()
    assert 'name="password"' not in html
    assert _post(client).status_code == 404
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, True),
        ({"DRIFTSBLIK_OIDC_ISSUER": "https://idp.example.dk", "DRIFTSBLIK_OIDC_CLIENT_ID": "x"}, False),
        (
            {
                "DRIFTSBLIK_OIDC_ISSUER": "https://idp.example.dk",
                "DRIFTSBLIK_OIDC_CLIENT_ID": "x",
                "DRIFTSBLIK_PASSWORD_LOGIN": "true",
            },
            True,
        ),
        ({"DRIFTSBLIK_PASSWORD_LOGIN": "false"}, False),
    ],
)
def test_password_login_is_off_when_single_sign_on_is_configured(environ, expected):
    import subprocess
    import sys

    code = "from django.conf import settings; import django; django.setup(); print(settings.PASSWORD_LOGIN)"
    env = {**_base_environ(), **environ}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(expected)


def _base_environ():
    import os

    keep = {k: v for k, v in os.environ.items() if not k.startswith("DRIFTSBLIK_")}
    return {**keep, "DJANGO_SETTINGS_MODULE": "driftsblik.settings", "DRIFTSBLIK_VAR_DIR": "var/test"}


def test_administrators_read_the_whole_audit_log_and_cannot_change_it(client, town):
    from driftsblik.organisation.tests.factories import make_user

    _post(client, password="wrong")
    admin = make_user("admin@example.dk", superuser=True)
    client.force_login(admin)
    page = client.get("/admin/core/auditentry/")
    assert page.status_code == 200 and "login_failed" in page.content.decode()
    entry = AuditEntry.objects.get(what="login_failed")
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    client.force_login(town["kd"])
    assert client.get("/admin/core/auditentry/").status_code == 302  # not staff: to the login page


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DRIFTSBLIK_OIDC_ISSUER": "https://idp.example.dk"}, "DRIFTSBLIK_OIDC_CLIENT_ID is empty"),
        ({"DRIFTSBLIK_OIDC_ISSUER": "ftp://idp.example.dk"}, "https://"),
        ({"DRIFTSBLIK_OIDC_GROUPS": "admins=x"}, "admins is not a role group"),
        ({"DRIFTSBLIK_OIDC_GROUPS": "directorate"}, "expected name=value"),
        ({"DRIFTSBLIK_SESSION_HOURS": "0"}, "at least 1"),
    ],
)
def test_bad_sign_on_settings_stop_start_up(environ, message):
    from driftsblik.conf import ConfigurationError, check_oidc, read_all

    with pytest.raises(ConfigurationError, match=message):
        check_oidc(read_all(environ))
