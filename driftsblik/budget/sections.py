"""The budget in a committee report: the committee area's budget status through the period's last month.

Registered as a `ReportSection` ("budget") in `BudgetConfig.ready()`; the value is stored under
`snapshot["budget"]` (None when no budget is loaded). Read as the system (every unit of the
committee's task areas), in Danish, as the report is a Danish document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from driftsblik.budget.charts import cumulative_spend_spec
from driftsblik.budget.selectors import committee_budget
from driftsblik.core.periods import Period
from driftsblik.organisation.models import Committee
from driftsblik.ui import status as status_table
from driftsblik.ui.formats import millions_da, number_da

AMOUNTS = ("original", "corrected", "spent", "forecast", "deviation")


def _num(value: Any) -> str | None:
    if value is None:
        return None
    value = Decimal(str(value))
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def report_budget(*, committee: Committee, period: Period, kind: str) -> dict[str, Any] | None:
    """The budget section of the committee's report (None: no budget data)."""
    budget = committee_budget(user=None, committee=committee, year=period.year, through=period.stop)
    if budget is None or budget.total is None or not budget.total.has_data:
        return None
    rows = [_row(f) for f in (budget.task_areas or budget.units)]
    total = _row(budget.total)
    for entry in [*rows, total]:
        entry["sentence"] = budget_sentence(entry)
    return {
        "total": total,
        "areas": rows,
        "chart": _chart(committee, period, budget.monthly),
        "through": str(period.stop),
    }


def _row(fig: Any) -> dict[str, Any]:
    values = {name: getattr(fig, name) for name in (*AMOUNTS, "deviation_pct")}
    return {
        "label": str(fig.label),
        **{name: _num(v) for name, v in values.items()},
        **{f"{name}_text": millions_da(values[name]) for name in AMOUNTS},
        "deviation_pct_text": number_da(values["deviation_pct"], 1, sign=True),
        "status": fig.status,
        "status_word": status_table.BUDGET.word(fig.status),
        "method": str(fig.method or ""),
    }


def _chart(committee: Committee, period: Period, monthly: list[dict] | None) -> dict[str, Any] | None:
    """Spending cumulated month by month against last year and the corrected budget."""
    if not monthly:
        return None
    return cumulative_spend_spec(
        monthly=monthly,
        labels={
            "this_year": f"Forbrug {period.year}",
            "last_year": f"Forbrug {period.year - 1}",
            "budget": "Korrigeret budget",
            "value": "mio. kr. (akkumuleret)",
            "month": "Måned",
        },
        description=f"{committee.name}: forbrug {period.year} måned for måned, akkumuleret, mod "
        f"{period.year - 1} og det korrigerede budget",
        width=520,
        height=200,
    )


def budget_sentence(row: dict[str, Any]) -> str:
    """'Forventet regnskab 1.076,4 mio. kr., 7,2 mio. kr. under det korrigerede budget på 1.083,6 mio. kr.'"""
    deviation = Decimal(row["deviation"] or 0)
    if millions_da(abs(deviation)) == "0,0":
        where = "svarende til det korrigerede budget"
    else:
        side = "over" if deviation > 0 else "under"
        where = f"{millions_da(abs(deviation))} mio. kr. {side} det korrigerede budget"
    return f"Forventet regnskab {row['forecast_text']} mio. kr., {where} på {row['corrected_text']} mio. kr."
