"""The pathway chart: where the cohort is, month by month, as stacked bars (Vega-Lite).

Vega-Lite has no Sankey; stacked bars per month show the "where are they now" picture, and the
page's transition table shows the flows between months. Counts hidden by suppression are drawn
together as one grey "hidden" segment per month (its size is the cohort minus the visible
counts, which anyone can work out, so it gives nothing away; left out when the cohort's size is
hidden too) and never as zero. Each status has
its own colour and its name in the legend and tooltip; the page's table holds the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from driftsblik.ui.charts import FONT, INK, SCHEMA
from driftsblik.ui.formats import percent_da

# one colour per status, in precedence order; grey for the hidden counts
COLOURS = {
    "moved_away": "#5f5f5f",
    "admitted": "#cc0000",
    "job": "#358000",
    "education": "#004d99",
    "kontanthjaelp": "#e37222",
    "uddannelseshjaelp": "#f2a93b",
    "dagpenge": "#7b4fa0",
    "sygedagpenge": "#b05a9a",
    "ledighedsydelse": "#0c7c8c",
    "foertidspension": "#8c5a2b",
    "fleksjob": "#6fa8dc",
    "ressourceforloeb": "#c9a227",
    "revalidering": "#93c47d",
    "benefit_other": "#d5a6bd",
    "other": "#b7b7b7",
    "hidden": "#e6e6e6",
}


def pathway_spec(
    *,
    months: Sequence[str],
    statuses: Sequence[tuple[str, str]],
    cells: Sequence[Sequence[int | None]],
    total: int | None,
    hidden_label: str,
    description: str,
    persons_label: str,
    month_label: str,
    status_label: str,
    width: int = 720,
    height: int = 320,
) -> dict[str, Any]:
    """Stacked bars: one bar per month (``months``, already labelled), one segment per status.

    ``statuses`` are (code, label) in precedence order; ``cells[i][j]`` is the count of status j in
    month i, ``None`` when hidden; every month adds up to ``total`` (the cohort), so the hidden
    counts of a month are drawn as one segment of ``total`` minus the visible counts. When the
    cohort's size is itself hidden (``total`` None), that segment would give it away and is left out.
    """
    if not description.strip():
        raise ValueError("a chart needs a description: it is the chart's accessible name")
    labels = [label for _code, label in statuses] + [hidden_label]
    colours = [COLOURS.get(code, "#b7b7b7") for code, _label in statuses] + [COLOURS["hidden"]]
    data: list[dict[str, Any]] = []
    for i, (month, row) in enumerate(zip(months, cells, strict=True)):
        hidden_any = False
        for j, ((_code, label), n) in enumerate(zip(statuses, row, strict=True)):
            if n is None:
                hidden_any = True
                continue
            if n:
                data.append({"month": month, "i": i, "status": label, "order": j, "persons": n})
        if hidden_any and total is not None:
            rest = total - sum(n for n in row if n is not None)
            data.append({"month": month, "i": i, "status": hidden_label, "order": len(statuses), "persons": rest})
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": width,
        "height": height,
        "data": {"values": data},
        "mark": {"type": "bar", "stroke": "#ffffff", "strokeWidth": 0.5},
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "sort": list(months),
                "title": month_label,
                "axis": {"labelAngle": -45},
            },
            "y": {"field": "persons", "type": "quantitative", "stack": "zero", "title": persons_label},
            "color": {
                "field": "status",
                "type": "nominal",
                "title": status_label,
                "scale": {"domain": labels, "range": colours},
                "legend": {"orient": "right", "symbolStrokeColor": INK, "symbolStrokeWidth": 0.5},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "month", "type": "ordinal", "title": month_label},
                {"field": "status", "type": "nominal", "title": status_label},
                {"field": "persons", "type": "quantitative", "title": persons_label, "format": ",d"},
            ],
        },
        "config": {
            "font": FONT,
            "background": "#ffffff",
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK},
            "legend": {"labelFontSize": 12, "labelColor": INK, "titleColor": INK, "labelLimit": 260},
        },
    }


def silos_spec(
    *,
    rows: Sequence[tuple[str, float | None]],
    category_label: str,
    share_label: str,
    description: str,
    texts: Sequence[str] | None = None,
    width: int = 360,
    height: int = 200,
) -> dict[str, Any]:
    """Bars: the share in job or education at the end (%) per number of units involved.

    ``rows`` are (bucket label, share); a share of ``None`` (hidden or no persons) leaves its
    bucket without a bar, never a zero bar. ``texts`` are the shares as the page's table writes
    them ('45,0 %'), shown in the tooltip; without them the share is written with one decimal.
    """
    if not description.strip():
        raise ValueError("a chart needs a description: it is the chart's accessible name")
    labels = [label for label, _share in rows]
    shown = list(texts) if texts is not None else [percent_da(share) for _label, share in rows]
    data = [
        {"bucket": label, "share": share, "share_text": text} for (label, share), text in zip(rows, shown, strict=True)
    ]
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": width,
        "height": height,
        "data": {"values": data},
        "mark": {"type": "bar", "color": "#004d99"},
        "encoding": {
            "x": {
                "field": "bucket",
                "type": "ordinal",
                "sort": labels,
                "title": category_label,
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "share", "type": "quantitative", "title": share_label, "scale": {"domain": [0, 100]}},
            "tooltip": [
                {"field": "bucket", "type": "ordinal", "title": category_label},
                {"field": "share_text", "type": "nominal", "title": share_label},
            ],
        },
        "config": {
            "font": FONT,
            "background": "#ffffff",
            "mark": {"invalid": "break-paths-filter-domains"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK},
        },
    }
