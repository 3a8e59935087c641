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


@pytest.fixture
def short_connections(monkeypatch):
    """The live server's request threads close their connections after each request (PostgreSQL
    keeps them 60 s otherwise, and the test database could not be dropped at the end)."""
    from django.db import connection, connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    yield
    if connection.vendor == "postgresql":
        # A keep-alive request thread of the live server may still hold a session on the test
        # database when the browser has gone; end it so the test database can be dropped.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


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
