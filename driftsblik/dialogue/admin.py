"""The audit log in Django's admin: read-only, filterable, exportable as CSV or Excel.

Challenges and actions are shown read-only too: they change only through the services, so that
every change has its event row and audit entry.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from driftsblik.dialogue import export
from driftsblik.dialogue.models import Action, AuditEntry, Challenge
from driftsblik.dialogue.policy import thread_units


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only, and narrowed by the visibility rule like every other read (administrators see all)."""

    def visible_filter(self, request: HttpRequest) -> dict:
        return {"unit_id__in": thread_units(request.user)}

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(**self.visible_filter(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "user_email", "access", "what", "challenge_id", "unit_id_copy")
    list_filter = ("access", "what", "at", "unit_id_copy")
    search_fields = ("user_email", "unit_id_copy", "subject_id")
    date_hierarchy = "at"
    actions = ["export_csv", "export_xlsx"]

    def visible_filter(self, request: HttpRequest) -> dict:
        return {"unit_id_copy__in": thread_units(request.user)}

    @admin.action(description=_("Export the selected entries as CSV"))
    def export_csv(self, request, queryset):
        return export.audit_csv(queryset.order_by("at", "id"))

    @admin.action(description=_("Export the selected entries as Excel"))
    def export_xlsx(self, request, queryset):
        return export.audit_xlsx(request.user, queryset.order_by("at", "id"))

    def get_actions(self, request):
        # Export is allowed though change and delete are not.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ("id", "indicator", "unit", "period", "author", "addressee", "status", "answer_by", "created_at")
    list_filter = ("status",)
    search_fields = ("unit__id", "indicator__code", "author__email", "addressee__email")


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    def visible_filter(self, request: HttpRequest) -> dict:
        return {"challenge__unit_id__in": thread_units(request.user)}

    list_display = ("id", "title", "owner", "due", "status")
    list_filter = ("status",)
