"""Ledger import in blocks: a file of many blocks is checked and stored as the careful reader does it.

The block size is lowered so that a few hundred lines span many blocks; every problem must be
found wherever it lies (a duplicate with its first line in another block among them), and a refused
file must leave the stored lines and monthly totals exactly as they were.
"""

from __future__ import annotations

import itertools

import pytest

from driftsblik.budget.services import ledger as module
from driftsblik.budget.services import ledger_import
from driftsblik.budget.tests.helpers import small_org, snapshot, write_ledger
from driftsblik.core import tabular
from driftsblik.core.tabular import ImportRejected

pytestmark = pytest.mark.django_db

BLOCK_BYTES = 1024  # about 25 lines a block


@pytest.fixture
def org():
    small_org()


@pytest.fixture
def blocks(monkeypatch):
    """Small blocks, and a count of the blocks checked."""
    monkeypatch.setattr(tabular, "COLUMN_BLOCK_BYTES", BLOCK_BYTES)
    checked = []
    check = module._Checker.check

    def counting(self, block):
        checked.append(len(block))
        return check(self, block)

    monkeypatch.setattr(module._Checker, "check", counting)
    return checked


def lines(year: int = 2025) -> list[list[object]]:
    """720 different lines: 12 months x 3 units x 2 accounts x 2 dranst x 5 arts."""
    combos = itertools.product(
        range(1, 13), ["I1", "I2", "I3"], ["5.30.26", "5.57.73"], [1, 2], ["1.0", "1.1", "2.2", "4.0", "5.2"]
    )
    return [
        [f"{year}-{m:02d}", u, a, d, r, "forbrug", f"{(m * 7919 + i) % 100000}.{i % 100:02d}"]
        for i, (m, u, a, d, r) in enumerate(combos)
    ]


def refused(path, **kwargs):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        ledger_import(path=path, **kwargs)
    assert snapshot() == before, "a refused import changed stored data"
    return [(p.file, p.row, p.column, p.reason) for p in caught.value.problems]


def careful(monkeypatch):
    """From here on every file is read whole by the careful reader (the path of workbooks and odd CSV)."""
    monkeypatch.setattr(module, "_streamed", lambda path: None)


def spoil(rows: list[list[object]]) -> list[list[object]]:
    """Problems in many blocks: every kind of bad cell, a month of another year, duplicates far apart."""
    rows = [list(r) for r in rows]
    rows[3][1] = "NOPE"
    rows[40][2] = "5.99.99"
    rows[41][6] = "12 kr"
    rows[100][0] = "2024-12"
    rows[150][5] = "bevilling"
    rows[200][3] = 7
    rows[250][4] = "lønninger"
    rows[300][6] = "1.005"
    rows[301][6] = ""
    rows[350][0] = "2025-13"
    rows[400] = list(rows[5])  # a duplicate of a line 395 rows (many blocks) before it
    rows[401] = list(rows[5])
    rows[600][1] = ""
    rows[700] = [*rows[650][:6], "1"]  # same line, another amount
    return rows


def test_a_file_of_many_blocks_is_stored_as_the_careful_reader_stores_it(org, tmp_path, blocks, monkeypatch):
    path = write_ledger(tmp_path / "ledger.csv", lines())
    summary = ledger_import(path=path)
    assert len(blocks) > 10
    assert (summary.rows, summary.months, summary.units, summary.replaced) == (720, 12, 3, 0)
    streamed = snapshot()
    careful(monkeypatch)
    again = ledger_import(path=path)
    assert (again.rows, again.months, again.units, again.replaced) == (720, 12, 3, 720)
    assert snapshot()[:2] == streamed[:2]


def test_problems_in_many_blocks_are_those_of_the_careful_reader(org, tmp_path, blocks, monkeypatch):
    path = write_ledger(tmp_path / "bad.csv", spoil(lines()))
    problems = refused(path)
    assert len(blocks) > 10
    assert [(row, column) for _, row, column, _ in problems] == [
        (5, "unit_id"),
        (42, "account"),
        (43, "amount"),
        (102, "period"),
        (152, "kind"),
        (202, "dranst"),
        (252, "art"),
        (302, "amount"),
        (303, "amount"),
        (352, "period"),
        (402, None),
        (403, None),
        (602, "unit_id"),
        (702, None),
    ]
    assert "first at row 7" in problems[10][3] and "first at row 7" in problems[11][3]
    assert problems[13][3] == "duplicate line 2025-11, I3, 5.57.73, 1, 1.0, spent (first at row 652)"
    assert "2024-12 is outside the budget year 2025" in problems[3][3]
    careful(monkeypatch)
    assert refused(path) == problems


def test_the_year_is_that_of_the_first_right_month_in_the_file(org, tmp_path, blocks, monkeypatch):
    rows = lines(2024)[:100] + lines(2025)[:100]
    for row in rows[:60]:  # the first blocks have no month that can be read
        row[0] = "januar"
    path = write_ledger(tmp_path / "years.csv", rows)
    problems = refused(path)
    assert [row for _, row, column, _ in problems if column == "period"] == list(range(2, 62)) + list(range(102, 202))
    assert "outside the budget year 2024" in problems[-1][3]
    careful(monkeypatch)
    assert refused(path) == problems


def test_a_refused_file_of_many_blocks_leaves_the_stored_lines_and_totals(org, tmp_path, blocks):
    ledger_import(path=write_ledger(tmp_path / "first.csv", lines()[:300]))
    before = snapshot()
    assert before[0] and before[1]
    rows = lines()
    rows[-1][6] = "x"  # only the last block is wrong: every earlier one was staged
    assert [row for _, row, _, _ in refused(write_ledger(tmp_path / "bad.csv", rows))] == [721]
    assert snapshot() == before


def test_a_byte_that_is_not_utf8_in_a_late_block_is_worded_by_the_careful_reader(org, tmp_path, blocks):
    ledger_import(path=write_ledger(tmp_path / "first.csv", lines()[:50]))
    path = write_ledger(tmp_path / "latin1.csv", lines())
    data = path.read_bytes()
    cut = data.index(b"2025-12")
    path.write_bytes(data[:cut] + b"\xe6" + data[cut:])
    ((_, row, _, reason),) = refused(path)
    assert "not UTF-8" in reason and row == 2 + 660
