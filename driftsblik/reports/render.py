"""Rendering a report snapshot: HTML for the app, a standalone HTML document and its PDF.

The charts are the same Vega-Lite specs in both: drawn by vega-embed in the app, and turned into
SVG by vl-convert for the PDF (Danish number locale, the DejaVu Sans font that the PDF embeds).
"""

from __future__ import annotations

import base64
import copy
from typing import Any

import vl_convert
from django.template.loader import render_to_string
from django.utils import translation

from driftsblik.reports.build import budget_line
from driftsblik.ui.formats import date_long_da

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT = "DejaVu Sans"


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG data URL for the PDF."""
    spec = copy.deepcopy(spec)
    spec.setdefault("config", {})["font"] = FONT
    svg = vl_convert.vegalite_to_svg(spec, format_locale="da-DK")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def context(snapshot: dict[str, Any], *, pdf: bool) -> dict[str, Any]:
    """The template context: the snapshot plus what only the rendering needs (labels, chart images)."""
    r = copy.deepcopy(snapshot)
    n = 0
    for area in r["task_areas"]:
        for block in area["indicators"]:
            n += 1
            block["chart_id"] = f"report-chart-{n}"
            if pdf and r["kind"] != "budget":  # a budget follow-up shows no indicator charts
                block["svg"] = chart_svg(block["chart"])
    budget = r.get("budget")
    if budget and budget.get("chart"):
        budget["chart_id"] = "report-chart-budget"
        if pdf:
            budget["svg"] = chart_svg(budget["chart"])
    for entry in r["appendix"]:
        entry["loaded_label"] = date_long_da(entry["loaded_at"]) if entry.get("loaded_at") else None
    return {
        "r": r,
        "pdf": pdf,
        "font_dir": "file://" + FONT_DIR,
        "meeting_label": date_long_da(r["meeting"]) if r.get("meeting") else "",
        "built_label": date_long_da(r["built_at"]),
        "budget_line": budget_line(r),
    }


def render_fragment(snapshot: dict[str, Any]) -> str:
    """The report as a fragment for a page of the app (charts drawn in the browser)."""
    return render_to_string("reports/_report.html", context(snapshot, pdf=False))


def render_document(snapshot: dict[str, Any]) -> str:
    """The report as a standalone HTML document, charts as SVG images: the source of the PDF."""
    with translation.override("da"):
        return render_to_string("reports/document.html", context(snapshot, pdf=True))


def render_pdf(document: str) -> bytes:
    """The PDF of a standalone report document (WeasyPrint; fonts embedded)."""
    import weasyprint

    return weasyprint.HTML(string=document, base_url=FONT_DIR).write_pdf()
