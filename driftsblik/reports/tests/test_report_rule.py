"""Reports keep the rule: a draft only for those who write it (each writer of a part: only that part), an
issued report only for its readers, a 404 for anyone else in every page, file and list; and a unit's
dialogue text only where the director put it in the report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from driftsblik.core.periods import Period
from driftsblik.dialogue import services as dialogue
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit
from driftsblik.organisation.tests.factories import make_committee, make_user
from driftsblik.reports import commentary
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.cadence import due_for
from driftsblik.reports.models import ReportSchedule
from driftsblik.reports.parts import draft_part
from driftsblik.reports.render import render_document
from driftsblik.reports.services import report_issue

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025Q1")
DRAFT = "/rapporter/AUU/2025Q1/status/"
WHOLE = "/rapporter/OEU/2025Q1/status/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def oeu(town):
    """A committee over the whole municipality (its task area is the root), like Økonomiudvalget."""
    committee = make_committee("OEU", "Økonomiudvalget", task_areas={"PERS": ("Personale", ["K"])})
    ReportSchedule.objects.create(committee=committee, recipients="oeu@example.dk")
    Indicator.objects.filter(code="visits").update(task_area=committee.task_areas.get())
    return committee


def test_a_sector_head_does_not_read_the_draft_of_a_committee_above_them(town, oeu):
    # S1 sees the root K (two levels up), but writes nothing in the committee's report
    sector = client_for(town["sector"])
    for url in (WHOLE, WHOLE + "pdf/"):
        assert sector.get(url).status_code == 404, url
    assert "Økonomiudvalget" not in sector.get("/rapporter/").content.decode()
    for who in ("kd", "directorate", "secretary"):
        assert client_for(town[who]).get(WHOLE).status_code == 200, who


def test_whole_drafts_for_their_writers_and_parts_for_the_units(town):
    for who in ("kd", "directorate", "director", "secretary"):
        page = client_for(town[who]).get(DRAFT).content.decode()
        assert "Sektor S1" in page and "Sektor S2" in page and "Institution S2I1" in page, who
    for who in ("institution", "nobody", "politician", "analyst"):
        for url in (DRAFT, DRAFT + "pdf/", DRAFT + "udsend/"):
            response = client_for(town[who]).get(url) if "udsend" not in url else client_for(town[who]).post(url)
            assert response.status_code == 404, (who, url)
    # the sector head writes for the task area BES at S1: that part only, not the peer sector's units
    part = client_for(town["sector"]).get(DRAFT)
    assert part.status_code == 200
    html = part.content.decode()
    assert "Institution S1I1" in html and "kun din del af rapporten" in html
    assert "Sektor S2" not in html and "Institution S2I1" not in html and "Unge og uddannelse" not in html
    assert client_for(town["sector"]).get(DRAFT + "pdf/").status_code == 200
    assert client_for(town["sector"]).post(DRAFT + "udsend/").status_code == 404


def test_the_part_leaves_out_the_rest_of_the_report(town):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    part = draft_part(snapshot, frozenset({("UNG", "S2")}))
    assert [a["code"] for a in part["task_areas"]] == ["UNG"]
    assert {b["unit_id"] for b in part["task_areas"][0]["indicators"]} == {"S2"}
    assert part["budget"] is None and part["efforts"] is None
    assert [d["code"] for d in part["appendix"]] == ["clients"]
    document = render_document(part)
    assert "Sektor S1" not in document and "Institution S1I1" not in document and "Budget" not in document


@pytest.fixture
def challenge(town):
    answer_by = dt.date.today() + dt.timedelta(days=14)
    raised = dialogue.challenge_raise(
        author=town["sector"],
        unit=Unit.objects.get(pk="S1I1"),
        indicator=Indicator.objects.get(code="visits"),
        period="2025-03",
        question="Hvorfor faldt besøgene i marts?",
        answer_by=answer_by,
    )
    dialogue.action_create(
        challenge=raised, by=town["sector"], title="Gennemgå vagtplanen", owner=town["institution"], due=answer_by
    )
    return raised


def test_dialogue_text_only_where_the_director_chose_it(town, challenge):
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    bes = snapshot["task_areas"][0]
    assert (bes["dialogue"]["challenges"], bes["dialogue"]["actions"]) == (1, 1)
    assert bes["chosen"] == []
    document = render_document(snapshot)
    assert "Hvorfor faldt" not in document and "Gennemgå vagtplanen" not in document
    assert "1 åben udfordring og 1 åben handling" in document

    due = due_for(town["schedule"], "status", Q1)
    task_area = town["committee"].task_areas.get(code="BES")
    with pytest.raises(Exception, match="director"):
        commentary.commentary_write(
            author=town["sector"],
            committee=town["committee"],
            due=due,
            task_area=task_area,
            unit=Unit.objects.get(pk="S1"),
            text="Vi følger op.",
            challenges=[challenge.pk],
        )
    commentary.commentary_write(
        author=town["director"],
        committee=town["committee"],
        due=due,
        task_area=task_area,
        unit=Unit.objects.get(pk="A1"),
        text="Vi følger op.",
        challenges=[challenge.pk],
    )
    chosen = build_snapshot(committee=town["committee"], period=Q1)["task_areas"][0]["chosen"]
    assert [(c["title"], [a["title"] for a in c["actions"]]) for c in chosen] == [
        ("Besøg: Hvorfor faldt besøgene i marts?", ["Gennemgå vagtplanen"])
    ]
    assert "Hvorfor faldt besøgene i marts?" in render_document(build_snapshot(committee=town["committee"], period=Q1))


def test_the_director_chooses_in_the_commentary_form(town, challenge):
    url = reverse("reports:commentary", args=["AUU", "2025Q1", "status", "BES", "A1"])
    director = client_for(town["director"])
    form = director.get(url).content.decode()
    assert 'name="challenges"' in form and "Hvorfor faldt besøgene i marts?" in form
    unit_form = client_for(town["sector"]).get(url.replace("/A1/", "/S1/")).content.decode()
    assert 'name="challenges"' not in unit_form
    assert director.post(url, {"text": "Vi følger op.", "challenges": [challenge.pk]}).status_code == 302
    assert "Hvorfor faldt besøgene i marts?" in director.get(DRAFT).content.decode()


def test_issued_reports_for_their_readers_only(town, oeu, challenge):
    make_user("udvalg@example.dk", name="Udvalgets postkasse")
    town["recipient"] = type(town["kd"]).objects.get(email="udvalg@example.dk")
    issued = report_issue(committee=town["committee"], period=Q1, kind="status", by=None, deliver=False)
    whole = report_issue(committee=oeu, period=Q1, kind="status", by=None, deliver=False)
    assert issued.snapshot["readers"]["units"] == ["A1", "K", "S1", "S2"]
    names = ("reports:issued", "reports:issued_pdf", "reports:issued_html")
    pages = [reverse(name, args=[issued.pk]) for name in names]
    readers = ("politician", "recipient", "secretary", "directorate", "kd", "director", "sector", "sector2")
    for who in readers:
        client = client_for(town[who])
        for url in pages:
            assert client.get(url).status_code == 200, (who, url)
        assert issued.title in client.get("/rapporter/").content.decode(), who
    for who in ("institution", "analyst", "nobody"):
        client = client_for(town[who])
        for url in pages:
            assert client.get(url).status_code == 404, (who, url)
        assert issued.title not in client.get("/rapporter/").content.decode(), who
    html = client_for(town["sector"]).get(pages[2]).content.decode()
    assert "Hvorfor faldt" not in html  # no unit's dialogue text the director did not choose
    # the whole municipality's report: not for a sector head who sees the root but is not among its readers
    sector = client_for(town["sector"])
    assert sector.get(reverse("reports:issued_html", args=[whole.pk])).status_code == 404
    assert whole.title not in sector.get("/rapporter/").content.decode()
    assert client_for(town["kd"]).get(reverse("reports:issued_html", args=[whole.pk])).status_code == 200
    # comparing versions needs both; what changed since needs the whole draft
    assert sector.get(reverse("reports:changes_between", args=[issued.pk, whole.pk])).status_code == 404
    assert sector.get(reverse("reports:changes_since", args=[issued.pk])).status_code == 404


def test_reports_issued_before_they_named_their_readers_go_by_the_committees_units(town):
    from django.utils import timezone

    from driftsblik.reports.models import IssuedReport

    old = IssuedReport.objects.create(
        committee=town["committee"],
        period="2024Q4",
        kind="status",
        version=1,
        issued_at=timezone.now(),
        title="Status 4. kvartal 2024",
        html="<p>x</p>",
        pdf=b"%PDF",
        snapshot={"task_areas": []},
        pdf_sha256="",
        snapshot_sha256="",
    )
    url = reverse("reports:issued_html", args=[old.pk])
    assert client_for(town["sector2"]).get(url).status_code == 200
    assert client_for(town["institution"]).get(url).status_code == 404
