"""The sources' part of other apps' pages: "Sammenlign" beside the municipality's indicator page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.visibility import today
from driftsblik.sources.selectors import comparison


def indicator_comparison(page: template.Context) -> dict[str, Any]:
    """How the municipality stands among similar municipalities on this indicator, up to the page's
    period; only on the root unit's page (the comparison is of municipalities), and only when a
    source gives the indicator for the municipality."""
    viewer, unit_id, indicator, period = page.get("viewer"), page["unit_id"], page["indicator"], page["period"]
    tree = getattr(viewer, "tree", None) or TreeCache().on(today())
    if unit_id not in tree.roots:
        return {"comparison": None}
    found = comparison(indicator=indicator, until=period.stop, user=page["request"].user)
    link = f"{reverse('sources:indicator', args=[indicator.code])}"
    return {"comparison": found, "indicator": indicator, "link": link}
