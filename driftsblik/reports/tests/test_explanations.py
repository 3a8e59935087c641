"""The report rounds' commentary beside the figures: attached to its task area's indicators at its unit,
the latest first, and shown only to those who may read the report it is in or lead the unit or a unit
above it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from driftsblik.core import hooks
from driftsblik.core.periods import Period
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Committee, TaskArea, User
from driftsblik.organisation.viewer import Viewer
from driftsblik.reports.access import SECRETARY_GROUP
from driftsblik.reports.explanations import explain_figures
from driftsblik.reports.services import report_issue
from driftsblik.web.tests.explained import at, comment

pytestmark = pytest.mark.django_db

S1_FIGURES = {("visits", "S1"), ("in_job", "S1"), ("clients", "S1")}


def explain(user, pairs=S1_FIGURES, period=None):
    return explain_figures(Viewer.of(user), pairs, period=period)


def test_a_commentary_explains_its_task_areas_indicators_at_its_unit_only(town):
    comment("S1", "Flere borgere i job efter ny indsats.", by=town["sector"], task_area="BES")
    found = explain(town["sector"], S1_FIGURES | {("visits", "S2"), ("in_job", "S1I1")})
    assert set(found) == {("visits", "S1"), ("in_job", "S1")}  # clients is UNG's; S2 and S1I1 are other units
    words = found[("in_job", "S1")]
    assert words.text == "Flere borgere i job efter ny indsats."
    assert words.kind == hooks.COMMENTARY
    assert words.author == "Sofie Sektor"
    assert words.url == "/rapporter/AUU/2025Q1/status/"  # the sector head writes (and reads) their part of the draft


def test_the_latest_commentary_wins(town):
    comment("S1", "Første udkast.", by=town["sector"], task_area="BES", when=at(0))
    comment("S1", "Rettet efter nye tal.", by=town["sector"], task_area="BES", when=at(3))
    comment("S1", "Fra sidste kvartal.", by=town["sector"], task_area="BES", when=at(-90), period="2024Q4")
    assert explain(town["sector"])[("visits", "S1")].text == "Rettet efter nye tal."


def test_a_commentary_about_a_later_period_is_not_beside_an_earlier_figure(town):
    comment("S1", "Om andet kvartal.", by=town["sector"], task_area="BES", period="2025Q2")
    assert explain(town["sector"], period=Period.parse("2025-03")) == {}
    assert explain(town["sector"], period=Period.parse("2025Q2"))[("visits", "S1")].text == "Om andet kvartal."


def test_a_budget_follow_ups_commentary_does_not_explain_figures(town):
    comment("S1", "Om budgettet.", by=town["sector"], task_area="BES", kind="budget", period="2025-03")
    assert explain(town["sector"]) == {}


def test_a_peer_reads_a_commentary_only_once_the_report_it_is_in_is_theirs(town):
    comment("S1", "Flere borgere i job.", by=town["sector"], task_area="BES")
    peer = town["sector2"]  # sees S1 as a peer; writes only UNG at S2 in the draft
    assert Viewer.of(peer).visible["S1"].relation == "peer"
    assert explain(peer) == {}
    issued = report_issue(
        committee=Committee.objects.get(code="AUU"),
        period=Period.parse("2025Q1"),
        kind="status",
        by=None,
        deliver=False,
    )
    words = explain(peer)[("visits", "S1")]  # the issued report is open to the leaders of the units in it
    assert words.text == "Flere borgere i job."
    assert words.url == f"/rapporter/udsendt/{issued.pk}/"


def test_a_leader_below_the_unit_does_not_read_its_commentary(town):
    comment("S1", "Kun til ledelsen over.", by=town["sector"], task_area="BES")
    below = town["institution"]  # leads S1I1: S1 is above them, and they are no reader of the report
    assert Viewer.of(below).visible["S1"].relation == "above"
    assert explain(below) == {}
    report_issue(
        committee=Committee.objects.get(code="AUU"),
        period=Period.parse("2025Q1"),
        kind="status",
        by=None,
        deliver=False,
    )
    assert explain(below) == {}


def test_the_leader_above_reads_the_units_own_explanation_without_the_report(town):
    extra = TaskArea.objects.create(code="INST", name="Institutionerne", committee=Committee.objects.get(code="AUU"))
    extra.units.set(["S1I1"])
    Indicator.objects.create(
        code="waiting", name="Ventetid", kind="result", measure="count", temporal="stock", task_area=extra
    )
    comment("S1I1", "Ventetiden falder nu.", by=town["institution"], task_area="INST")
    sector = town["sector"]  # S1I1 is below them; the draft's INST part is the institution's, not theirs
    words = explain(sector, {("waiting", "S1I1")})[("waiting", "S1I1")]
    assert words.text == "Ventetiden falder nu."
    assert words.url == ""  # no report of it they may open
    assert explain(town["sector2"], {("waiting", "S1I1")}) == {}  # outside their view
    assert explain(town["director"], {("waiting", "S1I1")})[("waiting", "S1I1")].url == "/rapporter/AUU/2025Q1/status/"


def test_an_analyst_reads_commentary_only_as_a_reader_of_the_report(town):
    comment("S1", "Flere borgere i job.", by=town["sector"], task_area="BES")
    analyst = town["analyst"]  # sees every unit, but no report is theirs
    assert explain(analyst) == {}
    analyst.groups.add(Group.objects.get(name=SECRETARY_GROUP))
    analyst = User.objects.get(pk=analyst.pk)
    assert explain(analyst)[("visits", "S1")].text == "Flere borgere i job."
