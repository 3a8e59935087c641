"""The dialogue about a result: challenges (udfordringer), their history, follow-up actions
(handlinger) and the audit log's lines about threads.

A challenge is a question about one indicator at one unit for one month or quarter, raised by a
leader and addressed to the leader of that unit. The addressee answers; the answer may create
follow-up actions and pass sub-challenges down the chain. The author closes the challenge or
asks again. Every change is a new event row with who and when: nothing is overwritten or deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from driftsblik.core import models as core_models

MAX_TEXT = 4000  # characters in a question, an answer, an action's description
MAX_TITLE = 200


class Challenge(models.Model):
    """An udfordring: a leader's question about an indicator at a unit for a month or quarter.

    `addressee` is the unit's leader when the challenge was raised; only they answer. `status`
    follows open -> answered -> closed (or back to open when the author asks again). `parent` is
    the challenge this one was passed down from (a sub-challenge to the next level).
    `answered_at` is the first answer's time, kept for the measure of the follow-up's quality.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting answer")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="challenges")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="challenges")
    period = models.CharField(_("period"), max_length=7)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_raised")
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_received"
    )
    question = models.TextField(_("question"), max_length=MAX_TEXT)
    answer_by = models.DateField(_("answer by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="sub_challenges")
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "indicator", "period"]),
            models.Index(fields=["addressee", "status"]),
            models.Index(fields=["author", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.indicator_id} {self.unit_id} {self.period}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dialogue:thread", args=[self.pk])

    @property
    def period_label(self) -> str:
        """The period in Danish words: 'marts 2025', '1. kvartal 2025'."""
        from driftsblik.core.periods import Period

        return Period.parse(self.period).label_da


class ChallengeEvent(models.Model):
    """One step of a thread, with who and when: raised, answered, asked again, closed, action added."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("raised the challenge")
        ANSWERED = "answered", pgettext_lazy("event", "answered")
        ASKED_AGAIN = "asked_again", _("asked again")
        CLOSED = "closed", _("closed the challenge")
        ACTION = "action", _("added a follow-up action")
        ACTION_STATUS = "action_status", _("changed an action's status")
        PASSED_DOWN = "passed_down", _("passed a challenge on to the next level")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status after"), max_length=10, choices=Challenge.Status.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.challenge_id} {self.kind} by {self.actor_id} at {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class Action(models.Model):
    """A handling: a follow-up action agreed in a thread, with an owner, a due date and a status."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_WAY = "under_way", _("under way")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN_STATUSES = (Status.PLANNED, Status.UNDER_WAY)

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=MAX_TITLE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned")
    due = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, on: dt.date) -> bool:
        """Still open (planned or under way) after its due date."""
        return self.is_open and self.due < on


class ActionEvent(models.Model):
    """One change of an action's status, with who and when and an optional note."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Action.Status.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.status} by {self.actor_id}"


THREAD_SUBJECT = "dialogue.challenge"


class ThreadAuditManager(models.Manager["AuditEntry"]):
    def get_queryset(self) -> models.QuerySet[AuditEntry]:
        return super().get_queryset().filter(subject_type=THREAD_SUBJECT)


class AuditEntry(core_models.AuditEntry):
    """The audit log's lines about threads: who read or wrote which thread, and when.

    A view of the general audit log (`core.AuditEntry`, append-only), written through
    `core.audit.audit_record` like every other line.
    """

    objects: ClassVar[ThreadAuditManager] = ThreadAuditManager()

    class Meta:
        proxy = True
        ordering = ["-at", "-id"]
        verbose_name = _("thread audit entry")
        verbose_name_plural = _("audit log of the threads")

    @property
    def challenge_id(self) -> int | None:
        return int(self.subject_id) if self.subject_id else None
