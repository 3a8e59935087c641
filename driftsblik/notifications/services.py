"""Sending notifications, and the reminder-and-escalation rule shared by challenges, actions and
report commentary.

    notify(recipient=..., key=..., subject=..., body=..., url=..., unit=...) -> Notification | None
    remind_and_escalate(item, today=...) -> list[Notification]
    leader_above(unit_id, on=...) -> User | None    (who leads one unit: organisation.leaders)
    send_pending_email() -> int

The rule: an item that is not done by its due date is reminded to its owner the day after; when
it is still not done `DRIFTSBLIK_REMINDER_GRACE_DAYS` days after the due date, the owner's own
leader (the leader of the nearest unit above the item's unit that has one) is told as well. Each
of those happens once per item, however often `driftsblik tick` runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from driftsblik.notifications.models import Notification
from driftsblik.organisation.leaders import leader_of
from driftsblik.organisation.models import Unit, User
from driftsblik.organisation.tree import tree_on

log = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link for an e-mail: the app's own path on the configured public address."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def notify(
    *, recipient: User, key: str, subject: str, body: str, url: str = "", unit: Unit | None = None
) -> Notification | None:
    """Tell a person about an event, in the app and by e-mail; None when they were already told.

    Idempotent per (recipient, key). The row is committed before the mail is sent, so a crash
    between the two leaves a notification whose e-mail the next `send_pending_email` sends.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, key=key[:200], subject=subject[:200], body=body, url=url, unit=unit
            )
    except IntegrityError:
        return None
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _email(notification))
    else:
        _email(notification)
    return notification


def _email(notification: Notification) -> bool:
    recipient = notification.recipient
    if not recipient.email:
        return False
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{absolute_url(notification.url)}"
    message = EmailMessage(
        subject=f"[Driftsblik] {notification.subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    try:
        message.send()
    except OSError as exc:  # smtplib's errors are OSErrors; the next tick retries
        log.warning("e-mail to %s failed: %s", recipient.email, exc)
        Notification.objects.filter(pk=notification.pk).update(email_error=str(exc)[:500])
        return False
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now(), email_error="")
    return True


def send_pending_email() -> int:
    """Send the e-mails of notifications whose send failed or never happened; how many went."""
    pending = Notification.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")
    return sum(_email(n) for n in pending.select_related("recipient"))


def leader_above(unit_id: str, *, on: dt.date, skip: User | None = None) -> User | None:
    """The leader of the nearest unit above `unit_id` (in the tree valid on `on`) that has one.

    `skip`: a person who does not count (the owner of an item, who may lead the unit above too).
    """
    tree = tree_on(on)
    parent = tree.parent.get(unit_id)
    while parent is not None:
        leader = leader_of(parent, on=on)
        if leader is not None and leader != skip:
            return leader
        parent = tree.parent.get(parent)
    return None


@dataclass(frozen=True)
class DueItem:
    """Something a person owes by a date: an answer, an action, a commentary.

    `key` identifies the item for good (`challenge:12`); the reminder and the escalation get
    their own keys from it. `unit` is where the item lives; escalation goes to the leader above
    it. `escalation_subject`/`escalation_body` default to the reminder's text.
    """

    key: str
    owner: User
    unit: Unit
    due: dt.date
    subject: str
    body: str
    url: str = ""
    escalation_subject: str = ""
    escalation_body: str = ""


def remind_and_escalate(item: DueItem, *, today: dt.date, grace_days: int | None = None) -> list[Notification]:
    """Remind the owner of an overdue item, and after the grace period its leader above; each once."""
    grace = settings.REMINDER_GRACE_DAYS if grace_days is None else grace_days
    sent: list[Notification] = []
    if today <= item.due:
        return sent
    reminder = notify(
        recipient=item.owner,
        key=f"{item.key}:reminder",
        subject=item.subject,
        body=item.body,
        url=item.url,
        unit=item.unit,
    )
    if reminder:
        sent.append(reminder)
    if today > item.due + dt.timedelta(days=grace):
        above = leader_above(item.unit.pk, on=today, skip=item.owner)
        if above is not None:
            escalation = notify(
                recipient=above,
                key=f"{item.key}:escalation",
                subject=item.escalation_subject or item.subject,
                body=item.escalation_body or item.body,
                url=item.url,
                unit=item.unit,
            )
            if escalation:
                sent.append(escalation)
    return sent


def notification_mark_read(*, recipient: User, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications (or all of them) as read; how many changed."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
