"""The overview, unit and indicator pages and the Excel download, through the test client on the real DB."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from driftsblik.core.periods import Month
from driftsblik.ui.tests.helpers import read_table
from driftsblik.web.tests.helpers import LATEST, build_municipality, leader, people, set_observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    units = build_municipality()
    return {"units": units, **people()}


def page(client, user, url, **extra):
    client.force_login(user)
    response = client.get(url, **extra)
    return response, response.content.decode()


def row_of(html: str, unit_id: str) -> str:
    """The table row whose unit link carries data-unit="unit_id"."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S):
        if f'data-unit="{unit_id}"' in row:
            return row
    raise AssertionError(f"no row for {unit_id}")


def unit_rows(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert table, table_id
    return re.findall(r'data-unit="([^"]+)"', table.group(0))


# -- access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, town):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("url"),
    [
        "/enhed/S3/",
        "/enhed/S3I1/",
        "/enhed/S2I1/",  # a peer's child: peers are seen as figures, not drilled into
        "/enhed/NOSUCH/",
        "/indikator/visits/S3/",
        "/indikator/visits/S2I1T1/",
        "/indikator/nosuch/S1/",
        "/eksport/scorecard/S3/",
        "/eksport/below/A2/",
        "/eksport/breakdown/S3/?indikator=visits",
        "/eksport/nosuch/S1/",
        "/eksport/breakdown/S1/?indikator=nosuch",
    ],
)
def test_outside_the_view_is_404(client, town, url):
    response, html = page(client, town["sector"], url)
    assert response.status_code == 404
    assert "Sektor S3" not in html


def test_the_same_units_are_seen_by_the_analyst(client, town):
    client.force_login(town["analyst"])
    for url in ("/enhed/S3I1/", "/indikator/visits/S2I1T1/", "/eksport/below/A2/"):
        assert client.get(url).status_code == 200, url


def test_a_peer_page_shows_figures_but_not_the_units_below_it(client, town):
    response, html = page(client, town["sector"], "/enhed/S2/")
    assert response.status_code == 200
    assert 'data-figure="visits"' in html
    assert "S2I1" not in html  # the peer's institutions are outside the view


def test_an_above_unit_breaks_down_into_the_visible_children_only(client, town):
    response, html = page(client, town["sector"], "/indikator/visits/K/")
    assert response.status_code == 200
    assert unit_rows(html, "breakdown-table") == ["A1"]


def test_breadcrumb_links_the_steps_in_view(client, town):
    _, html = page(client, town["institution"], "/enhed/S1I1T1/")
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', html, flags=re.S).group(0)
    assert 'href="/enhed/S1/' in nav and 'href="/enhed/S1I1/' in nav
    assert 'href="/enhed/A1/' in nav  # two levels above the institution
    assert 'href="/enhed/K/' not in nav and "Kommunen" in nav  # three levels: named, not linked


def test_unit_page_lists_its_leaders(client, town):
    _, html = page(client, town["sector"], "/enhed/S1I1/")
    assert "Ida Institution" in html


# -- the overview ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "home", "below", "not_below"),
    [
        ("kd", "Kommunen", ["A1", "S1", "A2", "S3"], ["S1I1"]),
        ("directorate", "Kommunen", ["A1", "S1", "S3"], ["S1I1"]),
        ("director", "Område A1", ["S1", "S1I1", "S2I2"], ["S1I1T1", "A2"]),
        ("sector", "Sektor S1", ["S1I1", "S1I1T1", "S1I2T2"], ["S2I1"]),
        ("institution", "Institution S1I1", ["S1I1T1", "S1I1T2"], ["S1I2T1"]),
        ("analyst", "Kommunen", ["A1", "S3"], ["S1I1"]),
    ],
)
def test_overview_shows_my_unit_and_two_levels_down(client, town, who, home, below, not_below):
    response, html = page(client, town[who], "/")
    assert response.status_code == 200
    assert home in html.split('id="mine-heading"')[1][:300]
    rows = unit_rows(html, re.search(r'<table class="heat-table" id="(heat-[^"]+)"', html).group(1))
    assert set(below) <= set(rows)
    assert not set(not_below) & set(rows)


def test_overview_shows_the_two_levels_above_and_the_peers(client, town):
    _, html = page(client, town["sector"], "/")
    above = html.split('id="above-heading"')[1].split('id="beside-heading"')[0]
    assert "Område A1" in above and "Kommunen" in above
    beside = html.split('id="beside-heading"')[1]
    assert "Sektor S2" in beside and "Sektor S3" not in beside
    assert 'data-chart="peers-0"' in beside


def test_heat_table_is_sorted_worst_first(client, town):
    # S1I2's share in job far below target: it comes before S1I1 although its name sorts after.
    for team in ("S1I2T1", "S1I2T2"):
        set_observation("in_job", team, LATEST, 2, 40)
    _, html = page(client, town["analyst"], "/enhed/S1/")
    assert unit_rows(html, "heat-S1") == ["S1I2", "S1I1"]


