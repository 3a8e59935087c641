"""No query-string value breaks a page: every parameter the main pages read, given values a
clumsy person or an attacker would type, answers a page, a form error, a 400 in Danish or a 404,
never a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from driftsblik.core import hooks
from driftsblik.efforts.services import effort_create
from driftsblik.engine.generate import generate
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS
from driftsblik.pathways import services as pathway_services
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = [*ENGINE_WARNINGS, pytest.mark.django_db]

BAD = [
    "0000-01",
    "0001-01",
    "9999-12",
    "2025-13",
    "2025-00",
    "2025Q5",
    "2025Q0",
    "0000Q1",
    "0000",
    "99999999999999999999",
    "-1",
    "0",
    "2025-01-01",
    "x" * 300,
    "' OR 1=1 --",
    "<script>",
    "Ø",
    "\x00",
    " ",
]

PERIOD = ["periode"]
PAGES: dict[str, list[str]] = {
    "/": ["periode", "enhed"],
    "/enhed/K/": PERIOD,
    "/indikator/visits/K/": PERIOD,
    "/budget/": ["periode", "enhed"],
    "/budget/enhed/K/": PERIOD,
    "/budget/eksport/K/": PERIOD,
    "/indsatser/": PERIOD,
    "/indsatser/ungegaranti/": PERIOD,
    "/forloeb/": ["kohorte", "start", "maaneder", "enhed"],
    "/forloeb/eksport/": ["kohorte", "start", "maaneder", "enhed"],
    "/sammenlign/": PERIOD,
    "/sammenlign/visits/": PERIOD,
    "/beskeder/": ["side"],
    "/dialog/": PERIOD,
    "/dialog/ny/": ["indikator", "enhed", "periode", "fra"],
    "/dialog/opfoelgning/": ["format", "periode"],
    "/rapporter/": PERIOD,
}


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registers")
    units = {"beskaeftigelse": ["S1I1T1"], "unge": ["S1I2T1"], "aeldre": ["S3I1T1"]}
    generate(out, persons=300, start="2024-01", end="2025-03", seed=3, units=units)
    return out


@pytest.fixture
def town(settings: Any, registers: Path) -> Iterator[Client]:
    settings.REGISTERS = str(registers)
    pathway_services.cache_clear()
    build_municipality()
    who: dict[str, Any] = people()
    effort_create(code="ungegaranti", name="Ungegarantien", owner=who["directorate"], start=dt.date(2024, 1, 1))
    client = Client(raise_request_exception=False)
    client.force_login(who["kd"])
    yield client
    pathway_services.cache_clear()


def pages() -> dict[str, list[str]]:
    found = dict(PAGES)
    for table in hooks.entries(hooks.ExcelTable):
        if table.url_name == "export":
            found[f"/eksport/{table.name}/K/"] = ["periode", "indikator"] if table.indicator else PERIOD
    return found


def test_no_bad_query_value_gives_a_500(town: Client) -> None:
    broken = []
    for url, params in pages().items():
        assert town.get(url).status_code in (200, 302, 404), url
        for param in params:
            for value in BAD:
                response = town.get(url, {param: value})
                if response.status_code >= 500:
                    broken.append(f"{url}?{param}={value!r}: {response.status_code}")
                elif response.status_code == 400 and response.get("Content-Type", "").startswith("text/html"):
                    assert "Ugyldig" in response.content.decode(), f"{url}?{param}={value!r}: a 400 not in Danish"
    assert not broken, "\n".join(broken)


BAD_PATHS = [
    "/rapporter/AU/{bad}/status/",
    "/rapporter/AU/{bad}/budget/",
    "/rapporter/AU/2025Q1/{bad}/",
    "/rapporter/{bad}/2025Q1/status/",
    "/rapporter/AU/{bad}/status/pdf/",
    "/enhed/{bad}/",
    "/indikator/{bad}/K/",
    "/indikator/visits/{bad}/",
    "/eksport/{bad}/K/",
    "/eksport/months/{bad}/",
    "/budget/enhed/{bad}/",
    "/sammenlign/{bad}/",
]


def test_no_bad_value_in_the_path_gives_a_500(town: Client) -> None:
    broken = []
    for pattern in BAD_PATHS:
        for value in ["0000Q1", "0000-01", "2025Q5", "2025-13", "9999Q4", "x" * 300, "Ø", "'", "-1"]:
            url = pattern.format(bad=value)
            response = town.get(url)
            if response.status_code >= 500:
                broken.append(f"{url}: {response.status_code}")
    assert not broken, "\n".join(broken)
