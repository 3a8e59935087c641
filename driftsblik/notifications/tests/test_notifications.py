"""Notifications: once per event, by e-mail through a real SMTP server, reminders and escalation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from driftsblik.notifications.models import Notification
from driftsblik.notifications.services import DueItem, leader_above, notify, remind_and_escalate, send_pending_email
from driftsblik.organisation.models import Unit
from driftsblik.organisation.tests.factories import make_leader, make_tree, make_user

# Mail goes out when the transaction that stored the notification commits: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

DUE = dt.date(2025, 3, 10)


@pytest.fixture
def chain():
    make_tree({"K": {"A": {"S": ["I"]}}})
    return {
        "director": make_leader("dir@example.dk", "A", name="Direktør"),
        "head": make_leader("chef@example.dk", "S", name="Chef"),
        "institution": make_leader("leder@example.dk", "I", name="Leder"),
    }


def _item(owner, unit_id="I", key="challenge:1"):
    return DueItem(
        key=key,
        owner=owner,
        unit=Unit.objects.get(pk=unit_id),
        due=DUE,
        subject="Svar mangler",
        body="Udfordringen om hjemmeplejetimer venter på dit svar.",
        url="/dialog/1/",
    )


def test_notify_sends_once_per_event_through_smtp(chain, smtp_server, settings):
    settings.BASE_URL = "https://driftsblik.example.dk"
    first = notify(recipient=chain["head"], key="x:1", subject="Ny udfordring", body="Se tallet.", url="/dialog/1/")
    again = notify(recipient=chain["head"], key="x:1", subject="Ny udfordring", body="Se tallet.", url="/dialog/1/")
    assert first is not None and again is None
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["To"] == "chef@example.dk"
    assert message["Subject"] == "[Driftsblik] Ny udfordring"
    assert "https://driftsblik.example.dk/dialog/1/" in message.get_content()
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_leader_above_skips_units_without_a_leader(chain):
    make_tree([("T", "I")])
    assert leader_above("T", on=DUE) == chain["institution"]
    chain["head"].leaderships.all().delete()
    assert leader_above("I", on=DUE) == chain["director"]
    assert leader_above("K", on=DUE) is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE, []),
        (DUE + dt.timedelta(days=1), ["leder@example.dk"]),
        (DUE + dt.timedelta(days=7), ["leder@example.dk"]),
        (DUE + dt.timedelta(days=8), ["leder@example.dk", "chef@example.dk"]),
    ],
)
def test_reminder_on_the_day_after_and_escalation_after_the_grace_period(chain, settings, today, expected):
    settings.REMINDER_GRACE_DAYS = 7
    sent = remind_and_escalate(_item(chain["institution"]), today=today)
    assert [n.recipient.email for n in sent] == expected


def test_reminding_twice_sends_nothing_twice(chain, smtp_server):
    late = DUE + dt.timedelta(days=30)
    assert len(remind_and_escalate(_item(chain["institution"]), today=late)) == 2
    assert remind_and_escalate(_item(chain["institution"]), today=late) == []
    assert len(smtp_server) == 2
    escalation = Notification.objects.get(key="challenge:1:escalation")
    assert escalation.recipient == chain["head"]


def test_the_owners_own_leader_is_never_the_owner(chain):
    # The head of S also leads I: an item at I owned by them escalates past S to the director.
    make_leader("chef@example.dk", "I")
    chain["institution"].leaderships.all().delete()
    sent = remind_and_escalate(_item(chain["head"]), today=DUE + dt.timedelta(days=30))
    assert [n.recipient.email for n in sent] == ["chef@example.dk", "dir@example.dk"]


def test_a_failed_send_is_kept_and_sent_by_the_next_run(chain, settings, smtp_server):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    notification = notify(recipient=chain["head"], key="x:2", subject="Påmindelse", body="Tekst")
    notification.refresh_from_db()
    assert notification.emailed_at is None and notification.email_error
    settings.EMAIL_PORT = port
    assert send_pending_email() == 1
    assert len(smtp_server) == 1
    assert send_pending_email() == 0


def test_tick_command_runs_and_rejects_a_bad_date(chain):
    out = io.StringIO()
    call_command("tick", "--today", "2025-03-20", stdout=out)
    assert "driftsblik tick for 2025-03-20" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("tick", "--today", "20-03-2025")


def test_messages_page_shows_only_ones_own_and_escapes_text(client, chain):
    notify(recipient=chain["head"], key="a", subject="<script>alert(1)</script>", body="<b>fed</b>")
    notify(recipient=chain["director"], key="b", subject="Til direktøren", body="privat")
    client.force_login(chain["head"])
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "Til direktøren" not in html
    mine = Notification.objects.get(key="a")
    others = Notification.objects.get(key="b")
    client.post(reverse("notifications:read"), {"notification": others.pk})
    others.refresh_from_db()
    assert others.read_at is None, "a person cannot mark someone else's message as read"
    client.post(reverse("notifications:read"), {"notification": mine.pk, "next": "//evil.example"})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_unread_count_in_the_menu(client, chain):
    notify(recipient=chain["head"], key="a", subject="Første", body="x")
    notify(recipient=chain["head"], key="b", subject="Anden", body="x")
    client.force_login(chain["head"])
    html = client.get(reverse("notifications:list")).content.decode()
    assert 'class="driftsblik-badge">2<' in html


def test_users_without_email_get_the_in_app_message_only(chain, smtp_server):
    person = make_user("uden-mail@example.dk", name="Uden mail")
    person.email = ""
    person.save()
    assert notify(recipient=person, key="q", subject="s", body="b") is not None
    assert smtp_server == []
