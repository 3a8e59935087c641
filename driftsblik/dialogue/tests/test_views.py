"""The dialogue's pages: who sees which thread, what each person may do, refusals, escaping, downloads."""

from __future__ import annotations

import datetime as dt

import pytest

from driftsblik.dialogue.models import Action, AuditEntry, Challenge
from driftsblik.dialogue.services import challenge_answer, challenge_raise
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit
from driftsblik.ui.tests.helpers import read_table

pytestmark = pytest.mark.django_db

SOON = dt.date.today() + dt.timedelta(days=14)
NASTY = '<b>fed</b> "citat" & <script>alert("x")</script>'


@pytest.fixture
def thread(town):
    return challenge_raise(
        author=town["director"],
        unit=Unit.objects.get(pk="S1"),
        indicator=Indicator.objects.get(pk="visits"),
        period="2025-03",
        question=NASTY,
        answer_by=SOON,
    )


def test_the_director_raises_from_the_indicator_page(client, town):
    client.force_login(town["director"])
    page = client.get("/indikator/visits/S1/?periode=2025-03").content.decode()
    assert 'action="/dialog/ny/"' in page and 'value="2025-03"' in page
    response = client.post(
        "/dialog/ny/",
        {
            "indicator": "visits",
            "unit": "S1",
            "period": "2025-03",
            "question": "Hvorfor?",
            "answer_by": SOON.isoformat(),
        },
    )
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dialog/{challenge.pk}/"
    assert challenge.addressee == town["sector"]
    # the thread shows beside the figure on the indicator page, and on the unit page
    assert f"/dialog/{challenge.pk}/" in client.get("/indikator/visits/S1/").content.decode()
    assert f"/dialog/{challenge.pk}/" in client.get("/enhed/S1/").content.decode()


def test_no_raise_form_where_the_person_may_not_raise(client, town):
    client.force_login(town["director"])
    assert 'action="/dialog/ny/"' not in client.get("/indikator/visits/S1I1/").content.decode()
    client.force_login(town["analyst"])
    assert 'action="/dialog/ny/"' not in client.get("/indikator/visits/S1/").content.decode()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"question": ""}, 400, "må ikke være tom"),
        ({"question": "x" * 4001}, 400, "højst være 4.000"),
        ({"answer_by": "2020-01-01"}, 400, "ligger i fortiden"),
        ({"unit": "S1I1"}, 400, "ét niveau op eller ned"),
        ({"unit": "S3"}, 404, ""),
        ({"indicator": "nope"}, 404, ""),
    ],
)
def test_bad_raises_are_refused_with_a_message(client, town, data, status, message):
    client.force_login(town["director"])
    post = {"indicator": "visits", "unit": "S1", "period": "2025-03", "question": "Hvorfor?"} | data
    response = client.post("/dialog/ny/", post)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Challenge.objects.exists()


def test_a_double_submit_stores_one_challenge(client, town):
    client.force_login(town["director"])
    post = {"indicator": "visits", "unit": "S1", "period": "2025-03", "question": "Hvorfor?"}
    assert client.post("/dialog/ny/", post).status_code == 302
    second = client.post("/dialog/ny/", post)
    assert second.status_code == 400 and "allerede rejst" in second.content.decode()
    assert Challenge.objects.count() == 1


def test_text_is_stored_as_written_and_shown_escaped(client, town, thread):
    assert Challenge.objects.get().question == NASTY
    for person in ("director", "sector"):
        client.force_login(town[person])
        for url in (f"/dialog/{thread.pk}/", "/dialog/", "/enhed/S1/", "/indikator/visits/S1/"):
            html = client.get(url).content.decode()
            assert "<script>alert" not in html and "<b>fed</b>" not in html, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("person", "visible"),
    [
        ("director", True),
        ("sector", True),
        ("institution", True),  # one level below S1
        ("kd", True),  # two levels above
        ("directorate", True),
        ("analyst", True),
        ("nobody", False),
    ],
)
def test_a_thread_is_seen_by_those_who_see_its_unit_and_nobody_else(client, town, thread, person, visible):
    client.force_login(town[person])
    response = client.get(f"/dialog/{thread.pk}/")
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert f"/dialog/{thread.pk}/" in client.get("/enhed/S1/").content.decode()


