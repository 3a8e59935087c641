"""The roll-up cache gives the figures a fresh roll-up gives, and forgets them on every import or move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.rollup import ROLLED_UP, monthly_cells, period_cells
from driftsblik.indicators.services import observations_import
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree, unit, write
from driftsblik.organisation.models import UnitSpan
from driftsblik.organisation.tree import TreeCache

pytestmark = pytest.mark.django_db
MONTHS = [Month(2025, m) for m in range(1, 7)]


@pytest.fixture
def cache_on(settings):
    settings.ROLLUP_CACHE = True
    ROLLED_UP.clear()


@pytest.fixture
def figures_in_tree():
    small_tree()
    share = indicator("share", measure="share", temporal="stock")
    visits = indicator("visits")
    for n, month in enumerate(MONTHS):
        for team, base in (("T11", 3), ("T12", 7), ("T21", 11)):
            observe(share, team, str(month), base + n, 20 + n)
            observe(visits, team, str(month), base * 10 + n)
    return [share, visits]


def test_cached_figures_equal_a_fresh_roll_up(settings, figures_in_tree):
    units = ["K", "I1", "I2", "T11", "T12", "T21"]
    quarters = [Period.parse("2025Q1"), Period.parse("2025Q2")]
    settings.ROLLUP_CACHE = False
    fresh = monthly_cells(figures_in_tree, units, MONTHS)
    fresh_quarters = period_cells(figures_in_tree, units, quarters)
    settings.ROLLUP_CACHE = True
    ROLLED_UP.clear()
    first = monthly_cells(figures_in_tree, units, MONTHS)
    second = monthly_cells(figures_in_tree, units, MONTHS)
    assert first == fresh and second == fresh
    cached_quarters = period_cells(figures_in_tree, units, quarters)
    assert cached_quarters == fresh_quarters
    # and both are the roll-up by hand: the share is a stock (the quarter's last month, March:
    # n = 2), the visits a flow (January to March: n = 0, 1, 2)
    q1 = quarters[0]
    share, visits = cached_quarters[("share", "K", q1)], cached_quarters[("visits", "K", q1)]
    assert (share.numerator, share.denominator) == ((3 + 2) + (7 + 2) + (11 + 2), 3 * (20 + 2))
    assert visits.numerator == sum(base * 10 + n for base in (3, 7, 11) for n in range(3))


def test_a_second_read_asks_the_database_only_for_the_version(cache_on, figures_in_tree):
    monthly_cells(figures_in_tree, ["K"], MONTHS)
    with CaptureQueriesContext(connection) as queries:
        monthly_cells(figures_in_tree, ["K", "I1"], MONTHS, TreeCache())
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "indicators_observation" in sql  # the version: the newest observation id
    assert '"numerator"' not in sql  # but no observation rows are read again


def test_an_import_replaces_the_cached_figures(cache_on, figures_in_tree, tmp_path):
    (share, _visits) = figures_in_tree
    before = monthly_cells([share], ["K"], [Month(2025, 1)])[("share", "K", Month(2025, 1))]
    assert before.numerator == 3 + 7 + 11
    path = write(tmp_path, "fix.csv", "indicator,unit_id,period,numerator,denominator\nshare,T11,2025-01,13,20\n")
    observations_import(path=path)
    after = monthly_cells([share], ["K"], [Month(2025, 1)])[("share", "K", Month(2025, 1))]
    assert after.numerator == 13 + 7 + 11


def test_a_move_in_the_tree_replaces_the_cached_figures(cache_on, figures_in_tree):
    (_share, visits) = figures_in_tree
    june = Month(2025, 6)
    assert monthly_cells([visits], ["I2"], [june])[("visits", "I2", june)].numerator == 110 + 5
    UnitSpan.objects.filter(unit_id="T12").update(valid_to=dt.date(2025, 5, 31))
    unit("T12", "I2", valid_from=dt.date(2025, 6, 1))
    moved = monthly_cells([visits], ["I2"], [june])[("visits", "I2", june)]
    assert moved.numerator == 110 + 5 + 70 + 5
