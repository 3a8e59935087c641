"""The budget section of the reports, from the budget app's `committee_budget`."""

from __future__ import annotations

import pytest

from driftsblik.budget.services.ledger import ledger_import
from driftsblik.core.periods import Period
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.render import render_document

pytestmark = pytest.mark.django_db


def book(tmp_path, rows):
    """One ledger file per budget year, through the budget app's import."""
    for year in sorted({p[:4] for p, *_ in rows}):
        lines = ["period,unit_id,account,dranst,art,kind,amount"]
        lines += [f"{p},{u},5.30.26,,,{k},{a}" for p, u, k, a in rows if p.startswith(year)]
        path = tmp_path / f"ledger_{year}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ledger_import(path=path)


def test_budget_follow_up_shows_where_the_year_ends(town, tmp_path):
    # last year: 1 mio. kr. a month at S1I1T1; this year 12 mio. budgeted, 1,2 mio. a month spent to March
    rows = [(f"2024-{m:02d}", "S1I1T1", "forbrug", 1_000_000) for m in range(1, 13)]
    rows += [("2025-01", "S1I1T1", "oprindeligt budget", 12_000_000)]
    rows += [(f"2025-{m:02d}", "S1I1T1", "forbrug", 1_200_000) for m in range(1, 4)]
    book(tmp_path, rows)
    snapshot = build_snapshot(committee=town["committee"], period=Period.parse("2025Q1"), kind="budget")
    budget = snapshot["budget"]
    total = budget["total"]
    assert total["original_text"] == "12,0" and total["spent_text"] == "3,6"
    # a flat profile last year: 3,6 mio. is a quarter of the year -> 14,4 mio.; 2,4 mio. over budget
    assert total["forecast_text"] == "14,4" and total["deviation_text"] == "2,4"
    assert total["sentence"] == (
        "Forventet regnskab 14,4 mio. kr., 2,4 mio. kr. over det korrigerede budget på 12,0 mio. kr."
    )
    assert [a["label"] for a in budget["areas"]] == ["Beskæftigelse", "Unge og uddannelse"]
    document = render_document(snapshot)
    assert "1. budgetopfølgning 2025" in document and "Ingen budgetdata indlæst" not in document
    assert "14,4" in document
    assert budget["chart"]["description"].startswith("Arbejdsmarkeds- og Uddannelsesudvalget: forbrug 2025")
    assert document.count("data:image/svg+xml;base64,") == 1  # the budget chart; no indicator charts
    status = render_document(build_snapshot(committee=town["committee"], period=Period.parse("2025Q1")))
    assert status.count("data:image/svg+xml;base64,") == 4  # three indicators and the budget