def test_person_without_a_unit_gets_an_explanation(client, town):
    response, html = page(client, town["nobody"], "/")
    assert response.status_code == 200
    assert "heat-table" not in html


def test_leader_of_several_units_chooses_between_them(client, town):
    leader("to@example.dk", "S1I1")
    two = leader("to@example.dk", "S3I1")
    _, html = page(client, two, "/")
    assert 'name="enhed"' in html
    assert "Institution S1I1" in html.split('id="mine-heading"')[1][:200]
    _, html = page(client, two, "/?enhed=S3I1")
    assert "Institution S3I1" in html.split('id="mine-heading"')[1][:200]
    response, _ = page(client, two, "/?enhed=S1")
    assert response.status_code == 404


def test_period_selector_and_default_period(client, town):
    _, html = page(client, town["sector"], "/")
    assert '<option value="2025-03" selected>marts 2025</option>' in html
    _, html = page(client, town["sector"], "/?periode=2024Q4")
    assert '<option value="2024Q4" selected>4. kvartal 2024</option>' in html
    assert 'href="/indikator/visits/S1/?periode=2024Q4"' in html
    for url in ("/?periode=2025-13", "/enhed/S1/?periode=abc", "/indikator/visits/S1/?periode=2025Q5"):
        # a period that does not exist: the page at the default period, saying so (not a 400)
        response, html = page(client, town["sector"], url)
        assert response.status_code == 200, url
        assert "findes ikke: siden viser marts 2025 i stedet" in html, url
        assert '<option value="2025-03" selected>marts 2025</option>' in html, url
    _, html = page(client, town["sector"], "/?periode=2025-03")
    assert "findes ikke" not in html


