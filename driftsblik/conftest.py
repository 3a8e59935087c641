"""Fixtures for the whole suite."""

import pytest


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
