"""The "why" beside a figure on the unit page, the indicator page and "Under mig": a marker that opens to
the unit's latest words (author, date, a link to the whole), in a number of queries that does not grow
with the figures explained."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from driftsblik.web.tests.explained import answered, comment
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    build_municipality()
    return people()


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def explanations(html: str, table_id: str | None = None) -> list[str]:
    """The opened text of every explanation marker (of one table when given)."""
    if table_id is not None:
        found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
        assert found, table_id
        html = found.group(0)
    return re.findall(r'<details class="explanation".*?<p class="explanation-text">(.*?)</p>', html, flags=re.S)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def cell_of(html: str, table_id: str, unit_id: str) -> str:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert table, table_id
    for row in re.findall(r"<tr[^>]*>.*?</tr>", table.group(0), flags=re.S):
        if f'data-unit="{unit_id}"' in row:
            return row
    raise AssertionError(f"no row for {unit_id}")


def test_the_unit_page_shows_the_units_commentary_and_the_answers_below(client, town):
    comment("S1", "Flere i job efter ny indsats.", by=town["sector"], task_area="ARB")
    answered("in_job", "S1I1", "Vi mangler to jobkonsulenter.", by=town["sector"], to=town["institution"])
    html = page(client, town["sector"], "/enhed/S1/")
    scorecard = re.search(r'<div class="scorecard" id="scorecard-unit">.*?</table>', html, flags=re.S).group(0)
    assert explanations(scorecard) == ["Flere i job efter ny indsats."] * 3  # every ARB indicator at S1
    assert "Forklaring fra enheden" in scorecard  # read out to screen readers
    assert "Kommentar til en udvalgsrapport · Sofie Sektor, 10. april 2025" in text_of(scorecard)
    row = cell_of(html, "heat-S1", "S1I1")
    assert explanations(row) == ["Vi mangler to jobkonsulenter."]
    assert "Svar på en udfordring · Ida Institution, 10. april 2025" in text_of(row)
    assert re.search(r'<a href="/dialog/\d+/">Åbn tråden</a>', row)
    assert explanations(cell_of(html, "heat-S1", "S1I2")) == []


def test_the_indicator_page_shows_the_words_beside_the_figure_and_the_units_below(client, town):
    comment("S1", "Flere i job efter ny indsats.", by=town["sector"], task_area="ARB")
    answered("in_job", "S1I1", "Vi mangler to jobkonsulenter.", by=town["sector"], to=town["institution"])
    html = page(client, town["sector"], "/indikator/in_job/S1/")
    aside = re.search(r'<div class="explanation-aside" id="figure-explanation">.*?</details>', html, flags=re.S)
    assert aside and "Flere i job efter ny indsats." in aside.group(0)
    assert 'class="explanation-label">Forklaring fra enheden<' in aside.group(0)
    assert explanations(html, "breakdown-table") == ["Vi mangler to jobkonsulenter."]
    assert explanations(cell_of(html, "breakdown-table", "S1I1")) == ["Vi mangler to jobkonsulenter."]


def test_under_mig_shows_the_answers_below(client, town):
    answered("visits", "S1I1", "Færre besøg i ferien.", by=town["sector"], to=town["institution"])
    html = page(client, town["sector"], "/")
    assert explanations(cell_of(html, "heat-S1", "S1I1")) == ["Færre besøg i ferien."]


def test_no_marker_where_the_unit_has_said_nothing(client, town):
    html = page(client, town["sector"], "/enhed/S1/")
    assert '<details class="explanation"' not in html


def test_a_unit_above_does_not_show_its_commentary_to_the_leader_below(client, town):
    comment("S1", "Til direktøren.", by=town["sector"], task_area="ARB")
    html = page(client, town["institution"], "/enhed/S1/")  # S1 is above them; the report is not theirs
    assert "Til direktøren." not in html
    assert "Til direktøren." in page(client, town["director"], "/enhed/S1/")


URLS = [("sector", "/"), ("sector", "/enhed/S1/"), ("sector", "/indikator/in_job/S1/"), ("kd", "/")]


def _explained_town(institutions: int, teams: int) -> dict:
    units = build_municipality(institutions=institutions, teams=teams)
    who = people()
    for unit in units["sector"]:
        comment(unit, f"Kommentar fra {unit}.", by=who["kd"], task_area="ARB")
    for unit in units["institution"]:
        comment(unit, f"Kommentar fra {unit}.", by=who["kd"], task_area="ARB")
        if unit.startswith("S1"):
            inst = who["institution"] if unit == "S1I1" else None
            if inst is not None:
                answered("in_job", unit, f"Svar fra {unit}.", by=who["sector"], to=inst)
    return who


@pytest.mark.parametrize("size", [(1, 1), (4, 3)], ids=["small", "larger"])
def test_the_queries_do_not_grow_with_the_figures_explained(client, size):
    who = _explained_town(*size)
    counts = {}
    for person, url in URLS:
        client.force_login(who[person])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert '<details class="explanation"' in response.content.decode()
        counts[(person, url)] = len(queries.captured_queries)
    # the pinned counts without explanations (test_views.QUERIES) + the report access rule, read once
    # per page when commentary is found: the committees' units, the person's groups (twice: drafts and
    # issued reports), their committees, the schedules' recipients, the issued reports' readers
    assert counts == EXPLAINED_QUERIES


EXPLAINED_QUERIES = {
    ("sector", "/"): 32 + 6,
    ("sector", "/enhed/S1/"): 31 + 6,
    ("sector", "/indikator/in_job/S1/"): 26 + 6,
    ("kd", "/"): 32 + 6,
}
