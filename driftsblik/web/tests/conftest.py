"""Fixtures for the page tests, and the browser fixtures shared by the Playwright tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Chromium flags for a headless run in a container: no sandbox (no user namespaces), no GPU, and
# no calls home (updates, safe browsing) that could slow or colour a test.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """WhiteNoise warns (an error in this suite) when STATIC_ROOT is missing on a fresh checkout."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """The page tests set real passwords for the login tests; a fast hasher keeps set-up short."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _end_live_server_sessions(django_db_setup, django_db_blocker):
    """At the end of the run, end every other session on the PostgreSQL test database, so that it
    can be dropped: a keep-alive request thread of the (session-wide) live server, or the
    connection a test opened inside Playwright's event-loop context (Django keeps one per
    context), may still hold one. Done once, after the last test: ending them between tests
    would kill connections a later test still uses."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def short_connections(monkeypatch, _end_live_server_sessions):
    """The live server's request threads close their connections after each request (PostgreSQL
    keeps them 60 s otherwise); what is still open at the end is ended once, before the test
    database is dropped."""
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


@pytest.fixture
def browser_page():
    """A Chromium page at 1280 x 900 in Danish, and the list of script errors it has met.

    Skips, saying why, where the system Chromium is not installed. Tests that use it need
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true" (Playwright's sync API runs an event loop in
    the test thread, and Django's ORM refuses to run beside one).
    """
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("the system Chromium is not on PATH (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, errors
        context.close()
        browser.close()
