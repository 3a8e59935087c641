"""Schedules are edited in the admin; commentary and issued reports are read-only there."""

from __future__ import annotations

from django.contrib import admin

from driftsblik.reports.models import Commentary, IssuedReport, ReportSchedule


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ("committee", "cadence", "meeting_offset_weeks", "unit_deadline_days", "director_deadline_days")
    filter_horizontal = ("indicators",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Commentary)
class CommentaryAdmin(ReadOnlyAdmin):
    list_display = ("committee", "period", "kind", "task_area", "unit", "level", "author", "written_at")
    list_filter = ("committee", "period", "kind")


@admin.register(IssuedReport)
class IssuedReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "committee", "period", "kind", "version", "issued_at", "issued_by")
    list_filter = ("committee", "kind")
    exclude = ("pdf", "html")