def test_a_thread_outside_the_view_is_a_404_on_every_route(client, town, thread):
    leader = town["nobody"]
    from driftsblik.organisation.tests.factories import make_leader

    make_leader(leader.email, "S3")  # a sector head in the other area: S1 is outside the view
    client.force_login(leader)
    for method, url in [
        ("get", f"/dialog/{thread.pk}/"),
        ("post", f"/dialog/{thread.pk}/svar/"),
        ("post", f"/dialog/{thread.pk}/opfoelgning/"),
        ("post", f"/dialog/{thread.pk}/handling/"),
        ("get", f"/dialog/ny/?indikator=visits&enhed=S1&periode=2025-03&fra={thread.pk}"),
    ]:
        assert getattr(client, method)(url, {"text": "x"}).status_code == 404, url
    assert "visits" not in client.get("/dialog/").content.decode()
    assert read_table(client.get("/dialog/opfoelgning/?format=xlsx")).rows == []


def test_only_the_addressee_answers_in_the_page(client, town, thread):
    client.force_login(town["director"])
    page = client.get(f"/dialog/{thread.pk}/").content.decode()
    assert f'action="/dialog/{thread.pk}/svar/"' not in page
    response = client.post(f"/dialog/{thread.pk}/svar/", {"text": "Mit svar"})
    assert response.status_code == 400 and "rettet til, kan svare" in response.content.decode()
    thread.refresh_from_db()
    assert thread.status == "open"


