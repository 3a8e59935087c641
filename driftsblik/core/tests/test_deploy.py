"""The deploy profile: behind a TLS proxy with DRIFTSBLIK_HTTPS=true, Django's deployment checks
find nothing, plain http is redirected, HSTS and secure cookies are on, and every page carries the
Content-Security-Policy. Each case runs the real settings module in a process of its own, with
the environment an operator sets."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path


def production_environment(tmp_path: Path, **changes: str) -> dict[str, str]:
    """What an operator sets, and nothing the test run set (the browser tests' async switch)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DRIFTSBLIK_", "DJANGO_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "driftsblik.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DRIFTSBLIK_VAR_DIR": str(tmp_path),
        "DRIFTSBLIK_DEBUG": "false",
        "DRIFTSBLIK_SECRET_KEY": secrets.token_urlsafe(50),
        "DRIFTSBLIK_HTTPS": "true",
        "DRIFTSBLIK_ALLOWED_HOSTS": "driftsblik.example.dk",
        "DRIFTSBLIK_CSRF_TRUSTED_ORIGINS": "https://driftsblik.example.dk",
    }
    env.update(changes)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "driftsblik", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = check_deploy(production_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_is_missing_without_https(tmp_path):
    result = check_deploy(production_environment(tmp_path, DRIFTSBLIK_HTTPS="false"))
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


PROBE = """
import json
import django
django.setup()
from django.test import Client
client = Client(SERVER_NAME="driftsblik.example.dk")
plain = client.get("/login/")
proxied = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security"),
                proxied.cookies["csrftoken"]["secure"], proxied.get("Content-Security-Policy")],
}))
"""


def test_behind_the_proxy_http_is_redirected_and_https_is_pinned(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=production_environment(tmp_path), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["plain"] == [301, "https://driftsblik.example.dk/login/"]
    status, hsts, secure_cookie, policy = seen["proxied"]
    assert status == 200
    assert hsts == "max-age=31536000; includeSubDomains"
    assert secure_cookie is True
    assert "script-src 'self'" in policy and "unsafe" not in policy
