"""The roll-up is computed once per data version and shared by every worker and thread: kept in the
database, refreshed by the import that changed the figures, computed by one reader at a time when
the tree changed elsewhere, while the other readers read the previous figures without waiting."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from driftsblik.core.periods import Month
from driftsblik.indicators import rollup
from driftsblik.indicators.models import RolledUpCell, RollUpState
from driftsblik.indicators.rollup import ROLLED_UP, monthly_cells
from driftsblik.indicators.services import observations_import
from driftsblik.indicators.tests.helpers import indicator, observe, small_tree, unit, write
from driftsblik.organisation.models import UnitSpan
from driftsblik.organisation.tests.factories import write_csv

JUNE = Month(2025, 6)
MONTHS = [Month(2025, m) for m in range(1, 7)]
THREADS = 4
HEADER = ["unit_id", "parent_id", "name", "kind", "valid_from", "valid_to", "leader_email", "leader_name"]


@pytest.fixture
def kept(settings):
    settings.ROLLUP_CACHE = True
    ROLLED_UP.clear()
    yield
    ROLLED_UP.listeners.clear()


@pytest.fixture
def figures():
    small_tree()
    share = indicator("share", measure="share", temporal="stock")
    visits = indicator("visits")
    for n, month in enumerate(MONTHS):
        for team, base in (("T11", 3), ("T12", 7), ("T21", 11)):
            observe(share, team, str(month), base + n, 20 + n)
            observe(visits, team, str(month), base * 10 + n)
    return share, visits


def in_threads(count: int, ask: Callable[[], Any]) -> list[Any]:
    """`ask()` in `count` threads started together (each with its own connection); their answers."""
    answers: list[Any] = [None] * count
    go = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            go.wait()
            answers[n] = ask()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def cells_of(indicators, units=("K", "I1", "I2")):
    return monthly_cells(indicators, list(units), MONTHS)


@pytest.mark.django_db(transaction=True)
def test_after_an_import_several_threads_at_once_cost_one_roll_up(kept, figures, tmp_path):
    share, visits = figures
    rollup.refresh(None)  # the figures as the last import left them
    ROLLED_UP.clear()
    path = write(tmp_path, "fix.csv", "indicator,unit_id,period,numerator,denominator\nshare,T11,2025-01,13,20\n")
    observations_import(path=path)
    assert ROLLED_UP.computations == 1  # the import's own, for the one month it changed
    answers = in_threads(THREADS, lambda: cells_of([share, visits]))
    assert ROLLED_UP.computations == 1
    assert answers[0][("share", "K", Month(2025, 1))].numerator == 13 + 7 + 11
    assert all(answer == answers[0] for answer in answers)


@pytest.mark.django_db(transaction=True)
def test_one_reader_rolls_up_a_changed_tree_while_the_others_read_the_previous_figures(kept, figures):
    _share, visits = figures
    before = cells_of([visits], ["I1", "I2"])  # nothing kept yet: rolled up and kept by this read
    assert ROLLED_UP.computations == 1 and RollUpState.objects.exists()
    # T12 moves from I1 to I2 in June, in the admin (no import tells the roll-up)
    UnitSpan.objects.filter(unit_id="T12").update(valid_to=dt.date(2025, 5, 31))
    unit("T12", "I2", valid_from=dt.date(2025, 6, 1))
    ROLLED_UP.clear()
    computing, finish = threading.Event(), threading.Event()

    def hold(what: str) -> None:
        computing.set()
        assert finish.wait(timeout=120)

    ROLLED_UP.listeners.append(hold)
    moved: list[Any] = []

    def compute() -> None:
        moved.append(cells_of([visits], ["I1", "I2"]))
        connection.close()

    computer = threading.Thread(target=compute)
    computer.start()
    assert computing.wait(timeout=120)
    # while it computes, every other reader gets the figures committed before, at once
    answers = in_threads(THREADS, lambda: cells_of([visits], ["I1", "I2"]))
    assert answers == [before] * THREADS
    finish.set()
    computer.join(timeout=120)
    assert ROLLED_UP.computations == 1
    assert moved[0][("visits", "I2", JUNE)].numerator == 110 + 5 + 70 + 5
    assert cells_of([visits], ["I1", "I2"]) == moved[0]
    assert ROLLED_UP.computations == 1


@pytest.mark.django_db
def test_the_kept_cells_are_the_roll_up_by_hand(kept, figures):
    share, visits = figures
    rollup.refresh(None)
    kept_cells = {
        (c.indicator_code, c.unit_code, c.period): (c.numerator_sum, c.denominator_sum)
        for c in RolledUpCell.objects.filter(unit_code="K", period=JUNE.first)
    }
    n = 5
    assert kept_cells[("share", "K", JUNE.first)] == (Decimal(3 + 7 + 11 + 3 * n), Decimal(3 * (20 + n)))
    assert kept_cells[("visits", "K", JUNE.first)] == (Decimal(30 + 70 + 110 + 3 * n), Decimal(0))
    assert cells_of([visits], ["K"])[("visits", "K", JUNE)].denominator is None  # a count has none


@pytest.mark.django_db
def test_an_organisation_import_rolls_up_again_in_its_transaction(kept, figures, tmp_path):
    from driftsblik.organisation.services import org_import

    _share, visits = figures
    cells_of([visits])
    ROLLED_UP.clear()
    rows = [
        HEADER,
        ["T12", "I1", "T12", "team", "2020-01-01", "2025-05-31", "", ""],
        ["T12", "I2", "T12", "team", "2025-06-01", "", "", ""],
    ]
    summary = org_import(path=write_csv(tmp_path / "move.csv", rows))
    assert summary.spans_closed == 1
    assert ROLLED_UP.computations == 1
    moved = cells_of([visits], ["I2"])
    assert ROLLED_UP.computations == 1  # read, not rolled up again
    assert moved[("visits", "I2", JUNE)].numerator == 110 + 5 + 70 + 5


@pytest.mark.django_db
def test_the_kept_cells_are_indexed_by_unit_first():
    # a page reads every indicator's cells of a few units: the index that starts with the unit
    # lets it do so without reading every unit's cells
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, RolledUpCell._meta.db_table)
    assert any(c["index"] and c["columns"][:2] == ["unit_code", "period"] for c in found.values())


@pytest.mark.django_db
def test_a_page_reads_a_few_units_cells_through_the_index_not_a_scan_of_every_unit():
    if connection.vendor != "postgresql":
        pytest.skip("the query plan is PostgreSQL's (the database in production)")
    from django.test.utils import CaptureQueriesContext

    codes = [f"i{n:02d}" for n in range(20)]
    months = [Month(2024, 1).shift(n) for n in range(24)]
    units = [f"U{n:03d}" for n in range(60)]
    RolledUpCell.objects.bulk_create(
        RolledUpCell(indicator_code=c, unit_code=u, period=m.first, numerator_sum=1, denominator_sum=2)
        for c in codes
        for m in months
        for u in units
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RolledUpCell._meta.db_table}")
    pairs = [(c, m) for c in codes for m in months[-13:]]
    with CaptureQueriesContext(connection) as queries:
        read = rollup._read(pairs, dict.fromkeys(codes, True), {"U001", "U002", "U003"})
    assert sum(len(by_unit) for by_unit in read.values()) == 20 * 13 * 3
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "rolled_up_cell_unit_period" in plan and "Seq Scan" not in plan, plan
