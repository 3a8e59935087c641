"""Reading a person's notifications: their own, and nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet

from driftsblik.notifications.models import Notification
from driftsblik.organisation.models import User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).select_related("unit")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
