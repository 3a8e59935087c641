"""Answered challenges beside the figures: the latest answer about the figure, only from threads the
person may open, nothing for a challenge not yet answered."""

from __future__ import annotations

import pytest

from driftsblik.core import hooks
from driftsblik.core.periods import Period
from driftsblik.dialogue import services
from driftsblik.dialogue.explanations import explain_figures
from driftsblik.organisation.viewer import Viewer
from driftsblik.web.tests.explained import answered, at, raise_
from driftsblik.web.tests.helpers import leader

pytestmark = pytest.mark.django_db


def explain(user, pairs, period=None):
    return explain_figures(Viewer.of(user), pairs, period=period)


def test_an_answer_explains_the_figure_it_was_asked_about(town):
    challenge = answered("in_job", "S1I1", "Vi mangler to jobkonsulenter.", by=town["sector"], to=town["institution"])
    found = explain(town["sector"], {("in_job", "S1I1"), ("visits", "S1I1"), ("in_job", "S1I2")})
    assert set(found) == {("in_job", "S1I1")}
    words = found[("in_job", "S1I1")]
    assert (words.text, words.author, words.kind) == ("Vi mangler to jobkonsulenter.", "Ida Institution", hooks.ANSWER)
    assert words.url == f"/dialog/{challenge.pk}/"


def test_the_latest_answer_wins_over_an_earlier_one_and_another_thread(town):
    sector, institution = town["sector"], town["institution"]
    first = answered("in_job", "S1I1", "Første svar.", by=sector, to=institution, when=at(0))
    services.challenge_ask_again(challenge=first, by=sector, text="Og nu?", at=at(1))
    services.challenge_answer(challenge=first, by=institution, text="Andet svar.", at=at(2))
    answered("in_job", "S1I1", "Svar i en ældre tråd.", by=sector, to=institution, when=at(-30), period="2025-02")
    assert explain(sector, {("in_job", "S1I1")})[("in_job", "S1I1")].text == "Andet svar."


def test_a_challenge_not_yet_answered_shows_nothing(town):
    raise_("in_job", "S1I1", by=town["sector"])
    assert explain(town["sector"], {("in_job", "S1I1")}) == {}


def test_a_thread_the_person_cannot_open_shows_nothing(client, town):
    s2 = leader("s2@example.dk", "S2", "Svend Sektor")
    challenge = answered("visits", "S2", "Svar fra S2.", by=town["director"], to=s2)
    sector = town["sector"]  # sees S2 as a peer: its figures, not its threads
    assert Viewer.of(sector).visible["S2"].relation == "peer"
    client.force_login(sector)
    assert client.get(f"/dialog/{challenge.pk}/").status_code == 404
    assert explain(sector, {("visits", "S2")}) == {}
    assert explain(town["director"], {("visits", "S2")})[("visits", "S2")].text == "Svar fra S2."


def test_an_answer_about_a_later_period_is_not_beside_an_earlier_figure(town):
    answered("in_job", "S1I1", "Om marts.", by=town["sector"], to=town["institution"], period="2025-03")
    assert explain(town["sector"], {("in_job", "S1I1")}, Period.parse("2025-02")) == {}
    assert explain(town["sector"], {("in_job", "S1I1")}, Period.parse("2025Q1"))
