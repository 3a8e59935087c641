"""`pytest --database-only`: CI's pass on PostgreSQL runs the tests that reach the database, and
only those; a test that reaches it in any way pytest-django offers must not be left out."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

MODULE = """
import pytest

@pytest.fixture
def stored(db):
    return 1

@pytest.mark.django_db
def test_marked():
    pass

@pytest.mark.django_db
class TestMarkedClass:
    def test_in_class(self):
        pass

def test_asks_db(db):
    pass

def test_asks_transactional_db(transactional_db):
    pass

def test_through_a_fixture(stored):
    pass

def test_live_server(live_server):
    pass

def test_pure():
    pass

def test_pure_with_settings(settings):
    pass
"""


def collected(pytester: pytest.Pytester, *args: str) -> set[str]:
    pytester.makepyfile(test_sample=MODULE)
    result = pytester.runpytest_subprocess(
        "-p", "driftsblik.conftest", "--ds=driftsblik.settings", "--collect-only", "-q", *args
    )
    return {line.split("::", 1)[1] for line in result.outlines if "::" in line}


def test_only_the_tests_that_reach_the_database_are_kept(pytester):
    assert collected(pytester, "--database-only") == {
        "test_marked",
        "TestMarkedClass::test_in_class",
        "test_asks_db",
        "test_asks_transactional_db",
        "test_through_a_fixture",
        "test_live_server",
    }


def test_without_the_option_every_test_is_collected(pytester):
    assert len(collected(pytester)) == 8
