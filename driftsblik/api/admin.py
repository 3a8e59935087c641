"""Tokens and their calls in Django's admin, for administrators: every person's tokens (no secret
is ever stored, only its digest), revocable; the call log read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from driftsblik.api.models import ApiCall, ApiToken
from driftsblik.api.tokens import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope", "revoked_at")
    search_fields = ("name", "user__email", "prefix")
    readonly_fields = ("user", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token is made by its person, on the page, where its secret is shown once

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, never deleted: the call log keeps naming it

    @admin.action(description=_("Revoke the chosen tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()):
            token_revoke(user=token.user, token_id=token.pk)


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin[ApiCall]):
    list_display = ("at", "user", "token_name", "method", "path", "status")
    list_filter = ("status", "method")
    search_fields = ("user__email", "token_name", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
