"""Personal access tokens to the API and the log of every call made with one.

A token belongs to one person: it sees what that person sees (the visibility rule) and nothing
more. A token for a pipeline is a token of the named person responsible for the pipeline. Only a
SHA-256 digest of the secret is stored; the secret is shown once, when the token is made.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("read")
    IMPORT = "read+import", _("read and import")


class ApiToken(models.Model):
    """A personal access token: a name, a scope (`read`, or `read+import` for pipelines that
    deliver figures), an expiry; revoked by setting `revoked_at`, never deleted, so the call log
    keeps naming it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=16, unique=True)  # shown in lists so a person can tell tokens apart
    digest = models.CharField(max_length=64, unique=True)  # sha256 of the whole secret, hex
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token {self.pk} ({self.name})"

    @property
    def can_import(self) -> bool:
        return self.scope == Scope.IMPORT

    def active(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment


class ApiCall(models.Model):
    """One call to the API: who, with which token, which endpoint, and the status answered.

    Calls without a valid token are logged too (token and user empty), so refused attempts show."""

    at = models.DateTimeField()
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.PROTECT, related_name="calls")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_name = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["token", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"
