"""Every PDF Driftsblik makes is tagged PDF/UA-1: language, title, headings, table headers, figure texts."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from driftsblik.core.periods import Period
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.models import ReportKind
from driftsblik.reports.render import render_document, render_pdf
from driftsblik.reports.tests.test_budget_section import book

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2025Q1")


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def structure(reader: PdfReader) -> list[DictionaryObject]:
    """Every structure element of the PDF's structure tree, depth first."""
    out: list[DictionaryObject] = []
    stack = [_resolve(reader.trailer["/Root"]["/StructTreeRoot"])]
    while stack:
        node = stack.pop()
        kids = _resolve(node.get("/K")) if isinstance(node, DictionaryObject) else None
        if isinstance(node, DictionaryObject) and "/S" in node:
            out.append(node)
        if isinstance(kids, ArrayObject):
            stack.extend(_resolve(k) for k in reversed(kids))
        elif isinstance(kids, DictionaryObject):
            stack.append(kids)
    return out


@pytest.mark.parametrize("kind", [ReportKind.STATUS, ReportKind.BUDGET])
def test_every_kind_of_report_pdf_is_tagged_pdf_ua_with_language_and_title(town, kind, tmp_path):
    # a budget, so that the budget table and chart are in the PDF too
    rows = [("2025-01", "S1I1T1", "oprindeligt budget", 12_000_000)]
    book(tmp_path, rows + [(f"2025-{m:02d}", "S1I1T1", "forbrug", 1_200_000) for m in range(1, 4)])
    snapshot = build_snapshot(committee=town["committee"], period=Q1, kind=kind)
    reader = PdfReader(io.BytesIO(render_pdf(render_document(snapshot))))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "da"
    assert reader.metadata.title == snapshot["title"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    tags = structure(reader)
    kinds = {str(t["/S"]) for t in tags}
    assert "/H1" in kinds, kinds
    assert "/Table" in kinds and "/TH" in kinds, kinds
    figures = [t for t in tags if t["/S"] == "/Figure"]
    assert figures, "the charts are not tagged as figures"
    assert all(str(f.get("/Alt", "")).strip() for f in figures), "a chart without a text alternative"
