from __future__ import annotations

import datetime as dt

import pytest

from driftsblik.web.tests.helpers import build_municipality, people


@pytest.fixture
def town(db):
    """The page tests' small municipality, its people, and a fixed 'today' far from any date edge."""
    build_municipality()
    return people()


TODAY = dt.date.today()
