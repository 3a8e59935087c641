"""Notifications: what Driftsblik tells a person, in the app and by e-mail, exactly once per event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person about one event (a reminder, an escalation, a new challenge).

    `key` names the event (for example `challenge:12:reminder`); a person gets at most one
    notification per key, which is what makes `driftsblik tick` safe to run twice. The e-mail is
    sent after the row is stored; `emailed_at` stays empty until the mail server has taken it,
    so a failed send is retried by the next tick instead of being lost.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(_("event"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_error = models.CharField(_("e-mail error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
