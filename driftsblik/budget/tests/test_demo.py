"""The demo's ledger: three budget years, Danish format, seasons, and one area heading for an overrun."""

from __future__ import annotations

from decimal import Decimal

import pytest

from driftsblik.budget.demo import load_demo
from driftsblik.budget.models import LedgerImport, LedgerMonth
from driftsblik.budget.selectors import GREEN, RED, children_budget, unit_budget
from driftsblik.core.periods import Month
from driftsblik.demo.build import load_demo_files, write_demo_files

pytestmark = pytest.mark.django_db


def test_demo_ledger(tmp_path):
    files = write_demo_files(tmp_path, seed=11, last_month=Month(2026, 10), scale=0.1)
    load_demo_files(files, say=lambda _: None)
    summary = load_demo(files, say=lambda _: None)
    assert "2024-2026" in summary
    assert sorted(LedgerImport.objects.values_list("year", flat=True)) == [2024, 2025, 2026]
    assert (tmp_path / "ledger_2026.csv").read_text(encoding="utf-8").startswith("period;unit_id;account;")
    assert not LedgerMonth.objects.filter(period__gt=Month(2026, 10).first).exists()
    through = Month(2026, 10)
    root = unit_budget(user=None, unit_id="HJK", year=2026, through=through)
    assert root.forecast_kind == "seasonal"
    areas = {f.unit_id: f for f in children_budget(user=None, unit_id="HJK", year=2026, through=through)}
    assert areas["SAEH"].status == RED and areas["SAEH"].deviation > 0
    assert [a for a, f in areas.items() if f.status != GREEN] == ["SAEH"]
    last_year = unit_budget(user=None, unit_id="HJK", year=2025, through=Month(2025, 12))
    assert last_year.status == GREEN and last_year.corrected > last_year.original  # appropriations during the year
    spent = {m: unit_budget(user=None, unit_id="BFU", year=2025, through=Month(2025, m)).spent for m in (4, 5, 11, 12)}
    may, december = spent[5] - spent[4], spent[12] - spent[11]
    april = spent[4] - unit_budget(user=None, unit_id="BFU", year=2025, through=Month(2025, 3)).spent
    assert may > april * Decimal("1.15") and december > april * Decimal("1.25")  # holiday pay, year-end catch-up
