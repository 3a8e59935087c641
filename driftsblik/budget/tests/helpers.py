"""Ledger files and small organisations for the budget tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from driftsblik.budget.models import LedgerImport, LedgerLine, LedgerMonth
from driftsblik.organisation.tests.factories import make_tree

HEADER = ["period", "unit_id", "account", "dranst", "art", "kind", "amount"]
START = dt.date(2020, 1, 1)


def small_org() -> None:
    """K > A > (I1, I2); K > B > I3."""
    make_tree({"K": {"A": ["I1", "I2"], "B": ["I3"]}})


def write_ledger(path: Path, rows: list[list[object]], *, delimiter: str = ",", header: list[str] = HEADER) -> Path:
    lines = [delimiter.join(header)] + [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot() -> tuple:
    """Every stored ledger row, for 'nothing stored' checks."""
    return (
        sorted(LedgerLine.objects.values_list("period", "unit_id", "account_id", "dranst", "art", "kind", "amount")),
        sorted(LedgerMonth.objects.values_list("period", "unit_id", "account_id", "kind", "amount")),
        LedgerImport.objects.count(),
    )
