"""Every figure reachable: the unit page and the overview show every indicator with figures at or
below the unit (not only the key ones), "Under mig" switches task area, and the catalogue
(/indikatorer/) lists every definition, searchable, linking only to units in the person's view."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from driftsblik.core.periods import month_range
from driftsblik.indicators.models import Indicator, Observation
from driftsblik.organisation.models import TaskArea
from driftsblik.organisation.tests.factories import make_committee
from driftsblik.organisation.viewer import Viewer
from driftsblik.ui.tests.helpers import read_table
from driftsblik.web.tests.helpers import LATEST, build_municipality, leader, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    """The page tests' municipality plus a second task area with two indicators that are not key:
    occupancy loaded at one institution's teams only, waiting time at the institution itself."""
    units = build_municipality()
    make_committee("SU", "Socialudvalget", task_areas={"PLE": ("Ældre og pleje", ["S1I1"])})
    area = TaskArea.objects.get(code="PLE")
    occupancy = Indicator.objects.create(
        code="occupancy",
        name="Belægning på plejecentrene",
        description="Besatte plejeboliger i procent af plejeboliger.",
        kind="result",
        measure="share",
        temporal="stock",
        direction="higher",
        task_area=area,
        source="Boligadministration",
    )
    waiting = Indicator.objects.create(
        code="waiting",
        name="Ventetid på plejebolig",
        kind="result",
        measure="ratio",
        temporal="flow",
        direction="lower",
        unit_label="dage",
        task_area=area,
        source="Visitationen",
    )
    now = timezone.now()
    rows = []
    for month in month_range(LATEST.shift(-2), LATEST):
        for team in ("S1I1T1", "S1I1T2"):
            rows.append(
                Observation(
                    indicator=occupancy,
                    unit_id=team,
                    period=month.first,
                    numerator=Decimal(47),
                    denominator=Decimal(50),
                    loaded_at=now,
                )
            )
        rows.append(
            Observation(
                indicator=waiting,
                unit_id="S1I1",
                period=month.first,
                numerator=Decimal(300),
                denominator=Decimal(10),
                loaded_at=now,
            )
        )
    Observation.objects.bulk_create(rows)
    return {"units": units, **people()}


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def linked_indicators(html: str, unit_id: str) -> set[str]:
    """The indicators the page links at the unit (/indikator/<code>/<unit>/)."""
    return set(re.findall(rf'href="/indikator/([^/"]+)/{re.escape(unit_id)}/', html))


def with_data_at(unit_id: str, viewer: Viewer) -> set[str]:
    """The indicators with an observation at the unit or below it (in today's tree)."""
    below = viewer.tree.subtree(unit_id)
    return set(Observation.objects.filter(unit_id__in=below).values_list("indicator_id", flat=True))


@pytest.mark.parametrize("who", ["kd", "director", "sector", "institution", "analyst"])
def test_every_indicator_with_data_at_a_unit_is_linked_from_its_page(client, town, who):
    user = town[who]
    viewer = Viewer.of(user)
    checked = 0
    for unit_id in ("K", "A1", "S1", "S1I1", "S1I1T1", "S1I2", "S3"):
        if not viewer.sees(unit_id):
            continue
        html = page(client, user, f"/enhed/{unit_id}/")
        expected = with_data_at(unit_id, viewer)
        assert expected <= linked_indicators(html, unit_id), (who, unit_id)
        checked += 1
    assert checked >= 2


def test_the_unit_page_groups_by_task_area_with_the_key_indicators_first(client, town):
    html = page(client, town["sector"], "/enhed/S1I1/")
    order = re.findall(r'data-figure="([^"]+)"', html.split('id="scorecard-unit"', 1)[1].split("</table>", 1)[0])
    assert order[:3] == ["visits", "in_job", "clients"]
    assert set(order[3:]) == {"occupancy", "waiting"}
    assert html.index("Beskæftigelse") < html.index("Ældre og pleje")


def test_a_unit_without_figures_of_an_area_does_not_list_it(client, town):
    html = page(client, town["sector"], "/enhed/S1I2/")
    assert "occupancy" not in linked_indicators(html, "S1I2")


