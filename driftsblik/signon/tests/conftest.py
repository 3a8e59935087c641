import pytest

from driftsblik.web.tests.helpers import build_municipality, people


@pytest.fixture
def town(db):
    units = build_municipality()
    return {"units": units, **people()}
