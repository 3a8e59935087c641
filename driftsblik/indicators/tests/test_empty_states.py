"""Empty states that explain: a sentence instead of a blank chart or a button with nothing behind it.

A missing target, no data yet, a future period and the unit "Ikke tilknyttet" each say what
is the matter on the indicator page; a challenge is offered only where there is a figure.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from driftsblik.indicators.models import Observation, Target
from driftsblik.indicators.services.observations import ensure_unassigned_unit
from driftsblik.web.tests.helpers import LATEST, build_municipality, people

pytestmark = pytest.mark.django_db

RAISE = "Rejs en udfordring"


@pytest.fixture
def town():
    units = build_municipality()
    return {"units": units, **people()}


def page(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    return str(response.content.decode())


def text_of(html: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, flags=re.S)
    assert found, f"no #{element_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(2))).strip()


def test_a_figure_offers_a_challenge_and_no_empty_sentences(client, town):
    html = page(client, town["sector"], f"/indikator/in_job/S1I1/?periode={LATEST}")
    assert RAISE in html and 'id="no-challenge"' not in html
    for sentence in ("empty-future", "empty-no-data", "empty-no-target", "empty-trend", "unattached-note"):
        assert f'id="{sentence}"' not in html
    assert 'data-chart="trend-chart"' in html and 'data-chart="breakdown-chart"' in html


def test_no_target_says_so_and_who_sets_targets_but_the_figure_can_still_be_challenged(client, town):
    Target.objects.filter(indicator_id="visits", unit_id="S1I1").delete()
    html = page(client, town["sector"], f"/indikator/visits/S1I1/?periode={LATEST}")
    sentence = text_of(html, "empty-no-target")
    assert sentence.startswith("Intet mål:")
    assert "Besøg ved Institution S1I1 i 2025" in sentence and "ingen status" in sentence
    assert "ejer (Sektor S1)" in sentence and "administrator" in sentence
    assert RAISE in html  # there is a figure to ask about


def test_no_data_yet_is_a_sentence_not_a_blank_chart_and_offers_no_challenge(client, town):
    Observation.objects.filter(indicator_id="in_job", unit_id__in=["S1I1T1", "S1I1T2"]).delete()
    html = page(client, town["sector"], f"/indikator/in_job/S1I1/?periode={LATEST}")
    assert "Institution S1I1 har ingen tal for Andel i job i marts 2025" in text_of(html, "empty-no-data")
    assert "Der er ingen tal for 2025 eller året før at tegne" in text_of(html, "empty-trend")
    assert 'data-chart="trend-chart"' not in html
    assert RAISE not in html
    assert text_of(html, "no-challenge").startswith("Der er intet tal her at rejse en udfordring om.")


def test_a_future_period_is_a_sentence_and_offers_no_challenge(client, town):
    html = page(client, town["sector"], "/indikator/in_job/S1I1/?periode=2025-06")
    assert text_of(html, "empty-future") == "Der er endnu ingen tal for juni 2025: de seneste tal er fra marts 2025."
    assert RAISE not in html and "de seneste tal er fra marts 2025" in text_of(html, "no-challenge")
    # the units below have no figure for June: a sentence instead of an empty chart of bars
    assert 'data-chart="breakdown-chart"' not in html
    assert "Ingen af enhederne nedenunder har et tal" in text_of(html, "empty-breakdown")


def test_not_attached_says_what_it_is_and_who_puts_it_right(client, town):
    ensure_unassigned_unit()
    html = page(client, town["kd"], f"/indikator/in_job/_unassigned/?periode={LATEST}")
    note = text_of(html, "unattached-note")
    assert note.startswith("Ikke tilknyttet")
    assert "ikke en enhed i organisationen" in note and "fagsystem" in note and "administrator" in note


def test_not_attached_among_the_units_below_gets_a_note_under_the_heat_table(client, town):
    ensure_unassigned_unit()
    html = page(client, town["kd"], f"/?periode={LATEST}")
    assert 'data-unit="_unassigned"' in html
    assert text_of(html, "unattached-K").startswith("* “Ikke tilknyttet” er ikke en enhed i organisationen")
    html = page(client, town["sector"], f"/?periode={LATEST}")
    assert "unattached-" not in html  # no note where it is not among the units