def test_htmx_request_gets_the_main_part_only(client, town):
    response, html = page(client, town["sector"], "/?periode=2025-02", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in html and 'id="mine-heading"' in html
    assert "februar 2025" in html
    for url in ("/enhed/S1I1/", "/indikator/visits/S1/"):
        _, partial = page(client, town["sector"], url, HTTP_HX_REQUEST="true")
        _, full = page(client, town["sector"], url)
        assert "<html" not in partial and "<html" in full
    _, restore = page(client, town["sector"], "/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore


def test_every_figure_links_to_its_indicator_page(client, town):
    _, html = page(client, town["sector"], "/")
    figures = re.findall(r'<a href="([^"]*)" data-figure="([^"]+)">', html)
    assert figures
    for href, code in figures:
        assert re.fullmatch(rf"/indikator/{code}/[^/]+/\?periode=2025-03", href), href


def test_danish_number_formats_on_the_page(client, town):
    _, html = page(client, town["kd"], "/")
    mine = html.split('id="mine-heading"')[1].split('id="below-heading"')[0]
    # 12 teams, visits 103 + 10 n in March 2025: 1,896 in all
    assert ">1.896<" in mine
    assert re.search(r">\d+,\d %<", mine)
    assert "december 2024" in html


# -- suppression -----------------------------------------------------------------------------


def test_small_figures_read_lt5_for_a_leader_and_the_number_for_an_analyst(client, town):
    set_observation("clients", "S1I1T1", LATEST, 3)
    _, html = page(client, town["sector"], "/")
    row = row_of(html, "S1I1T1")
    assert "<span>&lt;5</span>" in row and "<span>3</span>" not in row
    # exactly one small sibling: one more is hidden so that the parent minus the rest tells nothing,
    # and it reads "x", never as a small number
    assert "<span>x</span>" in row_of(html, "S1I1T2") and "&lt;5" not in row_of(html, "S1I1T2")
    _, html = page(client, town["analyst"], "/enhed/S1I1/")
    assert "<span>3</span>" in row_of(html, "S1I1T1")
    assert "&lt;5" not in html


def test_indicator_breakdown_suppresses_numerator_and_denominator(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 2, 40)
    _, html = page(client, town["institution"], "/indikator/in_job/S1I1/")
    assert row_of(html, "S1I1T1").count("&lt;5") >= 3
    assert row_of(html, "S1I1T2").count(">x<") >= 3 and "&lt;5" not in row_of(html, "S1I1T2")  # the secondary one
    _, html = page(client, town["analyst"], "/indikator/in_job/S1I1/")
    assert ">5,0 %<" in row_of(html, "S1I1T1")


# -- the indicator page ----------------------------------------------------------------------


def test_indicator_page_has_definition_chart_and_rolled_up_ratios(client, town):
    set_observation("in_job", "S1I1T1", LATEST, 30, 40)
    set_observation("in_job", "S1I1T2", LATEST, 10, 60)
    _, html = page(client, town["sector"], "/indikator/in_job/S1I1/")
    assert 'data-chart="trend-chart"' in html and 'data-chart="breakdown-chart"' in html
    assert "Numerator divided by denominator" in html or "Tæller" in html
    # (30 + 10) / (40 + 60) = 40,0 %, never the mean of 75 % and 16,7 %
    heading = html.split('id="figure-heading"')[1][:300]
    assert "40,0 %" in heading
    rows = unit_rows(html, "breakdown-table")
    assert rows == ["S1I1T1", "S1I1T2"]  # sorted by value, highest first


# -- the Excel download ----------------------------------------------------------------------


def workbook_rows(response) -> tuple[list[list], list[list]]:
    """(header block, table rows with the column header first) of the download."""
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    blank = next(i for i, r in enumerate(rows) if all(v is None for v in r))
    return rows[:blank], rows[blank + 1 :]


def test_export_holds_exactly_the_visible_rows(client, town):
    client.force_login(town["sector"])
    response = client.get("/eksport/below/S1/?periode=2025-03")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, table = workbook_rows(response)
    names = [r[0] for r in table[1:]]
    _, html = page(client, town["sector"], "/")
    page_rows = unit_rows(html, "heat-S1")
    assert names == [f"{'Institution' if len(u) == 4 else 'Team'} {u}" for u in page_rows]
    assert len(table[0]) == 2 + 3 * 3  # unit, levels, per key indicator its value, target and status
    flat = " ".join(str(v) for r in header for v in r if v)
    assert "Sektor S1 (S1)" in flat and "marts 2025" in flat
    # the kommunaldirektør's view of the same kind of table ends two levels down
    client.force_login(town["kd"])
    _, table = workbook_rows(client.get("/eksport/below/K/"))
    assert {r[0] for r in table[1:]} == {"Område A1", "Område A2", "Sektor S1", "Sektor S2", "Sektor S3"}


def test_export_writes_suppressed_cells_as_lt5(client, town):
    set_observation("clients", "S1I1T1", LATEST, 3)
    client.force_login(town["sector"])
    table = read_table(client.get("/eksport/below/S1/"))
    assert table.row("Team S1I1T1")[table.columns.index("Borgere i forløb")] == "<5"
    client.force_login(town["analyst"])
    table = read_table(client.get("/eksport/below/S1/"))
    assert table.row("Team S1I1T1")[table.columns.index("Borgere i forløb")] == 3


@pytest.mark.parametrize(
    ("url", "rows"),
    [
        ("/eksport/scorecard/S1/", 3),
        ("/eksport/children/S1/", 2),
        ("/eksport/peers/S1/", 2),
        ("/eksport/breakdown/S1/?indikator=in_job", 3),
        ("/eksport/months/S1/?indikator=in_job", 12),
    ],
)
def test_every_table_downloads(client, town, url, rows):
    client.force_login(town["sector"])
    response = client.get(url)
    assert response.status_code == 200
    _, table = workbook_rows(response)
    assert len(table) - 1 == rows


# -- query counts ----------------------------------------------------------------------------

# Queries per page, pinned: the same for a tree of 3 sectors x 1 institution x 1 team as for
# 3 sectors x 5 institutions x 4 teams. A change here is a change on purpose, or an N+1.
# Every signed-in request asks once whether the person sits on a committee (reports' middleware).
# A non-analyst's pages also read, once each, the efforts' participants and the whole tree's
# figures for the suppression pattern (kept between requests where the roll-up cache is on).
# Last year's same months (change from last year) are read without the targets a period's figures need.
# + the units' words beside the figures: one query per source (report commentary, answered challenges)
# for every figure of the page together (the report access rule only where commentary is found).
QUERIES = {
    ("kd", "/"): 32,
    ("sector", "/"): 32,
    ("analyst", "/"): 27,
    # the header's units come from the page's viewer; + the unit kept in the session (savepoint,
    # update, release: only when the place changed)
    ("sector", "/enhed/S1/"): 31,
    # + the public sources behind the figures (one query), + last year's months for each month's target
    ("sector", "/indikator/in_job/S1/"): 26,
    ("sector", "/eksport/below/S1/"): 15,
}


@pytest.mark.parametrize("size", [(1, 1), (5, 4)], ids=["small", "larger"])
def test_query_counts_do_not_grow_with_the_units_shown(client, size):
    build_municipality(institutions=size[0], teams=size[1])
    who = people()
    counts = {}
    for (person, url), _expected in QUERIES.items():
        client.force_login(who[person])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[(person, url)] = len(queries.captured_queries)
    assert counts == QUERIES


def test_latest_month_is_the_default_period(town):
    from driftsblik.indicators import pages

    assert pages.latest_month() == Month(2025, 3)
    assert str(pages.resolve_period(None, Month(2025, 3))) == "2025-03"


def test_indicators_without_figures_or_target_at_the_unit_are_left_out(client, town):
    from driftsblik.indicators.models import Indicator

    Indicator.objects.create(
        code="roads",
        name="Vejvedligehold",
        kind="activity",
        measure="count",
        temporal="flow",
        direction="higher",
        key=True,
    )
    _, html = page(client, town["sector"], "/")
    assert "Vejvedligehold" not in html
    assert 'data-figure="visits"' in html
