"""Cross-cutting efforts as a section of the committee's status report.

The effort "Flere i job" has its shared goal in the committee's task areas (in_job in BES, clients
in UNG) with the teams S1I1T1 (in_job 20/40, clients 30) and S2I1T1 (24/40, 34) and a partner:
together 44/80 = 55,0 % in job and 64 citizens in March 2025, every month alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from driftsblik.core.periods import Month, Period
from driftsblik.efforts.services import effort_create, goal_indicator_add, milestone_add, participant_add, target_set
from driftsblik.indicators.models import Indicator, Observation
from driftsblik.organisation.models import TaskArea, Unit
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.render import render_document
from driftsblik.reports.services import report_issue, verify
from driftsblik.ui.status import TARGET

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025Q1")


def danish_word(code: str | None) -> str:
    with translation.override("da"):
        return TARGET.word(code)


def make_effort(code: str, name: str, owner, indicators: list[str], teams=("S1I1T1", "S2I1T1")):
    effort = effort_create(
        code=code,
        name=name,
        purpose="Flere borgere i job",
        owner=owner,
        start=dt.date(2024, 1, 1),
        end=dt.date(2030, 12, 31),
        phase="implementation",
    )
    for code_ in indicators:
        goal_indicator_add(effort=effort, indicator=Indicator.objects.get(code=code_))
    for team in teams:
        participant_add(effort=effort, unit=Unit.objects.get(id=team), contact_name=f"Kontakt {team}", role="Udfører")
    participant_add(effort=effort, partner="EUC Nord", contact_name="Erik", role="Uddannelse")
    return effort


@pytest.fixture
def effort(town):
    effort = make_effort("flere-i-job", "Flere i job", town["directorate"], ["in_job", "clients"])
    target_set(effort=effort, indicator=Indicator.objects.get(code="in_job"), year=2025, value=Decimal(55))
    milestone_add(effort=effort, phase="development", title="Metode valgt", due=dt.date(2024, 3, 1), status="done")
    milestone_add(effort=effort, phase="implementation", title="Alle teams i gang", due=dt.date(2024, 6, 1))
    milestone_add(effort=effort, phase="results", title="Evaluering", due=dt.date(2030, 9, 1))
    return effort


def goals(snapshot, effort_name="Flere i job"):
    found = next(e for e in snapshot["efforts"] if e["name"] == effort_name)
    return found, {g["indicator"]: g for g in found["goals"]}


def test_the_section_has_the_committees_efforts_with_shared_figures_target_status_and_milestones(town, effort):
    # an effort whose goal lies in another committee's task area is not in this report
    other = Indicator.objects.create(
        code="other", name="Andet", measure="count", temporal="flow", task_area=TaskArea.objects.get(code="ARB")
    )
    make_effort("andet", "Andet udvalgs indsats", town["directorate"], [other.code])
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert [e["name"] for e in snapshot["efforts"]] == ["Flere i job"]
    found, by_code = goals(snapshot)
    assert found["phase"] == "implementering" and found["owner"] == str(town["directorate"])
    in_job, clients = by_code["in_job"], by_code["clients"]
    assert Decimal(in_job["value"]) == Decimal(55) and in_job["value_text"] == "55,0 %"
    assert (
        in_job["target_text"] == "55,0 %"
        and in_job["status"] == "green"
        and in_job["status_word"] == danish_word("green")
    )
    assert in_job["sentence"] == (
        "Andel i job for indsatsens deltagere samlet var uændret på 55,0 % siden sidste status; "
        "målet for 2025 er 55,0 %."
    )
    assert Decimal(clients["value"]) == 64 and clients["target"] is None and clients["status_word"] == danish_word(None)
    assert found["status"] == "green"
    # the milestone whose deadline has passed is late, not next
    assert found["milestones"] == (
        "1 af 3 milepæle nået, 1 forsinket (Alle teams i gang, frist 1. juni 2024); "
        "næste: Evaluering (frist 1. september 2030)."
    )


def test_the_section_comes_after_the_task_areas_and_before_the_budget_and_page_one_has_a_line(town, effort):
    document = render_document(build_snapshot(committee=town["committee"], period=Q1))
    last_area, section = document.index('id="area-UNG"'), document.index('id="efforts-heading">Tværgående indsatser')
    assert last_area < section < document.index('id="budget-heading"')
    summary = document[: document.index("Udvalget bedes")]
    assert summary.count("Tværgående indsats, Flere i job:") == 1 and "for indsatsens deltagere samlet" in summary
    part = document[section : document.index('id="budget-heading"')]
    assert "Fase: Implementering · ejer:" in part and "Milepæle: 1 af 3 milepæle nået" in part
    assert f"✔ {danish_word('green')}" in part  # status by symbol and word in the PDF, not colour alone
    assert "<h3>Flere i job</h3>" in part and '<th scope="row">Borgere i forløb<br>' in part


def test_each_shared_result_says_it_counts_the_participants_and_links_to_the_same_measure(town, effort):
    """The effort's 55,0 % in job is its participants only; the report's own in_job figure (at the task
    area's unit) is named beside it, with a link to it; the snapshot itself is not changed."""
    import re

    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    document = render_document(snapshot)
    part = document[document.index('id="efforts-heading"') : document.index('id="budget-heading"')]
    for code in ("in_job", "clients"):
        note = part.split(f'data-measure="{code}">', 1)[1].split("</span>", 1)[0]
        assert note.startswith("deltagere i indsatsen")
        block = next(b for a in snapshot["task_areas"] for b in a["indicators"] if b["indicator"] == code)
        anchor = re.search(r'href="#(report-indicator-\d+)"', note).group(1)
        assert f"{block['unit_name']} i alt: {block['value_text']}</a>" in note
        # the anchor is the task area's article about the same indicator
        article = document.split(f'<article class="report-indicator" id="{anchor}">', 1)[1].split("</h3>", 1)[0]
        assert block["name"] in article
    assert "same_measure" not in str(snapshot)


def test_small_shared_numbers_are_suppressed_as_for_non_analysts(town, effort):
    march = Month(2025, 3).first
    Observation.objects.filter(indicator_id="clients", unit_id="S1I1T1", period=march).update(numerator=1)
    Observation.objects.filter(indicator_id="clients", unit_id="S2I1T1", period=march).update(numerator=2)
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    _found, by_code = goals(snapshot)
    clients = by_code["clients"]
    assert clients["suppressed"] and clients["value"] is None and clients["value_text"] == "<5"
    assert clients["status"] is None and "3" not in clients["sentence"] and "færre end 5" in clients["sentence"]
    assert by_code["in_job"]["value_text"] == "55,0 %"  # the share is not small
    assert '<td class="num">&lt;5</td>' in render_document(snapshot)


def test_a_data_correction_never_changes_the_efforts_of_an_issued_report(town, effort):
    first = report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    assert goals(first.snapshot)[1]["clients"]["value_text"] == "64"
    Observation.objects.filter(indicator_id="clients", unit_id="S1I1T1", period=Month(2025, 3).first).update(
        numerator=130
    )
    assert goals(build_snapshot(committee=town["committee"], period=Q1))[1]["clients"]["value_text"] == "164"
    first.refresh_from_db()
    assert goals(first.snapshot)[1]["clients"]["value_text"] == "64" and verify(first)
    second = report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    assert goals(second.snapshot)[1]["clients"]["value_text"] == "164"
    # the changes page between the two versions names the effort's shared figure
    from driftsblik.reports.diff import compare

    changed = [c for c in compare(first.snapshot, second.snapshot) if c.unit == "Deltagerne samlet"]
    assert [(c.before, c.after) for c in changed] == [("64", "164")]
    assert first.snapshot["efforts"][0]["name"] in changed[0].indicator


def test_no_section_when_the_committee_has_no_efforts(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert snapshot["efforts"] == []
    assert "Tværgående indsats" not in render_document(snapshot)


def test_the_budget_report_has_no_efforts_section(town, effort):
    snapshot = build_snapshot(committee=town["committee"], period=Q1, kind="budget")
    assert "efforts" not in snapshot and "Tværgående indsats" not in render_document(snapshot)
