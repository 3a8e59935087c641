"""The whole audit log in Django's admin: read-only, for administrators (who see everything)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from driftsblik.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "user_email", "access", "what", "subject_type", "subject_id", "unit_id_copy", "address")
    list_filter = ("access", "what", "at")
    search_fields = ("user_email", "unit_id_copy", "subject_id", "address")
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
