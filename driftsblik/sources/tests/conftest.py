"""Fixtures for the sources tests: fake services on loopback, mapping files, a small municipality."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from driftsblik.indicators.tests.helpers import indicator, unit
from driftsblik.sources.tests.servers import JobindsatsFake, OS2moFake, StatbankFake


@pytest.fixture
def loopback() -> Iterator[HTTPServer]:
    """A threaded HTTP server on 127.0.0.1 for one test (a slow answer does not hold up the next)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def fast_retries(settings) -> None:
    """Retries as in production, with waits short enough for a test."""
    settings.SOURCES_ATTEMPTS = 3
    settings.SOURCES_BACKOFF = 0.01
    settings.SOURCES_TIMEOUT = 5


@pytest.fixture
def statbank(loopback: HTTPServer, settings, fast_retries) -> StatbankFake:
    fake = StatbankFake(loopback)
    settings.STATBANK_URL = fake.url
    return fake


@pytest.fixture
def jobindsats(loopback: HTTPServer, settings, fast_retries) -> JobindsatsFake:
    fake = JobindsatsFake(loopback)
    settings.JOBINDSATS_URL = fake.url
    settings.JOBINDSATS_API_KEY = JobindsatsFake.KEY
    return fake


@pytest.fixture
def os2mo(loopback: HTTPServer, settings, fast_retries) -> OS2moFake:
    fake = OS2moFake(loopback)
    settings.OS2MO_URL = fake.url
    settings.OS2MO_TOKEN_URL = fake.token_url
    settings.OS2MO_CLIENT_ID, settings.OS2MO_CLIENT_SECRET = OS2moFake.CLIENT
    return fake


@pytest.fixture
def sources_dir(tmp_path: Path, settings) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    settings.SOURCES_DIR = str(folder)
    return folder


@pytest.fixture
def municipality(db) -> None:
    """Hjørring (the root unit K) with the indicators the shipped Statistikbanken mappings fill."""
    unit("K", kind="root", name="Hjørring Kommune")
    indicator("population", measure="count", temporal="stock")
    indicator("kontanthjaelp_per_1000", measure="rate_per_1000", temporal="stock", direction="lower")
    indicator("kontanthjaelp_recipients", measure="count", temporal="stock", direction="lower")
    indicator("uddannelseshjaelp_recipients", measure="count", temporal="stock", direction="lower")