def test_the_overview_shows_my_units_figures_beyond_the_key_ones(client, town):
    html = page(client, town["institution"], "/")
    assert {"occupancy", "waiting"} <= linked_indicators(html, "S1I1")


def test_below_me_switches_task_area_and_the_download_follows(client, town):
    html = page(client, town["sector"], "/")
    assert 'data-area="PLE"' in html
    below = html.split('id="below-heading"', 1)[1]
    assert "occupancy" not in re.findall(r'data-figure="([^"]+)"', below.split("</table>", 1)[0])
    html = page(client, town["sector"], "/?omraade=PLE")
    below = html.split('id="below-heading"', 1)[1]
    columns = set(re.findall(r'data-figure="([^"]+)"', below.split("</table>", 1)[0]))
    assert columns == {"occupancy", "waiting"}
    assert 'data-area="PLE" aria-current="true"' in html
    assert "/eksport/below/S1/?periode=2025-03&amp;omraade=PLE" in html
    table = read_table(client.get("/eksport/below/S1/?periode=2025-03&omraade=PLE"))
    assert "Belægning på plejecentrene" in table.columns
    assert "Besøg" not in table.columns


def test_an_unknown_task_area_shows_the_key_indicators(client, town):
    html = page(client, town["sector"], "/?omraade=NOSUCH")
    below = html.split('id="below-heading"', 1)[1].split("</table>", 1)[0]
    assert set(re.findall(r'data-figure="([^"]+)"', below)) == {"visits", "in_job", "clients"}


# -- the catalogue ---------------------------------------------------------------------------


def entries(html: str) -> list[str]:
    return re.findall(r'data-indicator="([^"]+)"', html)


def test_the_catalogue_lists_every_definition(client, town):
    html = page(client, town["sector"], "/indikatorer/")
    assert sorted(entries(html)) == sorted(Indicator.objects.values_list("code", flat=True))
    assert "Besatte plejeboliger i procent af plejeboliger." in html
    assert "Boligadministration" in html
    assert "5 indikatorer." in html


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("belægning", ["occupancy"]),
        ("PLEJEBOLIG", ["occupancy", "waiting"]),  # any case; the description too
        ("visitationen", ["waiting"]),  # the source
        ("ældre ventetid", ["waiting"]),  # every word, the task area's name among them
        ("nothing like it", []),
    ],
)
def test_the_catalogue_searches(client, town, query, found):
    html = page(client, town["sector"], f"/indikatorer/?q={query}")
    assert sorted(entries(html)) == found
    if not found:
        assert "Ingen indikator passer på søgningen." in html


@pytest.mark.parametrize("who", ["kd", "director", "sector", "institution", "analyst", "nobody"])
def test_the_catalogue_never_links_a_unit_outside_the_view(client, town, who):
    user = town[who]
    viewer = Viewer.of(user)
    html = page(client, user, "/indikatorer/")
    linked = re.findall(r'href="/indikator/[^/"]+/([^/"]+)/"', html)
    assert all(viewer.sees(u) for u in linked), who
    for unit_id in set(linked):
        assert client.get(f"/indikator/visits/{unit_id}/").status_code == 200


def test_the_catalogue_links_my_units_and_those_above_where_the_figures_are(client, town):
    html = page(client, town["institution"], "/indikatorer/")
    occupancy = html.split('data-indicator="occupancy"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r'data-unit="([^"]+)"', occupancy) == ["S1I1", "S1", "A1"]
    html = page(client, town["sector"], "/indikatorer/?q=belægning")
    occupancy = html.split('data-indicator="occupancy"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r'data-unit="([^"]+)"', occupancy) == ["S1", "A1", "K"]
    html = page(client, leader("t1@example.dk", "S1I1T1"), "/indikatorer/?q=belægning")
    occupancy = html.split('data-indicator="occupancy"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r'data-unit="([^"]+)"', occupancy) == ["S1I1T1", "S1I1", "S1"]


def test_the_catalogue_is_in_the_menu(client, town):
    html = page(client, town["sector"], "/")
    assert 'href="/indikatorer/"' in html
