"""Registers for the pathway page tests: synthetic ones whose units are the test municipality's
teams, and the engine suite's hand-worked set (a cohort of four young people)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from driftsblik.engine.generate import generate
from driftsblik.engine.tests.test_pathways import pathway_registers
from driftsblik.pathways import services

UNITS = {
    "beskaeftigelse": ["S1I1T1", "S1I1T2"],
    "unge": ["S1I2T1", "S1I2T2"],
    "aeldre": ["S3I1T1", "S3I1T2"],
}


@pytest.fixture(scope="session")
def generated_registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registers")
    generate(out, persons=4000, start="2024-01", end="2025-03", seed=7, units=UNITS)
    return out


@pytest.fixture(scope="session")
def person_ids(generated_registers: Path) -> list[str]:
    return pq.read_table(generated_registers / "persons.parquet", columns=["person_id"]).column(0).to_pylist()


@pytest.fixture(scope="session")
def small_registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pathway_registers().write(tmp_path_factory.mktemp("small-registers"))


@pytest.fixture
def registers(settings, generated_registers: Path) -> Path:
    settings.REGISTERS = str(generated_registers)
    services.cache_clear()
    yield generated_registers
    services.cache_clear()
