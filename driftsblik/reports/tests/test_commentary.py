"""Who writes commentary, the cascading deadlines, and chasing what is missing through `driftsblik tick`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from driftsblik.core.periods import Period
from driftsblik.notifications.models import Notification
from driftsblik.organisation.models import TaskArea, Unit
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.cadence import due_for
from driftsblik.reports.commentary import commentary_write, current, owed_by, slots
from driftsblik.reports.services import report_issue

Q1 = Period.parse("2025Q1")
# 2025Q1: meeting 12 May 2025; units' commentary due 21 April, the director's 28 April


@pytest.fixture
def due(town):
    return due_for(town["schedule"], "status", Q1)


def write(town, due, who, area, unit, text="Tekst", example=""):
    return commentary_write(
        author=town[who],
        committee=town["committee"],
        due=due,
        task_area=TaskArea.objects.get(code=area),
        unit=Unit.objects.get(pk=unit),
        text=text,
        example=example,
    )


@pytest.mark.django_db
def test_slots_bottom_up_with_cascading_deadlines(town, due):
    owed = slots(due=due, committee=town["committee"], on=dt.date(2025, 4, 2))
    rows = [(s.task_area.code, s.unit_id, s.level, s.leader.email, s.due) for s in owed]
    assert rows == [
        ("BES", "S1", "unit", "s1@example.dk", dt.date(2025, 4, 21)),
        ("BES", "A1", "director", "a1@example.dk", dt.date(2025, 4, 28)),
        ("UNG", "S2", "unit", "s2@example.dk", dt.date(2025, 4, 21)),
        ("UNG", "A1", "director", "a1@example.dk", dt.date(2025, 4, 28)),
    ]


@pytest.mark.django_db
def test_budget_follow_ups_are_commented_by_the_directors(town):
    due = due_for(town["schedule"], "budget", Q1)
    owed = slots(due=due, committee=town["committee"], on=dt.date(2025, 4, 2))
    assert [(s.task_area.code, s.unit_id, s.level) for s in owed] == [
        ("BES", "A1", "director"),
        ("UNG", "A1", "director"),
    ]


@pytest.mark.django_db
def test_only_the_responsible_leader_writes_and_history_is_kept(town, due):
    for who in ("sector2", "director", "kd", "secretary", "analyst"):
        with pytest.raises(PermissionDenied):
            write(town, due, who, "BES", "S1")
    write(town, due, "sector", "BES", "S1", "Første udkast")
    write(town, due, "sector", "BES", "S1", "<b>Flere besøg</b> i kvartalet")
    latest = current(committee=town["committee"], period="2025Q1", kind="status")
    assert latest[("BES", "S1")].text == "<b>Flere besøg</b> i kvartalet"  # stored as written
    assert town["committee"].commentaries.count() == 2  # the first is history, not overwritten
    with pytest.raises(ValidationError):
        write(town, due, "sector", "BES", "S1", "Tekst", example="Et eksempel")  # examples are the director's
    with pytest.raises(ValidationError):
        write(town, due, "sector", "BES", "S1", "   ")


@pytest.mark.django_db
def test_the_director_writes_on_top_with_examples_from_operations(town, due):
    write(town, due, "sector", "BES", "S1", "Sektorens kommentar")
    write(town, due, "director", "BES", "A1", "Direktørens kommentar", example="Et forløb.\n\nEt andet forløb.")
    area = build_snapshot(committee=town["committee"], period=Q1)["task_areas"][0]
    assert [(c["level"], c["text"]) for c in area["commentary"]] == [
        ("unit", "Sektorens kommentar"),
        ("director", "Direktørens kommentar"),
    ]
    assert area["commentary"][1]["examples"] == ["Et forløb.", "Et andet forløb."]


@pytest.mark.django_db(transaction=True)
def test_tick_opens_the_round_reminds_and_escalates_each_once(town, smtp_server):
    town["schedule"].budget_months = []  # the status report's round only
    town["schedule"].save()
    due = due_for(town["schedule"], "status", Q1)
    write(town, due, "sector", "BES", "S1", "Skrevet til tiden")

    call_command("tick", "--today", "2025-04-02")  # round open: everyone is asked once
    asked = sorted(n.recipient.email for n in Notification.objects.filter(key__endswith=":opened"))
    assert asked == ["a1@example.dk", "a1@example.dk", "s1@example.dk", "s2@example.dk"]
    assert len(smtp_server) == 4

    call_command("tick", "--today", "2025-04-22")  # S2 missed 21 April: reminded; S1 wrote
    reminders = Notification.objects.filter(key__endswith=":reminder")
    assert [(n.recipient.email, n.key) for n in reminders] == [
        ("s2@example.dk", "report:AUU:2025Q1:status:UNG:S2:reminder")
    ]
    call_command("tick", "--today", "2025-04-22")
    assert len(smtp_server) == 5  # nothing twice
    assert not Notification.objects.filter(key__endswith=":ready").exists()

    call_command("tick", "--today", "2025-05-10")  # past grace: escalated to A1's leader above S2
    escalations = Notification.objects.filter(key__endswith=":escalation").order_by("key")
    assert ("a1@example.dk", "report:AUU:2025Q1:status:UNG:S2:escalation") in [
        (n.recipient.email, n.key) for n in escalations
    ]
    ready = Notification.objects.get(key="report:AUU:2025Q1:status:ready")
    assert ready.recipient == town["secretary"] and "3 kommentarer mangler stadig" in ready.body
    director_reminders = Notification.objects.filter(key__contains=":A1:reminder").count()
    assert director_reminders == 2  # the director's own two commentaries are overdue since 28 April
    sent = len(smtp_server)
    call_command("tick", "--today", "2025-05-10")
    assert len(smtp_server) == sent

    report_issue(committee=town["committee"], period=Q1, kind="status", by=None)
    call_command("tick", "--today", "2025-05-11")  # issued: no more chasing
    assert len(smtp_server) == sent + 1  # only the report itself to the committee


@pytest.mark.django_db
def test_owed_counts_the_missing_in_open_rounds(town, due):
    assert [d.kind for d, *_ in owed_by(town["sector"], today=dt.date(2025, 4, 2))] == ["status"]
    assert sorted(d.kind for d, *_ in owed_by(town["director"], today=dt.date(2025, 4, 2))) == [
        "budget",
        "budget",
        "status",
        "status",
    ]
    town["schedule"].budget_months = []
    town["schedule"].save()
    assert [(d.period, s.unit_id, done) for d, s, done in owed_by(town["sector"], today=dt.date(2025, 4, 2))] == [
        (Q1, "S1", False)
    ]
    write(town, due, "sector", "BES", "S1")
    assert [done for *_, done in owed_by(town["sector"], today=dt.date(2025, 4, 2))] == [True]
    assert owed_by(town["sector"], today=dt.date(2025, 5, 13)) == []  # the meeting has passed


@pytest.mark.django_db
def test_owed_costs_the_same_queries_however_many_committees(town, due):
    """The overview asks this on every page: no query per committee, task area, round or unit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from driftsblik.organisation.tests.factories import make_committee
    from driftsblik.reports.models import ReportSchedule

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            owed_by(town["director"], today=dt.date(2025, 4, 2))
        return len(queries.captured_queries)

    before = count()
    for n in range(4):
        areas = {f"T{n}a": ("A", ["S1"]), f"T{n}b": ("B", ["S2"])}
        committee = make_committee(f"U{n}", f"Udvalg {n}", task_areas=areas)
        ReportSchedule.objects.create(committee=committee, budget_months=[3, 6, 9])
    assert count() == before
    with CaptureQueriesContext(connection) as queries:
        owed_by(town["politician"], today=dt.date(2025, 4, 2))
    assert len(queries.captured_queries) == 1, "a person who leads nothing costs one query"
