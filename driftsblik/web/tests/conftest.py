"""Fixtures for the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """WhiteNoise warns (an error in this suite) when STATIC_ROOT is missing on a fresh checkout."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """The page tests set real passwords for the login tests; a fast hasher keeps set-up short."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
