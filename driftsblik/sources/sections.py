"""The sources' part of other apps' pages: "Sammenlign" beside the municipality's indicator page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from driftsblik.organisation.viewer import viewer_of
from driftsblik.sources.selectors import comparison


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
