"""The log of pathway queries: who looked at which cohort, when, and how large it was."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PathwayQuery(models.Model):
    """One pathway query run from the web app (a page view or a download), kept for audit.

    Pathways are computed over person-level registers, so every query is logged: the person, the
    cohort kind and its parameters, when, and the result's size (the cohort's persons) and
    whether the counts were shown suppressed. Append-only: a logged query is never changed or
    deleted through the application.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pathway_queries", verbose_name=_("user")
    )
    asked_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    cohort = models.CharField(_("cohort"), max_length=40, db_index=True)
    start = models.CharField(_("start"), max_length=10)
    months = models.PositiveSmallIntegerField(_("months"))
    unit_id = models.CharField(_("unit"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=20, default="view")
    cohort_size = models.PositiveIntegerField(_("cohort size"), null=True, blank=True)
    suppressed = models.BooleanField(_("suppressed"), default=True)
    registers = models.CharField(_("registers"), max_length=500, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("pathway query")
        verbose_name_plural = _("pathway queries")

    def __str__(self) -> str:
        return f"{self.asked_at:%Y-%m-%d %H:%M} {self.user}: {self.cohort} {self.start}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a logged pathway query is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("a logged pathway query is never deleted")
