"""Django admin for the organisation: users, units with their spans and leaders, committees, task areas.

Day-to-day changes to the tree go through `driftsblik org import` (validated, history-keeping);
the admin is for administrators who need to look things up or correct a single record.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from driftsblik.organisation.models import Committee, Leadership, TaskArea, Unit, UnitSpan, User


class LeadershipInline(admin.TabularInline[Leadership, User | Unit]):
    model = Leadership
    extra = 0
    autocomplete_fields = ["user", "unit"]


class UnitSpanInline(admin.TabularInline[UnitSpan, Unit]):
    model = UnitSpan
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ["parent"]
    fields = ["valid_from", "valid_to", "parent", "name", "kind"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """People log in by e-mail; `username` is kept equal to it."""

    list_display = ["email", "name", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    inlines = [LeadershipInline]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        (_("Personal info"), {"fields": ["name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "username", "name", "password1", "password2"]}),
    ]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    """A unit with its validity spans (name, kind, parent over time) and its leaders."""

    list_display = ["id", "current_name"]
    search_fields = ["id", "spans__name"]
    inlines = [UnitSpanInline, LeadershipInline]

    @admin.display(description=_("name"))
    def current_name(self, unit: Unit) -> str:
        span = unit.spans.order_by("-valid_from").first()
        return span.name if span else ""


@admin.register(UnitSpan)
class UnitSpanAdmin(admin.ModelAdmin[UnitSpan]):
    list_display = ["unit", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["unit__id", "name", "parent__id"]
    autocomplete_fields = ["unit", "parent"]
    date_hierarchy = "valid_from"


@admin.register(Leadership)
class LeadershipAdmin(admin.ModelAdmin[Leadership]):
    list_display = ["user", "unit", "valid_from", "valid_to"]
    search_fields = ["user__email", "user__name", "unit__id"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class TaskAreaInline(admin.TabularInline[TaskArea, Committee]):
    model = TaskArea
    extra = 0
    fields = ["code", "name"]
    show_change_link = True


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin[Committee]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    filter_horizontal = ["members"]
    inlines = [TaskAreaInline]


@admin.register(TaskArea)
class TaskAreaAdmin(admin.ModelAdmin[TaskArea]):
    list_display = ["code", "name", "committee"]
    list_filter = ["committee"]
    search_fields = ["code", "name"]
    filter_horizontal = ["units"]
    list_select_related = ["committee"]
