"""Rendering a report snapshot: HTML for the app, a standalone HTML document and its PDF.

The charts are the same Vega-Lite specs in both: drawn by vega-embed in the app, and turned into
SVG by vl-convert for the PDF (Danish number locale, the DejaVu Sans font that the PDF embeds).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from typing import Any

import vl_convert
from django.template.loader import render_to_string
from django.utils import translation

from driftsblik.reports.build import budget_line, budget_summary_status, counts_text, status_counts
from driftsblik.ui import charts
from driftsblik.ui.formats import prose_date, prose_datetime

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT = "DejaVu Sans"


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG data URL for the PDF."""
    spec = charts.static_spec(spec)  # a picture: no tooltip, no link
    spec.setdefault("config", {})["font"] = FONT
    svg = vl_convert.vegalite_to_svg(spec, format_locale="da-DK")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def context(snapshot: dict[str, Any], *, pdf: bool) -> dict[str, Any]:
    """The template context: the snapshot plus what only the rendering needs (labels, chart images)."""
    r = copy.deepcopy(snapshot)
    n = 0
    for area in r["task_areas"]:
        # page one gives each task area its counts per status, never one word over its figures
        area["counts_text"] = counts_text(status_counts({"task_areas": [area]}))
        for block in area["indicators"]:
            n += 1
            block["chart_id"] = f"report-chart-{n}"
            block["anchor"] = f"report-indicator-{n}"
            if pdf and r["kind"] != "budget":  # a budget follow-up shows no indicator charts
                block["svg"] = chart_svg(block["chart"])
    same_measure(r)
    budget = r.get("budget")
    if budget and budget.get("chart"):
        budget["chart_id"] = "report-chart-budget"
        if pdf:
            budget["svg"] = chart_svg(budget["chart"])
    for entry in r["appendix"]:
        entry["loaded_label"] = prose_datetime(entry["loaded_at"]) if entry.get("loaded_at") else None
    return {
        "r": r,
        "pdf": pdf,
        "font_dir": "file://" + FONT_DIR,
        "meeting_label": prose_date(r["meeting"]) if r.get("meeting") else "",
        "built_label": prose_datetime(r["built_at"]),
        "budget_line": budget_line(r),
        "counts_text": counts_text(status_counts(r)),
        "budget_status": budget_summary_status(r),
    }


def same_measure(r: dict[str, Any]) -> None:
    """Each effort goal's figure (the effort's participants only) gets the report's figure of the same
    indicator (``goal["same_measure"]``: the first block of it, at the highest unit the report shows),
    so the reader is told the two differ and can go from one to the other."""
    blocks: dict[str, dict[str, Any]] = {}
    for area in r["task_areas"]:
        for block in area["indicators"]:
            blocks.setdefault(block["indicator"], block)
    for effort in r.get("efforts") or []:
        for goal in effort.get("goals", []):
            block = blocks.get(goal["indicator"])
            if block is not None:
                goal["same_measure"] = {
                    "anchor": block["anchor"],
                    "unit_name": block["unit_name"],
                    "value_text": block["value_text"],
                }


def render_fragment(snapshot: dict[str, Any]) -> str:
    """The report as a fragment for a page of the app (charts drawn in the browser)."""
    with translation.override("da"):  # the report is a Danish document, its dates too
        return render_to_string("reports/_report.html", context(snapshot, pdf=False))


def render_document(snapshot: dict[str, Any]) -> str:
    """The report as a standalone HTML document, charts as SVG images: the source of the PDF."""
    with translation.override("da"):
        return render_to_string("reports/document.html", context(snapshot, pdf=True))


# tagged PDF/UA-1: a screen reader gets the headings, tables, reading order and the charts' text
# alternatives; the language and the title come from the document's <html lang> and <title>
PDF_VARIANT = "pdf/ua-1"


def render_pdf(document: str) -> bytes:
    """The accessible PDF (PDF/UA-1, tagged) of a standalone report document (WeasyPrint; fonts embedded)."""
    import weasyprint

    return weasyprint.HTML(string=document, base_url=FONT_DIR).write_pdf(pdf_variant=PDF_VARIANT)


STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def document_policy(document: str) -> str:
    """The Content-Security-Policy a standalone report document is served with. The document is
    also the PDF's source and, once issued, frozen under its checksum, so its stylesheet stays
    inline: each <style> element is allowed by its hash, its charts are data: images, and nothing
    else loads (it has no script, and its fonts are the PDF's local files)."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode("ascii") + "'"
        for block in STYLE_ELEMENT.findall(document)
    ]
    styles = " ".join(hashes) if hashes else "'none'"
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src {styles}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )
