"""Building, rendering, issuing, freezing, comparing and delivering committee reports."""

from __future__ import annotations

import re
import zlib
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Observation
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.diff import compare
from driftsblik.reports.models import IssuedReport
from driftsblik.reports.render import render_document, render_pdf
from driftsblik.reports.services import canonical, report_issue, sha256, verify

Q1 = Period.parse("2025Q1")


def pdf_streams(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for embedded fonts."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() : match.end() + 500_000]))
        except zlib.error:
            continue
    return b"".join(out)


def page_texts(document: str) -> list[str]:
    """The text on each page as WeasyPrint lays the document out."""
    import weasyprint

    def texts(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", []):
            yield from texts(child)

    rendered = weasyprint.HTML(string=document, base_url="/usr/share/fonts/truetype/dejavu").render()
    return [" ".join(texts(page._page_box)) for page in rendered.pages]


@pytest.mark.django_db
def test_snapshot_has_sentences_status_breakdown_and_commentary_slots(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert snapshot["title"] == "Status 1. kvartal 2025 – Arbejdsmarkeds- og Uddannelsesudvalget"
    assert [a["code"] for a in snapshot["task_areas"]] == ["BES", "UNG"]
    bes = snapshot["task_areas"][0]
    visits = next(b for b in bes["indicators"] if b["indicator"] == "visits")
    # visits at S1 in 2025Q1: teams n = 0..3 under S1, each 100 + 10n + month, for months 1..3
    expected = sum(3 * (100 + 10 * n) + 6 for n in range(4))
    assert Decimal(visits["value"]) == expected
    previous = sum(3 * (100 + 10 * n) + 33 for n in range(4))  # months 10, 11, 12
    assert Decimal(visits["previous"]) == previous
    assert visits["sentence"].startswith(f"Besøg faldt fra {previous:,} til {expected:,}".replace(",", "."))
    # a quarter of a flow against the quarter's part of the year's 1,000, by 2024's profile: S1's
    # month m was 4 x 100 + 10 x (0+1+2+3) + 4m = 460 + 4m, so Q1 was 1,404 of the year's 5,832
    assert visits["sentence"].endswith("målet for 1. kvartal 2025 er 240,7.")
    assert Decimal(visits["target"]) == Decimal(1000) * 1404 / 5832 and visits["year_target"] == "1000"
    assert [r["unit_id"] for r in visits["breakdown"]] == ["S1I2", "S1I1"]  # highest first
    assert snapshot["budget"] is None


@pytest.mark.django_db
def test_small_numbers_are_suppressed_in_the_report_with_secondary_suppression(town):
    # one institution's share becomes small (numerator 2 of 3): it and one sibling are hidden
    Observation.objects.filter(indicator_id="in_job", unit__id__startswith="S1I1T", period=Month(2025, 3).first).update(
        numerator=1, denominator=2
    )
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    in_job = next(b for b in snapshot["task_areas"][0]["indicators"] if b["indicator"] == "in_job")
    rows = {r["unit_id"]: r for r in in_job["breakdown"]}
    assert rows["S1I1"]["suppressed"] and rows["S1I1"]["value_text"] == "<5" and rows["S1I1"]["value"] is None
    assert rows["S1I2"]["suppressed"]  # secondary: else S1 minus S1I2 gives S1I1 away


@pytest.mark.django_db
def test_pdf_embeds_fonts_and_page_one_is_the_summary(town):
    document = render_document(build_snapshot(committee=town["committee"], period=Q1))
    pdf = render_pdf(document)
    assert pdf.startswith(b"%PDF")
    inflated = pdf_streams(pdf)
    assert b"/FontFile2" in inflated and b"DejaVu" in inflated
    pages = page_texts(document)
    assert len(pages) >= 3
    assert "Sammenfatning" in pages[0] and "Udvalget bedes" in pages[0]
    assert "Beskæftigelse" in pages[0] and "Ingen budgetdata indlæst" in pages[0]
    assert "Kommentarer fra ledelsen" not in pages[0]
    assert "marts" not in pages[0] or "kvartal" in pages[0]
    assert any("Bilag" in page for page in pages[1:])
    title = "Status 1. kvartal 2025 – Arbejdsmarkeds- og Uddannelsesudvalget"
    assert all(f"{title} Side {n} af {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "<svg" not in document and "data:image/svg+xml;base64," in document  # charts as images


@pytest.mark.django_db
def test_issuing_twice_makes_versions_and_a_correction_never_changes_an_issued_report(town, tmp_path):
    from django.core.management import call_command

    first = report_issue(committee=town["committee"], period=Q1, kind="status", by=town["secretary"])
    pdf, snapshot_sum = bytes(first.pdf), first.snapshot_sha256
    assert first.version == 1 and first.pdf_sha256 == sha256(pdf)
    assert sha256(canonical(first.snapshot)) == snapshot_sum

    # a data correction through the ordinary import
    team = "S1I1T1"
    old = Observation.objects.get(indicator_id="visits", unit_id=team, period=Month(2025, 3).first).numerator
    csv = tmp_path / "correction.csv"
    csv.write_text(f"indicator,unit_id,period,numerator,denominator\nvisits,{team},2025-03,{old + 500},\n")
    call_command("observations", "import", str(csv))

    second = report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    assert second.version == 2
    first.refresh_from_db()
    assert bytes(first.pdf) == pdf and first.snapshot_sha256 == snapshot_sum and verify(first)
    assert second.pdf_sha256 != first.pdf_sha256
    assert list(IssuedReport.objects.order_by("version").values_list("version", flat=True)) == [1, 2]

    changes = {(c.indicator, c.unit): (c.before, c.after) for c in compare(first.snapshot, second.snapshot)}
    before, after = changes[("Besøg", "Sektor S1")]
    assert int(after.replace(".", "")) - int(before.replace(".", "")) == 500
    assert ("Besøg", "Institution S1I1") in changes
    assert ("Andel i job", "Sektor S1") not in changes
    # today's figures against the issued version 1 show the same correction
    today = build_snapshot(committee=town["committee"], period=Q1)
    assert ("Besøg", "Sektor S1") in {(c.indicator, c.unit) for c in compare(first.snapshot, today)}
    assert compare(second.snapshot, today) == []


@pytest.mark.django_db
def test_the_database_refuses_to_change_an_issued_report(town):
    issued = report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedReport.objects.filter(pk=issued.pk).update(html="changed")
    issued.refresh_from_db()
    assert issued.html != "changed" and verify(issued)


@pytest.mark.django_db(transaction=True)
def test_issuing_mails_the_pdf_to_the_committee(town, smtp_server):
    issued = report_issue(committee=town["committee"], period=Q1, kind="status", by=town["secretary"])
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["X-Envelope-To"] == "udvalg@example.dk, formand@example.dk"
    assert message["Subject"].strip() == f"[Driftsblik] {issued.title}"
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["AUU-2025Q1-status-v1.pdf"]
    assert attachments[0].get_content() == bytes(issued.pdf)
    assert issued.pdf_sha256 in message.get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_budget_section_says_no_data_when_the_budget_app_has_none(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1, kind="budget")
    assert snapshot["title"] == "1. budgetopfølgning 2025 – Arbejdsmarkeds- og Uddannelsesudvalget"
    assert snapshot["budget"] is None
    assert "Ingen budgetdata indlæst" in render_document(snapshot)


@pytest.mark.django_db
def test_the_report_is_danish_whatever_language_the_builder_uses(town):
    from django.utils import translation

    with translation.override("en"):
        snapshot = build_snapshot(committee=town["committee"], period=Q1)
        document = render_document(snapshot)
    visits = next(d for d in snapshot["appendix"] if d["code"] == "visits")
    # visits are an activity: held against the plan both ways, not by a direction
    assert (visits["measure"], visits["direction"]) == ("antal", "holdes op mod planen (over og under plan markeres)")
    assert "antal; holdes op mod planen" in document
    in_job = next(d for d in snapshot["appendix"] if d["code"] == "in_job")
    assert in_job["direction"] == "højere er bedre" and "; højere er bedre" in document
