"""The cohort page and its download: visibility, suppression, the query log, and no person ids."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from driftsblik.core.periods import Month, Period
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS
from driftsblik.indicators import suppression
from driftsblik.indicators.models import Indicator, Observation
from driftsblik.organisation.tests.factories import make_user
from driftsblik.organisation.tree import TreeCache
from driftsblik.pathways import services
from driftsblik.pathways.models import PathwayQuery
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = [*ENGINE_WARNINGS, pytest.mark.django_db]

URL = "/forloeb/"


@pytest.fixture
def town(registers):
    build_municipality()
    return people()


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def test_the_url_is_stable():
    assert reverse("pathways:cohort") == URL
    assert reverse("pathways:export") == URL + "eksport/"


def test_page_renders_chart_and_tables_and_logs_the_query(town):
    c = login(town["sector"])
    r = c.get(URL, {"kohorte": "youth_neet", "start": "2024-03", "maaneder": "12"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="status-table"' in html and 'id="silos-units"' in html and 'id="transitions-table"' in html
    view = r.context["view"]
    # the cohort's size is hidden here and so is every other count: no bar to draw, and the page says so
    assert view.size.hidden and view.spec is None and view.silos_spec is None
    assert 'id="pathway-chart-hidden"' in html and 'id="silos-chart-hidden"' in html and "data-chart" not in html
    assert view.suppressed and not view.too_small
    assert view.result.cohort_size >= 5
    assert len(view.months) == 13
    q = PathwayQuery.objects.get()
    assert (q.user, q.cohort, q.start, q.months, q.unit_id, q.action) == (
        town["sector"],
        "youth_neet",
        "2024-03",
        12,
        "",
        "view",
    )
    assert q.cohort_size == view.result.cohort_size and q.suppressed
    # the analyst's page draws both charts; the description is the chart's accessible name, and
    # says what the table holds
    r = login(town["analyst"]).get(URL, {"kohorte": "youth_neet", "start": "2024-03", "maaneder": "12"})
    html, view = r.content.decode(), r.context["view"]
    assert 'data-chart="pathway-chart"' in html and 'data-chart="silos-chart"' in html
    assert "stacked bars" in view.spec["description"] or "stablede" in view.spec["description"]


def test_every_query_is_logged(town):
    c = login(town["analyst"])
    for months in (3, 4):
        assert c.get(URL, {"kohorte": "cash_long_term", "start": "2024-06", "maaneder": months}).status_code == 200
    assert c.get(URL + "eksport/", {"kohorte": "cash_long_term", "start": "2024-06", "maaneder": 4}).status_code == 200
    logged = list(PathwayQuery.objects.order_by("id").values_list("months", "action", "suppressed"))
    assert logged == [(3, "view", False), (4, "view", False), (4, "export", False)]


def test_a_unit_outside_the_view_is_a_404(town):
    institution = login(town["institution"])  # leads S1I1
    assert institution.get(URL, {"enhed": "S3I1T1"}).status_code == 404
    assert institution.get(URL + "eksport/", {"enhed": "S3I1T1"}).status_code == 404
    assert institution.get(URL, {"enhed": "NO-SUCH-UNIT"}).status_code == 404
    assert login(town["nobody"]).get(URL).status_code == 404
    assert not PathwayQuery.objects.exists()


def test_a_units_cohort_is_its_register_teams(town):
    c = login(town["analyst"])
    params = {"kohorte": "youth_neet", "start": "2024-04", "maaneder": 1}
    whole = c.get(URL, params).context["view"].result.cohort_size
    teams = [c.get(URL, {**params, "enhed": u}).context["view"].result.cohort_size for u in ("S1I2T1", "S1I2T2")]
    institution = c.get(URL, {**params, "enhed": "S1I2"}).context["view"].result.cohort_size
    assert institution == sum(teams)
    assert whole >= institution > 0  # the rest are _unassigned


def test_who_sees_the_municipalitys_cohort(town):
    youth = {"kohorte": "youth_neet", "start": "2024-04", "maaneder": 1}
    # the sector head of S1 leads the chain above the youth teams (S1I2T*): the whole municipality
    r = login(town["sector"]).get(URL, youth)
    assert r.context["unit_id"] == ""
    # the leader of institution S1I1 (jobcenter teams) is not in the youth teams' chain: a unit is chosen
    r = login(town["institution"]).get(URL, youth)
    # the first unit in its view (tree order) with youth teams under it: its area, two levels up
    assert r.status_code == 200 and r.context["unit_id"] == "A1"
    assert "" not in [v for v, _ in r.context["form"].fields["enhed"].choices]
    # but the jobcenter cohort of the whole municipality is theirs
    r = login(town["institution"]).get(URL, {**youth, "kohorte": "cash_long_term"})
    assert r.context["unit_id"] == ""
    # the directorate sees every cohort of the municipality
    r = login(town["directorate"]).get(URL, {**youth, "kohorte": "elderly_discharged", "start": "2024Q2"})
    assert r.context["unit_id"] == ""


def test_no_person_id_in_the_page_or_the_download(town, person_ids):
    for who in ("analyst", "sector"):
        c = login(town[who])
        params = {"kohorte": "youth_neet", "start": "2024-04", "maaneder": 12}
        html = c.get(URL, params).content.decode()
        text = xlsx_text(c.get(URL + "eksport/", params).getvalue())
        ids = set(person_ids)
        assert len(ids) == 4000
        leaked = [p for p in ids if p in html or p in text]
        assert leaked == []


def test_download_holds_the_suppressed_counts(town):
    c = login(town["sector"])
    params = {"kohorte": "youth_neet", "start": "2024-04", "maaneder": 12}
    view = c.get(URL, params).context["view"]
    r = c.get(URL + "eksport/", params)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(r.getvalue()))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    head = rows.index(next(row for row in rows if row and row[0] in ("Month", "Måned")))
    assert list(rows[head][2:]) == view.status_labels
    body = rows[head + 1 :]
    assert len(body) == len(view.months)
    hidden = 0
    for row, month in zip(body, view.months, strict=True):
        assert row[0] == month["label"]
        for got, cell in zip(row[2:], month["cells"], strict=True):
            assert got == (cell.label if cell.hidden else cell.n)
            assert not (cell.hidden and cell.label == "<5") or 0 < cell.n < 5  # "<5" only on a small one
            hidden += cell.hidden
    assert hidden, "the test needs a cohort with small counts"


@pytest.fixture
def small(settings, small_registers: Path, town):
    settings.REGISTERS = str(small_registers)
    services.cache_clear()
    return town


def test_a_cohort_below_the_limit_says_so_instead_of_drawing(small):
    params = {"kohorte": "youth_neet", "start": "2025-03", "maaneder": 3}
    r = login(small["directorate"]).get(URL, params)
    html = r.content.decode()
    assert 'id="pathway-too-small"' in html
    assert "data-chart" not in html and 'id="status-table"' not in html
    assert PathwayQuery.objects.get().cohort_size == 4
    # the analyst sees the four, unsuppressed
    r = login(small["analyst"]).get(URL, params)
    html = r.content.decode()
    assert 'data-chart="pathway-chart"' in html and "&lt;5" not in html
    assert r.context["view"].result.cohort_size == 4
    # and no download of a cohort too small to show
    assert login(small["directorate"]).get(URL + "eksport/", params).status_code == 404


def test_an_empty_cohort_says_so(small):
    r = login(small["analyst"]).get(URL, {"kohorte": "elderly_discharged", "start": "2024Q4", "maaneder": 3})
    html = r.content.decode()
    assert 'id="pathway-empty"' in html and "data-chart" not in html


def test_bad_input_is_a_form_error(town):
    c = login(town["analyst"])
    r = c.get(URL, {"kohorte": "youth_neet", "start": "2024Q1", "maaneder": 30})
    assert r.status_code == 200
    form = r.context["form"]
    assert set(form.errors) == {"start", "maaneder"}
    assert r.context["view"] is None
    assert not PathwayQuery.objects.exists()


def test_missing_registers_are_reported(settings, town, tmp_path):
    settings.REGISTERS = str(tmp_path / "nowhere")
    services.cache_clear()
    r = login(town["analyst"]).get(URL)
    assert r.status_code == 200
    assert "no register folder" in r.content.decode()


def test_the_log_is_append_only(town):
    q = services.pathway_query_log(
        user=town["analyst"],
        cohort="youth_neet",
        start="2024-04",
        months=1,
        unit_id=None,
        action="view",
        cohort_size=10,
        suppressed=False,
    )
    with pytest.raises(ValueError, match="never changed"):
        q.save()
    with pytest.raises(ValueError, match="never deleted"):
        q.delete()


def test_the_log_in_the_admin_is_read_only(town):
    admin_client = login(make_user("admin@example.dk", superuser=True))
    services.pathway_query_log(
        user=town["analyst"],
        cohort="youth_neet",
        start="2024-04",
        months=1,
        unit_id="S1",
        action="view",
        cohort_size=10,
        suppressed=False,
    )
    assert admin_client.get("/admin/pathways/pathwayquery/").status_code == 200
    assert admin_client.get("/admin/pathways/pathwayquery/add/").status_code == 403
    q = PathwayQuery.objects.get()
    r = admin_client.post("/admin/pathways/pathwayquery/", {"action": "export_csv", "_selected_action": [q.pk]})
    assert r.status_code == 200 and b"youth_neet" in r.getvalue()


def test_results_are_cached_until_the_registers_change(small_registers, settings):
    import os

    settings.REGISTERS = str(small_registers)
    services.cache_clear()
    args = {"cohort": "youth_neet", "start": "2025-03", "months": 2}
    first = services.cohort_pathways(**args)  # every register unit's pathway, one computation
    assert services.cohort_pathways(**args) is first
    assert services.pathway_compute(**args, unit_ids=None).cohort_size == 4
    persons = small_registers / "persons.csv"
    stat = persons.stat()
    os.utime(persons, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = services.cohort_pathways(**args)
    assert again is not first and again.per_unit.keys() == first.per_unit.keys()
    assert services.pathway_compute(**args, unit_ids=None).cohort_size == 4
    services.cache_clear()


def test_every_unit_is_a_404_exactly_when_it_is_outside_the_view(town):
    from driftsblik.organisation.models import Unit
    from driftsblik.organisation.visibility import visible_units

    units = list(Unit.objects.values_list("id", flat=True))
    for who in ("institution", "sector", "director", "directorate"):
        user = town[who]
        visible = visible_units(user)
        c = login(user)
        for unit in units:
            r = c.get(URL, {"kohorte": "cash_long_term", "start": "2024-04", "maaneder": 1, "enhed": unit})
            assert (r.status_code == 404) == (unit not in visible), (who, unit, r.status_code)
            e = c.get(URL + "eksport/", {"kohorte": "cash_long_term", "start": "2024-04", "maaneder": 1, "enhed": unit})
            if unit not in visible:
                assert e.status_code == 404, (who, unit)
    # queries are logged for the pathways shown, and only ever for a unit in the person's view
    logged = list(PathwayQuery.objects.select_related("user"))
    assert logged
    assert all(q.unit_id in visible_units(q.user) for q in logged)


def test_the_menu_offers_the_pathways_exactly_to_those_the_page_opens_for(town):
    for who in ("kd", "directorate", "sector", "institution", "analyst", "nobody"):
        client = login(town[who])
        opens = client.get(URL).status_code == 200
        menu = client.get("/").content.decode().split('class="driftsblik-nav-list"')[1].split("</ul>")[0]
        assert (f'href="{URL}"' in menu) == opens, (who, opens)
    assert login(town["nobody"]).get(URL).status_code == 404  # the rule has someone it leaves out


def test_a_hidden_count_that_is_not_small_reads_x():
    from driftsblik.pathways.selectors import Shown

    assert Shown(45, True, "secondary").text == "x" and Shown(3, True, "small").text == "<5"
    assert Shown(45, False).text == "45"
    # the label is the mark's, never the value's: a count hidden as secondary never reads "<5"
    assert Shown(3, True, "secondary").text == "x" and Shown(45, True).text == "x"


def youth_neet_3m(figures: dict[str, int], month: Month) -> Indicator:
    """The indicator the youth cohort is picked with, with `figures` by unit in `month`."""
    indicator = Indicator.objects.create(
        code="youth_neet_3m",
        name="Unge uden job og uddannelse i 3 måneder",
        kind="result",
        measure="count",
        temporal="stock",
        direction="lower",
        unit_label="unge",
        person_based=True,
    )
    Observation.objects.bulk_create(
        Observation(indicator=indicator, unit_id=u, period=month.first, numerator=Decimal(n), loaded_at=timezone.now())
        for u, n in figures.items()
    )
    return indicator


def test_a_cohort_whose_indicator_figure_is_hidden_is_not_given_away_by_the_page(town):
    """The team's youth_neet_3m for 2024-04 is hidden ("x") to protect its sibling's 3: the team's
    cohort (the same figure) must not be readable from the pathway page or its download."""
    month = Month(2024, 4)
    indicator = youth_neet_3m({"S1I2T1": 40, "S1I2T2": 3}, month)
    found = suppression.patterns([indicator], [2024], TreeCache())
    assert suppression.mark_of(found, indicator, "S1I2T1", Period.month(month)) == suppression.SECONDARY
    params = {"kohorte": "youth_neet", "start": "2024-04", "maaneder": 6, "enhed": "S1I2T1"}
    c = login(town["sector"])
    r = c.get(URL, params)
    view = r.context["view"]
    assert not view.too_small and view.result.cohort_size >= 5
    assert view.size.hidden and view.size.text == "x"
    # no month's counts add up to it: each month has a hidden count, and the chart leaves them out
    assert all(any(c.hidden for c in m["cells"]) for m in view.months)
    drawn = view.spec["data"]["values"] if view.spec else []  # no chart when nothing can be drawn
    assert sum(d["persons"] for d in drawn if d["i"] == 0) < view.result.cohort_size
    book = openpyxl.load_workbook(io.BytesIO(c.get(URL + "eksport/", params).getvalue()))
    header = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and len(row) > 1}
    assert header.get("Persons in the cohort", header.get("Personer i kohorten")) == "x"
    # the analyst sees it
    assert not login(town["analyst"]).get(URL, params).context["view"].size.hidden
    # the label says it is the indicator's figure for the cohort's month, with a link to it
    assert r.context["indicator_link"]["url"] == "/indikator/youth_neet_3m/S1I2T1/?periode=2024-04"
    assert 'href="/indikator/youth_neet_3m/S1I2T1/?periode=2024-04"' in r.content.decode()


def test_the_summary_counts_the_months_followed_in_danish(town):
    from driftsblik.core.periods import Month

    c = login(town["analyst"])
    one = c.get(URL, {"kohorte": "youth_neet", "start": "2024-03", "maaneder": 1})
    assert one.context["view"].result.months_followed == 1
    assert "fulgt i 1 måned." in one.content.decode()
    long = c.get(URL, {"kohorte": "youth_neet", "start": "2024-03", "maaneder": 24}).context["view"].result
    assert (
        "fulgt i 2 måneder."
        in c.get(URL, {"kohorte": "youth_neet", "start": "2024-03", "maaneder": 2}).content.decode()
    )
    last = Month(2024, 3).shift(long.months_followed)  # the registers' last month
    end = c.get(URL, {"kohorte": "youth_neet", "start": str(last), "maaneder": 1})
    html = end.content.decode()
    assert "fulgt i 0" not in html
    if not end.context["view"].empty and not end.context["view"].too_small:
        assert "De kan ikke følges endnu" in html


@pytest.mark.parametrize(
    ("cohort", "start", "months"), [("youth_neet", "2024-04", 3), ("cash_long_term", "2024-06", 2)]
)
def test_a_shorter_horizon_hides_what_the_longer_page_hides(town, cohort, start, months):
    # the same cohort followed for fewer months and for 12: the first months are the same counts, so
    # they are hidden (with the same mark) or shown alike on both pages; side by side the two pages
    # give no hidden count away. (Protected alone, the 2-month cash page had no pattern of its own
    # and was withheld; it follows the 12-month page's now.)
    from driftsblik.pathways.tests.test_suppression import assert_published_safe, published_together

    c = login(town["sector"])
    views = {m: c.get(URL, {"kohorte": cohort, "start": start, "maaneder": m}).context["view"] for m in (months, 12)}
    short, full = views[months], views[12]
    assert not short.withheld and not full.withheld
    marks = {
        m: {
            (r["offset"], s): (cell.hidden, cell.mark)
            for r in view.months
            for s, cell in zip(view.statuses, r["cells"], strict=True)
        }
        for m, view in views.items()
    }
    assert marks[months] and all(marks[12][key] == mark for key, mark in marks[months].items())
    assert any(hidden for hidden, _mark in marks[months].values()), "the test needs a hidden count in the first months"
    moves = {(t["offset"], t["from"], t["to"]): t["persons"].hidden for t in full.transitions}
    assert all(moves[(t["offset"], t["from"], t["to"])] == t["persons"].hidden for t in short.transitions)
    assert_published_safe(*published_together([full, short]))


def moving_away_registers(folder: Path) -> Path:
    """24 young people NEET from January to March 2025 at one team; four of them move away, one a
    month from April to July, and stay away. Employment data from January to September."""
    import datetime as dt

    from driftsblik.engine.tests.edges import Builder

    b = Builder()
    b.person("filler", dt.date(1985, 1, 1))
    for month in range(1, 10):
        b.hours("filler", dt.date(2025, month, 1), 160)
    for i in range(24):
        moved = dt.date(2025, 4 + i, 15) if i < 4 else None
        b.person(f"y{i:02d}", dt.date(2001, 1 + i % 12, 1), moved_out=moved, unge="S1I2T1")
    return b.write(folder)


@pytest.fixture
def moving(settings, tmp_path, town):
    settings.REGISTERS = str(moving_away_registers(tmp_path))
    services.cache_clear()
    yield town
    services.cache_clear()


def test_a_page_whose_marks_alone_give_counts_away_is_withheld_and_points_to_the_months_that_can_be_shown(moving):
    # followed for 6 months, the four moving away one at a time pin "moved away" at 4 (and 1, 2, 3
    # before) by the marks alone: that page is withheld, and says the cohort can be followed for 3
    # months; followed for 3 months (three arrivals, "<5" at 3 or 4) it is drawn, with nothing
    # narrowed or pinned; a reader of the 1- to 3-month pages together pins nothing either
    from driftsblik.pathways.tests.test_suppression import assert_published_safe, published_together

    c = login(moving["directorate"])
    params = {"kohorte": "youth_neet", "start": "2025-03", "maaneder": 6}
    r = c.get(URL, params)
    assert r.context["result"].cohort_size == 24 and r.context["result"].months_followed == 6
    view = r.context["view"]
    assert view.withheld and view.shown_months == 3
    html = r.content.decode()
    assert 'id="pathway-withheld"' in html and "data-chart" not in html and "&lt;5" not in html
    assert "maaneder=3" in r.context["shorter_url"] and 'id="pathway-shorter"' in html
    assert "op til 3 måneder" in html
    assert c.get(URL + "eksport/", params).status_code == 404
    for months in (4, 5):
        assert c.get(URL, {**params, "maaneder": months}).context["view"].withheld
    views = [c.get(r.context["shorter_url"]).context["view"]]
    views += [c.get(URL, {**params, "maaneder": m}).context["view"] for m in (1, 2)]
    assert not any(v.withheld for v in views) and views[0].result.months_followed == 3
    moved = {
        row["offset"]: cell
        for row in views[0].months
        for s, cell in zip(views[0].statuses, row["cells"], strict=True)
        if s == "moved_away"
    }
    assert moved[3].hidden and moved[3].text == "<5"
    assert_published_safe(*published_together(views))
    # an analyst sees every month and count
    analyst = login(moving["analyst"]).get(URL, params).context["view"]
    assert not analyst.withheld and analyst.result.months_followed == 6
