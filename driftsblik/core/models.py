"""What every app shares in the database: the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """The audit log is never changed or deleted, not even by an administrator."""


class AuditEntry(models.Model):
    """One line of the audit log: who signed in or out, failed to, or read or wrote what, and when.

    Append-only, in the model and in the database itself (triggers refuse UPDATE, DELETE and, on
    PostgreSQL, TRUNCATE: core/appendonly.py). Every line is written by `core.audit.audit_record`.
    The person's e-mail and the unit are copied into the row, so the log still says who and where
    when a person or a unit is later removed; `user` keeps the person's id without a database
    constraint for the same reason. `subject_type`/`subject_id` name what was read or written
    (`dialogue.challenge` 12); `address` is the client's address for sign-ins and failures.
    """

    class Access(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("write")
        SIGN_IN = "signin", _("sign-in")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    user_email = models.CharField(_("person"), max_length=254, blank=True)
    access = models.CharField(_("access"), max_length=6, choices=Access.choices)
    what = models.CharField(_("what"), max_length=40)
    subject_type = models.CharField(_("subject"), max_length=60, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    unit_id_copy = models.CharField(_("unit"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        subject = f" {self.subject_type} {self.subject_id}" if self.subject_type else ""
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.user_email} {self.access} {self.what}{subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("audit entries are never deleted")
