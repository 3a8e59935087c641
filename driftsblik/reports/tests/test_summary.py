"""A report's summary gives counts and the budget's status, never one word that hides what is off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import translation

from driftsblik.core.periods import Period
from driftsblik.reports.build import build_snapshot, counts_text, status_counts
from driftsblik.reports.render import render_document
from driftsblik.ui.formats import prose_date, prose_datetime
from driftsblik.ui.status import BUDGET, TARGET

Q1 = Period.parse("2025Q1")


def _summary(document: str) -> str:
    start = document.index("Sammenfatning")
    return document[start : document.index("Udvalget bedes", start)]


def _all_green(snapshot):
    for area in snapshot["task_areas"]:
        area["status"] = "green"
        for block in area["indicators"]:
            block["status"] = "green"
    snapshot["status"] = "green"


def _budget(total: str, areas: list[str]) -> dict:
    def row(label, status):
        return {
            "label": label,
            "status": status,
            "sentence": f"{label} …",
            "status_word": "",
            **{f"{n}_text": "1,0" for n in ("original", "corrected", "spent", "forecast", "deviation")},
            "deviation_pct_text": "+0,0",
            "method": "",
        }

    return {
        "total": row("I alt", total),
        "areas": [row(f"Område {n}", s) for n, s in enumerate(areas)],
        "chart": None,
        "through": "2025-03",
    }


@pytest.mark.django_db
def test_a_red_indicator_is_counted_and_the_summary_never_says_on_target_overall(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    _all_green(snapshot)
    blocks = [b for a in snapshot["task_areas"] for b in a["indicators"]]
    blocks[0]["status"] = "red"
    n = len(blocks)
    assert status_counts(snapshot) == {
        "green": n - 1,
        "yellow": 0,
        "red": 1,
        "none": 0,
        "on_plan": 0,
        "over_plan": 0,
        "under_plan": 0,
    }
    summary = _summary(render_document(snapshot))
    assert f"Nøgletal: {n - 1} af {n} nøgletal på mål, 0 tæt på, 1 ikke på mål" in summary
    assert "Samlet status" not in summary


@pytest.mark.django_db
def test_a_budget_heading_over_beyond_the_tolerance_is_red_in_the_summary(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    _all_green(snapshot)
    snapshot["budget"] = _budget("green", ["green", "red"])  # the total within, one heading over
    summary = _summary(render_document(snapshot))
    first = summary.split("Nøgletal:")[1].split("</p>")[0]  # the counts line
    with translation.override("da"):
        overrun, on_target = BUDGET.word("red"), TARGET.word("green")
    assert "0 ikke på mål" in first and "budget:" in first and overrun in first
    assert on_target + "</span>" not in first.split("budget:")[1]
    budget_kind = dict(snapshot, kind="budget")
    line = _summary(render_document(budget_kind)).split("Samlet budgetstatus:")[1].split("</p>")[0]
    assert overrun in line


def test_counts_read_in_danish_with_plural_forms():
    with translation.override("da"):
        assert counts_text({"green": 5, "yellow": 2, "red": 1, "none": 0}) == (
            "5 af 8 nøgletal på mål, 2 tæt på, 1 ikke på mål"
        )
        assert counts_text({"green": 1, "yellow": 0, "red": 0, "none": 1}) == (
            "1 af 2 nøgletal på mål, 0 tæt på, 0 ikke på mål, 1 uden mål"
        )
        assert counts_text({"green": 0, "yellow": 0, "red": 0, "none": 0}) == "ingen nøgletal"


@override_settings(TIME_ZONE="Europe/Copenhagen")
def test_a_time_stamp_reads_in_the_local_time_zone():
    # 00:07 UTC on 1 March is 01:07 in Copenhagen (winter time)
    with translation.override("da"):
        assert prose_datetime("2026-03-01T00:07:00+00:00") == "1. marts 2026 kl. 01.07"
        assert prose_datetime(dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)) == "2. juli 2026 kl. 00.30"
        assert prose_date("2026-03-01") == "1. marts 2026"


def test_activities_are_counted_against_their_plan_never_on_target():
    with translation.override("da"):
        counts = {"green": 2, "yellow": 0, "red": 1, "none": 0, "on_plan": 1, "over_plan": 1, "under_plan": 0}
        assert counts_text(counts) == (
            "2 af 3 nøgletal på mål, 0 tæt på, 1 ikke på mål; aktiviteter: 1 af 2 efter plan, 1 over plan, 0 under plan"
        )
        only = {"green": 0, "yellow": 0, "red": 0, "none": 0, "on_plan": 0, "over_plan": 0, "under_plan": 1}
        assert counts_text(only) == "aktiviteter: 0 af 1 efter plan, 0 over plan, 1 under plan"


@pytest.mark.django_db
def test_each_task_area_gives_its_counts_and_a_heading_over_budget_is_named(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    _all_green(snapshot)
    snapshot["budget"] = _budget("green", ["green", "red"])
    summary = _summary(render_document(snapshot))
    with translation.override("da"):
        on_target = TARGET.word("green")
    # no task area reads one status word over its figures: its counts instead
    assert summary.count('class="report-area-counts"') == len(snapshot["task_areas"])
    for area in snapshot["task_areas"]:
        assert f"<strong>{area['name']}:</strong> <span" in summary
    assert on_target not in summary
    assert "Over det korrigerede budget ud over tolerancen: Område 1." in summary
