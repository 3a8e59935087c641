"""Fixtures for the whole suite: the roll-up cache, fast passwords, static files, the browser and a
real SMTP server on loopback. Every app's tests use them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

# fixtures through which a test reaches the database (pytest-django's, and the live server's)
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that use the database (a second database's pass: the others do not depend on it)",
    )


def uses_database(item: pytest.Item) -> bool:
    """Whether a test reaches the database: marked django_db, or asking a fixture that does."""
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-only"):
        return
    kept = [item for item in items if uses_database(item)]
    dropped = [item for item in items if not uses_database(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _no_rollup_cache_between_rows(settings):
    """Tests roll up from the rows as they are: no figures kept between requests.

    Tests write rows straight through the ORM and roll transactions back, so row ids and
    timestamps repeat and a data version cannot tell two states apart. The cache has tests of
    its own (indicators/tests/test_rollup_cache.py), which turn it on.
    """
    from driftsblik.indicators.rollup import ROLLED_UP

    settings.ROLLUP_CACHE = False
    ROLLED_UP.clear()
    yield
    ROLLED_UP.clear()


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


@pytest.fixture(autouse=True)
def _no_demo_registers(settings, tmp_path_factory) -> None:
    """Tests see no person-level registers unless they name some (settings.REGISTERS): a demo
    built in the checkout's var/ would otherwise add the pathway pages to menus and queries."""
    settings.REGISTERS = str(tmp_path_factory.getbasetemp() / "no-registers")


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


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd), with Django's SMTP backend pointed at it.

    Yields the list of received messages (email.message.EmailMessage), in arrival order.
    """
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            received.append(message)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield received
    finally:
        controller.stop()
