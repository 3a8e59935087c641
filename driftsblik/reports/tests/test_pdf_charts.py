"""The PDF's charts are the page's specs drawn as pictures: no tooltip and no link in them."""

from __future__ import annotations

import base64

from driftsblik.reports import render
from driftsblik.ui import charts


def test_a_pdf_chart_has_neither_links_nor_tooltips():
    spec = charts.ranked_bars_spec(
        rows=[
            {"name": "Enhed A", "value": 5, "is_self": True, "href": "/indikator/x/A/"},
            {"name": "Enhed B", "value": 7, "href": "/indikator/x/B/"},
        ],
        value_label="Antal",
        description="Enhed A blandt sine naboer",
        target=8,
    )
    svg = base64.b64decode(render.chart_svg(spec).split(",", 1)[1]).decode()
    assert "Enhed A" in svg and "Mål" in svg  # the same chart, its target named
    assert "<a " not in svg and "/indikator/" not in svg
    assert spec["layer"][0]["encoding"]["href"] == {"field": "href", "type": "nominal"}  # the page keeps its own
