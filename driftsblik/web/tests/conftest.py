"""Fixtures for the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """WhiteNoise warns (an error in this suite) when STATIC_ROOT is missing on a fresh checkout."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
