"""The efforts pages: who gets them (200) and who does not (404), what they show, the Excel download
and the overview section."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.organisation.models import DIRECTORATE_GROUP
from driftsblik.organisation.tests.factories import make_leader, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def effort():
    return build_effort()


def test_the_directorate_sees_every_effort_with_phase_milestones_and_status(client, effort):
    client.force_login(make_user("d@example.dk", groups=[DIRECTORATE_GROUP]))
    html = client.get("/indsatser/").content.decode()
    assert "Ungegarantien" in html and 'href="/indsatser/ungegaranti/' in html
    assert 'aria-current="page">' in html  # the menu marks the efforts page


def test_the_list_names_the_next_milestone_ahead_and_a_passed_unmet_one_as_overdue(client, effort):
    import datetime as dt

    from django.utils import timezone

    from driftsblik.efforts.models import Milestone
    from driftsblik.ui.formats import table_date

    day = timezone.localdate()
    common = {"effort": effort, "phase": "development", "status": "under_way"}
    Milestone.objects.create(title="Kick-off", due=day - dt.timedelta(days=3), **common)
    Milestone.objects.create(
        title="Metode valgt", due=day - dt.timedelta(days=20), effort=effort, phase="development", status="done"
    )
    Milestone.objects.create(title="Evaluering", due=day + dt.timedelta(days=30), **common)
    client.force_login(make_user("d@example.dk", groups=[DIRECTORATE_GROUP]))
    html = client.get("/indsatser/").content.decode()
    assert f"Forsinket: Kick-off ({table_date(day - dt.timedelta(days=3))})" in html
    assert f"Næste: Evaluering ({table_date(day + dt.timedelta(days=30))})" in html
    assert "Næste: Kick-off" not in html and "Næste: Metode valgt" not in html


def test_a_person_outside_every_effort_sees_an_empty_list_and_a_404_for_the_effort(client, effort):
    client.force_login(make_leader("a2@example.dk", "A2"))
    assert "Ungegarantien" not in client.get("/indsatser/").content.decode()
    assert client.get("/indsatser/ungegaranti/").status_code == 404
    assert client.get("/indsatser/ungegaranti/deltagere.xlsx").status_code == 404
    assert client.get("/indsatser/no-such/").status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, effort):
    assert client.get("/indsatser/ungegaranti/").status_code == 302


def test_the_effort_page_shows_goal_participants_parts_methods_and_milestones(client, effort):
    import datetime as dt

    from driftsblik.efforts.services import method_define, method_use_add, milestone_add

    ips = method_define(code="ips", name="IPS-metoden", description="Job med støtte")
    method_use_add(participant=effort.participants.get(unit_id="J1"), method=ips, since=dt.date(2024, 5, 1))
    milestone_add(effort=effort, phase="development", title="Fælles plan <vedtaget>", due=dt.date(2024, 6, 30))
    client.force_login(make_leader("u1@example.dk", "U1"))
    response = client.get("/indsatser/ungegaranti/?periode=2025-03")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Alle unge i job eller uddannelse", "EUC Nord", "Erik Erhvervsskole", "IPS-metoden", "J1"):
        assert text in html
    assert "Fælles plan &lt;vedtaget&gt;" in html  # text from users is escaped
    assert "40,0 %" in html  # the shared result: (10 + 30 + 8) / (40 + 60 + 20)
    # U1 sees its own part; J1 and J2 (another branch) only together as the other participants
    assert 'href="/enhed/J1/' not in html
    assert "Other participants (2 units)" in html or "Andre deltagere (2 enheder)" in html
    assert 'data-chart="goal-0"' in html
    # the shared result says it counts the participants only (the municipal indicator differs)
    assert "Kun indsatsens deltagere" in html or "The effort's participants only" in html


def test_the_shared_result_links_to_the_same_measure_for_the_municipality(client, effort):
    from driftsblik.organisation.tree import TreeCache
    from driftsblik.organisation.visibility import today

    root = TreeCache().on(today()).roots[0]
    client.force_login(make_user("dir@example.dk", groups=[DIRECTORATE_GROUP]))
    html = client.get("/indsatser/ungegaranti/?periode=2025-03").content.decode()
    assert f'/{root}/?periode=2025-03">' in html and "/indikator/" in html


def test_the_owner_sees_every_participant_s_part(client, effort):
    client.force_login(effort.owner)
    html = client.get("/indsatser/ungegaranti/?periode=2025-03").content.decode()
    assert "Other participants" not in html and "Andre deltagere" not in html
    assert "25,0 %" in html and "50,0 %" in html  # J1 10/40 and J2 30/60


def test_the_participant_table_downloads_as_the_page_shows_it(client, effort):
    client.force_login(make_leader("u1@example.dk", "U1"))
    response = client.get("/indsatser/ungegaranti/deltagere.xlsx?periode=2025-03")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [r[0] for r in rows]
    assert "EUC Nord" in names and "Erik Erhvervsskole" in sum(rows, [])
    u1 = next(r for r in rows if r[0] == "U1")
    assert u1[6] == pytest.approx(0.4)  # U1's own part, 8 / 20, as a percentage
    j1 = next(r for r in rows if r[0] == "J1")
    assert j1[6] is None  # not shown to U1's leader
    assert rows[-1][6] == pytest.approx(0.4)
    header = next(r for r in rows if r[0] in ("Participant", "Deltager"))
    assert len(header) == 6 + 4 * 2  # per goal indicator: value, status, change since the previous period and last year
    assert u1[8] == 0 and u1[9] == 0  # the same 8 / 20 every month


def test_the_overview_lists_the_efforts_the_person_takes_part_in(client, effort):
    client.force_login(make_leader("u1@example.dk", "U1"))
    html = client.get("/").content.decode()
    assert 'id="my-efforts"' in html and "Ungegarantien" in html
    # the shared result is the participants' only; U1's leader cannot open the municipality's figure
    section = html.split('id="my-efforts"', 1)[1]
    hint = section.split('data-measure="neet"', 1)[1].split("</span>", 1)[0]
    assert ("deltagere i indsatsen" in hint or "participants in the effort" in hint) and "/indikator/" not in hint
    client.force_login(make_user("dir3@example.dk", groups=[DIRECTORATE_GROUP]))
    section = client.get("/").content.decode().split('id="my-efforts"', 1)[1]
    hint = section.split('data-measure="neet"', 1)[1].split("</span>", 1)[0]
    assert 'href="/indikator/neet/K/?periode=' in hint
    client.force_login(make_leader("peer@example.dk", "A2"))
    assert 'id="my-efforts"' not in client.get("/").content.decode()


def test_the_effort_links_to_its_cohort_on_the_pathway_page_when_it_has_one(effort):
    from driftsblik.efforts.views import pathway_link

    assert pathway_link(effort) == "/forloeb/?kohorte=youth_neet"
    effort.cohort = ""
    assert pathway_link(effort) is None


@pytest.mark.django_db
def test_the_overview_leaves_out_efforts_seen_only_beside_a_participant(client):
    build_effort(participants=("J1", "U1"))
    # J2's leader sees J1 as a peer: the effort opens, but J2 does not take part in it
    client.force_login(make_leader("j2@example.dk", "J2"))
    assert client.get("/indsatser/ungegaranti/").status_code == 200
    assert 'id="my-efforts"' not in client.get("/").content.decode()
    # S1's head leads the sector J1 belongs to (two levels down): that is taking part
    client.force_login(make_leader("s1@example.dk", "S1"))
    assert 'id="my-efforts"' in client.get("/").content.decode()


PAGES = ["/indsatser/", "/indsatser/ungegaranti/", "/indsatser/ungegaranti/deltagere.xlsx", "/"]


@pytest.mark.parametrize("path", PAGES)
def test_query_counts_do_not_grow_with_the_participants(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from driftsblik.efforts.models import Effort

    counts = []
    build_effort(participants=("J1",))
    for participants in (("J1",), ("J1", "J2", "U1", "J", "U")):
        Effort.objects.all().delete()
        effort = _second_effort(participants)
        client.force_login(effort.owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


def _second_effort(participants):
    import datetime as dt

    from driftsblik.efforts.services import effort_create, goal_indicator_add, participant_add
    from driftsblik.indicators.models import Indicator
    from driftsblik.organisation.models import Unit, User

    effort = effort_create(
        code="ungegaranti", name="U", owner=User.objects.get(email="direktor@example.dk"), start=dt.date(2024, 1, 1)
    )
    for code in ("in_work", "neet"):
        goal_indicator_add(effort=effort, indicator=Indicator.objects.get(code=code))
    for unit in participants:
        participant_add(effort=effort, unit=Unit.objects.get(id=unit), contact_name="K", role="R")
    participant_add(effort=effort, partner="EUC Nord", contact_name="E", role="R")
    return effort


def test_a_period_that_does_not_exist_is_a_notice_on_the_page_and_a_400_for_the_download(client, effort):
    client.force_login(make_leader("u1@example.dk", "U1"))
    for url in ("/indsatser/", "/indsatser/ungegaranti/"):
        response = client.get(url, {"periode": "2025-13"})
        assert response.status_code == 200
        assert "driftsblik-period-notice" in response.content.decode()
        assert str(response.context["period"]) == "2025-03"  # the latest month with data
    assert client.get("/indsatser/ungegaranti/deltagere.xlsx", {"periode": "2025-13"}).status_code == 400


def test_the_list_says_each_shared_result_is_the_participants_only_and_links_to_the_municipality(client, effort):
    client.force_login(make_user("dir2@example.dk", groups=[DIRECTORATE_GROUP]))
    html = client.get("/indsatser/?periode=2025-03").content.decode()
    for code in ("in_work", "neet"):
        hint = html.split(f'data-measure="{code}"', 1)[1].split("</span>", 1)[0]
        assert "deltagere i indsatsen" in hint or "participants in the effort" in hint
        assert f'href="/indikator/{code}/K/?periode=2025-03"' in hint


def test_the_list_links_to_the_municipality_only_for_one_who_sees_it(client, effort):
    # the team's leader sees two levels up (U, S2), not the municipality K
    client.force_login(make_leader("u1@example.dk", "U1"))
    html = client.get("/indsatser/?periode=2025-03").content.decode()
    hint = html.split('data-measure="neet"', 1)[1].split("</span>", 1)[0]
    assert "deltagere i indsatsen" in hint or "participants in the effort" in hint
    assert "/indikator/" not in hint
