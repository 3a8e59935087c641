"""The sources' part of other apps' pages and documents: "Sammenlign" beside the municipality's
indicator page (an `OverviewSection`) and the comparison section of the committee status report
(a `ReportSection`), both registered in `SourcesConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from driftsblik.core.periods import Period
from driftsblik.organisation.viewer import viewer_of
from driftsblik.sources.selectors import comparable_indicators, comparison
from driftsblik.ui.formats import prose_date, value_da


def indicator_comparison(page: template.Context) -> dict[str, Any]:
    """How the municipality stands among similar municipalities on this indicator, up to the page's
    period; only on the root unit's page (the comparison is of municipalities), and only when a
    source gives the indicator for the municipality."""
    viewer, unit_id, indicator, period = viewer_of(page["request"]), page["unit_id"], page["indicator"], page["period"]
    if unit_id not in viewer.tree.roots:
        return {"comparison": None}
    found = comparison(indicator=indicator, until=period.stop, user=page["request"].user)
    link = f"{reverse('sources:indicator', args=[indicator.code])}"
    return {"comparison": found, "indicator": indicator, "link": link}


def report_comparison(*, committee: Any, period: Period, kind: str) -> dict[str, Any] | None:
    """The committee report's section "Sådan ligger vi i forhold til sammenlignelige kommuner" (a
    `ReportSection` of status reports): for each indicator of the committee's task areas that a
    source gives for similar municipalities, our figure at the period's last month with a figure,
    the peer group's, the country's and our rank, with the sources and the day they were retrieved.
    Read as no person: small person-based figures are hidden as for any non-analyst, and figures a
    source withheld (`..`) say so. None when no indicator of the committee can be compared."""
    rows = []
    for indicator in comparable_indicators():
        if indicator.task_area is None or indicator.task_area.committee_id != committee.pk:
            continue
        found = comparison(indicator=indicator, until=period.stop)
        if found is not None:
            rows.append(_row(found))
    if not rows:
        return None
    sources = sorted({s for r in rows for s in r["sources"]})
    retrieved = max((r["retrieved_at"] for r in rows if r["retrieved_at"]), default=None)
    return {
        "group_name": rows[0]["group_name"],
        "rows": rows,
        "sources": sources,
        "retrieved": prose_date(retrieved) if retrieved else None,
        "synthetic": any(r["synthetic"] for r in rows),
    }


def _shown(indicator: Any, figure: Any) -> str:
    if figure.withheld:
        return "tilbageholdt af kilden (..)"
    if figure.missing:
        return "intet tal"
    return value_da(indicator, figure.value, suppressed=figure.hidden)


def _row(c: Any) -> dict[str, Any]:
    indicator = c.indicator
    group = value_da(indicator, c.group.value)
    if not c.group.complete:
        left_out = c.group.withheld + c.group.missing
        group += f" ({left_out} {'kommune' if left_out == 1 else 'kommuner'} ikke med)"
    best = "1 er højest" if indicator.direction == "higher" else "1 er lavest"
    return {
        "indicator": indicator.code,
        "name": indicator.name,
        "period_label": c.period.label_da,
        "group_name": c.group_name,
        "ours_text": _shown(indicator, c.ours),
        "group_text": group,
        "country_text": value_da(indicator, c.country.value) if c.country else "–",
        "rank_text": f"nr. {c.rank} af {c.ranked} ({best})" if c.rank else "–",
        "sources": c.sources,
        "retrieved_at": c.retrieved_at.isoformat(timespec="seconds") if c.retrieved_at else None,
        "synthetic": c.synthetic,
    }