def test_the_sector_head_answers_with_an_action_and_the_director_closes(client, town, thread):
    client.force_login(town["sector"])
    page = client.get(f"/dialog/{thread.pk}/").content.decode()
    assert f'action="/dialog/{thread.pk}/svar/"' in page
    assert f'<option value="{town["institution"].pk}">' in page  # the leader below can own the action
    response = client.post(
        f"/dialog/{thread.pk}/svar/",
        {
            "text": "Sygdom i to teams.",
            "action_title": "Vikarplan",
            "action_owner": str(town["institution"].pk),
            "action_due": SOON.isoformat(),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner == town["institution"] and action.title == "Vikarplan"
    # a double submit of the answer is refused
    again = client.post(f"/dialog/{thread.pk}/svar/", {"text": "Sygdom i to teams."})
    assert again.status_code == 400 and "allerede besvaret" in again.content.decode()
    # the owner updates the action
    client.force_login(town["institution"])
    assert client.post(f"/dialog/handling/{action.pk}/", {"status": "under_way"}).status_code == 302
    # the director reads the answer and closes
    client.force_login(town["director"])
    page = client.get(f"/dialog/{thread.pk}/").content.decode()
    assert "Sygdom i to teams." in page and "Vikarplan" in page
    assert client.post(f"/dialog/{thread.pk}/opfoelgning/", {"do": "close", "text": ""}).status_code == 302
    thread.refresh_from_db()
    assert thread.status == "closed"


def test_an_answer_with_a_past_action_date_stores_nothing(client, town, thread):
    client.force_login(town["sector"])
    response = client.post(
        f"/dialog/{thread.pk}/svar/",
        {"text": "Svar", "action_title": "Plan", "action_owner": str(town["sector"].pk), "action_due": "2020-01-01"},
    )
    assert response.status_code == 400 and "ligger i fortiden" in response.content.decode()
    thread.refresh_from_db()
    assert thread.status == "open" and not Action.objects.exists()
    assert list(thread.events.values_list("kind", flat=True)) == ["raised"]


def test_an_action_with_an_impossible_date_is_refused_with_the_field_named(client, town, thread):
    challenge_answer(challenge=thread, by=town["sector"], text="Svar", actions=[])
    client.force_login(town["sector"])
    response = client.post(
        f"/dialog/{thread.pk}/handling/",
        {"action_title": "Vikarplan", "action_owner": str(town["sector"].pk), "action_due": "2026-02-31"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Se felterne nedenfor." in page and "Indtast en gyldig dato." in page
    assert 'value="Vikarplan"' in page  # what was typed is kept
    assert not Action.objects.exists()


def test_reading_a_thread_is_audited(client, town, thread):
    client.force_login(town["kd"])
    client.get(f"/dialog/{thread.pk}/")
    entry = AuditEntry.objects.filter(access="read").get()
    assert entry.user_email == "kd@example.dk" and entry.challenge_id == thread.pk and entry.unit_id_copy == "S1"


def test_the_inbox_and_the_to_me_strip(client, town, thread):
    client.force_login(town["sector"])
    overview = client.get("/").content.decode()
    assert 'data-count="to-answer">1<' in overview
    inbox = client.get("/dialog/").content.decode()
    assert f"/dialog/{thread.pk}/" in inbox
    challenge_answer(
        challenge=thread,
        by=town["sector"],
        text="Svar",
        actions=[{"title": "Plan", "owner": town["sector"], "due": SOON}],
    )
    overview = client.get("/").content.decode()
    assert 'data-count="to-answer">0<' in overview and 'data-count="actions">1<' in overview
    client.force_login(town["director"])
    assert 'data-count="answered">1<' in client.get("/").content.decode()


def test_the_quality_page_and_its_download(client, town, thread):
    challenge_answer(challenge=thread, by=town["sector"], text="Svar")
    client.force_login(town["director"])
    page = client.get("/dialog/opfoelgning/").content.decode()
    assert "Område A1" in page and "Sektor S1" in page
    table = read_table(client.get("/dialog/opfoelgning/?format=xlsx"))
    rows = {row[0]: row for row in table.rows}
    assert rows["Sektor S1"][1:3] == [1, 1]  # one challenge, 100 % answered on time (a real percentage)
    assert rows["Område A1"][1] == 1  # a unit's figures cover its subtree
    assert "Sektor S2" not in rows  # no threads there: counted, not listed
    assert "har ingen udfordringer" in page


def test_the_audit_log_is_exported_by_an_administrator(client, town, thread):
    from driftsblik.organisation.tests.factories import make_user

    admin = make_user("admin@example.dk", superuser=True)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    ids = list(AuditEntry.objects.values_list("pk", flat=True))
    response = client.post(
        "/admin/dialogue/auditentry/", {"action": "export_csv", "_selected_action": [str(i) for i in ids]}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode()
    assert "a1@example.dk;write;raised" in text
    workbook = client.post(
        "/admin/dialogue/auditentry/", {"action": "export_xlsx", "_selected_action": [str(i) for i in ids]}
    )
    table = read_table(workbook)
    assert table.columns == ["when", "person", "access", "what", "thread", "unit"]
    assert ["a1@example.dk", "write", "raised", thread.pk, "S1"] in [row[1:] for row in table.rows]
    assert client.get("/admin/dialogue/auditentry/?access__exact=write").status_code == 200
    assert client.get(f"/admin/dialogue/auditentry/{ids[0]}/delete/").status_code == 403


def test_the_sector_head_passes_a_sub_challenge_down_from_the_thread(client, town, thread):
    client.force_login(town["sector"])
    page = client.get(f"/dialog/{thread.pk}/").content.decode()
    assert '<option value="S1I1">' in page  # the units one level down, to pass the challenge on to
    form = client.get(f"/dialog/ny/?indikator=visits&enhed=S1I1&periode=2025-03&fra={thread.pk}").content.decode()
    assert f'name="parent" value="{thread.pk}"' in form
    post = {"indicator": "visits", "unit": "S1I1", "period": "2025-03", "question": "Hvad ser I?", "parent": thread.pk}
    response = client.post("/dialog/ny/", post)
    assert response.status_code == 302
    sub = Challenge.objects.get(parent=thread)
    assert sub.addressee == town["institution"]
    assert f"/dialog/{sub.pk}/" in client.get(f"/dialog/{thread.pk}/").content.decode()
    # the director sees it too: S1I1 is two levels below the director's area
    client.force_login(town["director"])
    assert client.get(f"/dialog/{sub.pk}/").status_code == 200


def test_staff_who_lead_a_unit_see_only_their_view_in_the_admin(client, town, thread):
    from django.contrib.auth.models import Permission

    from driftsblik.organisation.tests.factories import make_leader

    clerk = make_leader("clerk@example.dk", "S3")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_challenge", "view_auditentry"]))
    client.force_login(clerk)
    assert client.get("/admin/dialogue/challenge/").status_code == 200
    assert client.get(f"/admin/dialogue/challenge/{thread.pk}/change/").status_code in (302, 404)
    assert "a1@example.dk" not in client.get("/admin/dialogue/auditentry/").content.decode()


def _threads(town, n: int) -> Challenge:
    first = None
    for i in range(n):
        challenge = challenge_raise(
            author=town["director"], unit=Unit.objects.get(pk="S1"), indicator=Indicator.objects.get(pk="visits"),
            period="2025-03", question=f"Spørgsmål {i}", answer_by=SOON,
        )  # fmt: skip
        challenge_answer(
            challenge=challenge, by=town["sector"], text="Svar",
            actions=[{"title": f"Plan {i}", "owner": town["institution"], "due": SOON}],
        )  # fmt: skip
        first = first or challenge
    return first


# Queries per dialogue page, pinned: the same for 1 thread in a small tree as for 8 in a larger one.
# each with the one query of reports' middleware (sits the person on a committee?), and for a
# non-analyst the efforts' participants for the suppression pattern
DIALOGUE_QUERIES = {
    ("sector", "/dialog/"): 12,
    ("institution", "/dialog/"): 12,
    ("sector", "thread"): 17,
    ("director", "thread"): 16,
    ("director", "/dialog/opfoelgning/"): 12,
    # + the suppression pattern's participants and whole-tree figures, the kept place, and the units' words
    # beside the figures (one query each for report commentary and for the answers, 1 or 8 of them)
    ("sector", "/enhed/S1/"): 31,
}


@pytest.mark.parametrize("size", [(1, 1, 1), (5, 4, 8)], ids=["small", "larger"])
def test_dialogue_query_counts_do_not_grow_with_threads_or_units(client, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from driftsblik.web.tests.helpers import build_municipality, people

    build_municipality(institutions=size[0], teams=size[1])
    who = people()
    first = _threads(who, size[2])
    counts = {}
    for person, url in DIALOGUE_QUERIES:
        client.force_login(who[person])
        path = f"/dialog/{first.pk}/" if url == "thread" else url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[(person, url)] = len(queries.captured_queries)
    assert counts == DIALOGUE_QUERIES


def test_the_leader_above_sees_what_is_overdue_under_them_after_the_grace_period(client, town, settings):
    import datetime as dt

    from driftsblik.dialogue.models import Challenge as C

    settings.REMINDER_GRACE_DAYS = 3
    challenge = challenge_raise(
        author=town["sector"], unit=Unit.objects.get(pk="S1I1"), indicator=Indicator.objects.get(pk="visits"),
        period="2025-03", question="Hvorfor?",
    )  # fmt: skip
    client.force_login(town["sector"])
    C.objects.filter(pk=challenge.pk).update(answer_by=dt.date.today() - dt.timedelta(days=3))
    assert 'id="escalated"' not in client.get("/dialog/").content.decode()  # within the grace period
    C.objects.filter(pk=challenge.pk).update(answer_by=dt.date.today() - dt.timedelta(days=4))
    page = client.get("/dialog/").content.decode()
    assert 'id="escalated"' in page and f"/dialog/{challenge.pk}/" in page
    client.force_login(town["director"])  # two levels above: not the owner's own leader
    assert 'id="escalated"' not in client.get("/dialog/").content.decode()


def test_the_author_asks_again_with_a_new_date_and_a_past_date_is_refused(client, town, thread):
    from driftsblik.notifications.models import Notification

    challenge_answer(challenge=thread, by=town["sector"], text="Svar")
    client.force_login(town["director"])
    refused = client.post(
        f"/dialog/{thread.pk}/opfoelgning/", {"do": "ask", "text": "Uddyb", "answer_by": "2020-01-01"}
    )
    assert refused.status_code == 400 and "ligger i fortiden" in refused.content.decode()
    later = SOON + dt.timedelta(days=7)
    response = client.post(f"/dialog/{thread.pk}/opfoelgning/", {"do": "ask", "text": "Uddyb", "answer_by": later})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == "open" and thread.answer_by == later
    assert Notification.objects.filter(recipient=town["sector"], key__contains=":asked:").count() == 1
    # the addressee cannot close the author's challenge
    client.force_login(town["sector"])
    assert client.post(f"/dialog/{thread.pk}/opfoelgning/", {"do": "close"}).status_code == 400


def test_the_action_status_form_is_shown_to_whom_the_service_lets_change_it(client, town, thread):
    """The thread asks the policy (`may_update_action`) that `action_update` enforces: the owner and
    the addressee get the form, the author, who may not change it, does not."""
    challenge_answer(
        challenge=thread,
        by=town["sector"],
        text="Svar",
        actions=[{"title": "Ny plan", "owner": town["institution"], "due": SOON}],
    )
    action = Action.objects.get()
    form = f'action="/dialog/handling/{action.pk}/"'
    for person, shown in (("institution", True), ("sector", True), ("director", False)):
        client.force_login(town[person])
        assert (form in client.get(f"/dialog/{thread.pk}/").content.decode()) is shown, person


def test_an_action_is_overdue_while_open_after_its_due_date(client, town, thread):
    challenge_answer(
        challenge=thread,
        by=town["sector"],
        text="Svar",
        actions=[{"title": "Ny plan", "owner": town["institution"], "due": SOON}],
    )
    action = Action.objects.get()
    assert not action.is_overdue(SOON) and action.is_overdue(SOON + dt.timedelta(days=1))
    action.status = Action.Status.DONE
    assert not action.is_overdue(SOON + dt.timedelta(days=1))
    Action.objects.filter(pk=action.pk).update(due=dt.date.today() - dt.timedelta(days=1))
    client.force_login(town["institution"])
    assert "dialogue-overdue" in client.get("/dialog/").content.decode()
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
    assert "dialogue-overdue" not in client.get("/dialog/").content.decode()
