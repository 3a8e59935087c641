"""The committee status report's "Sådan ligger vi i forhold til sammenlignelige kommuner": the sources'
comparison of the committee's indicators, with the source and the day it was retrieved, in HTML and PDF;
and the "Sammenlign" menu entry for those who see the municipality."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.parts import draft_part
from driftsblik.reports.render import render_document
from driftsblik.reports.tests.test_report import page_texts
from driftsblik.sources.connectors.base import Figure
from driftsblik.sources.models import PeerGroup
from driftsblik.sources.services import comparison_store

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025Q1")


@pytest.fixture
def compared(town, settings):
    settings.MUNICIPALITY_CODE = "860"
    PeerGroup.objects.create(municipality="860", name="Nordjyske landkommuner", codes="810, 813")
    comparison_store(
        indicator=Indicator.objects.get(code="in_job"),
        figures=[
            Figure("860", Month(2025, 3), Decimal(55), Decimal(100)),
            Figure("810", Month(2025, 3), Decimal(30), Decimal(100)),
            Figure("813", Month(2025, 3), None, None, True),  # withheld by the source (..)
            Figure("860", Month(2025, 4), Decimal(99), Decimal(100)),  # after the period: not in it
        ],
        source="Danmarks Statistik, AUK01",
        retrieved_at=dt.datetime(2025, 4, 3, 8, tzinfo=dt.UTC),
    )
    return town


def test_the_status_report_compares_the_committees_indicators(compared):
    snapshot = build_snapshot(committee=compared["committee"], period=Q1)
    section = snapshot["comparison"]
    assert section["group_name"] == "Nordjyske landkommuner" and section["sources"] == ["Danmarks Statistik, AUK01"]
    assert section["retrieved"] == "3. april 2025"
    [row] = section["rows"]
    assert (row["name"], row["period_label"], row["ours_text"]) == ("Andel i job", "marts 2025", "55,0 %")
    assert row["group_text"] == "42,5 % (1 kommune ikke med)" and row["rank_text"] == "nr. 1 af 2 (1 er højest)"
    document = render_document(snapshot)
    assert "Sådan ligger vi i forhold til sammenlignelige kommuner" in document
    assert "Kilde: Danmarks Statistik, AUK01, hentet 3. april 2025" in document
    pdf_text = " ".join(page_texts(document))  # the PDF's pages as WeasyPrint lays them out
    assert "Sådan ligger vi i forhold til sammenlignelige kommuner" in pdf_text
    assert "Kilde: Danmarks Statistik, AUK01, hentet 3. april 2025" in pdf_text and "tilbageholdt" in pdf_text
    assert "comparison" not in build_snapshot(committee=compared["committee"], period=Q1, kind="budget")
    assert draft_part(snapshot, frozenset({("BES", "S1")}))["comparison"] is None


def test_no_section_without_a_comparable_indicator(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert snapshot["comparison"] is None
    assert "sammenlignelige kommuner" not in render_document(snapshot)


def test_the_menu_offers_the_comparison_to_those_who_see_the_municipality(town):
    for who, shown in (("kd", True), ("sector", True), ("institution", False)):
        client = Client()
        client.force_login(town[who])
        assert ('href="/sammenlign/"' in client.get("/").content.decode()) is shown, who
