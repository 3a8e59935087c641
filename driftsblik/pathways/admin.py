from django.contrib import admin
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _

from driftsblik.pathways.models import PathwayQuery
from driftsblik.ui.csvfile import csv_text
from driftsblik.ui.downloads import download, file_name

EXPORT_FIELDS = ("asked_at", "user", "cohort", "start", "months", "unit_id", "action", "cohort_size", "suppressed")


@admin.action(description=_("Download the selected queries as CSV"))
def export_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> FileResponse:
    rows = ([str(getattr(q, f)) for f in EXPORT_FIELDS] for q in queryset.select_related("user"))
    return download(csv_text(EXPORT_FIELDS, rows, delimiter=","), file_name("pathway", "queries", extension="csv"))


@admin.register(PathwayQuery)
class PathwayQueryAdmin(admin.ModelAdmin):
    """The pathway query log: read-only, filterable and downloadable."""

    list_display = ("asked_at", "user", "cohort", "start", "months", "unit_id", "action", "cohort_size", "suppressed")
    list_filter = ("cohort", "action", "suppressed", "asked_at")
    search_fields = ("user__email", "unit_id")
    date_hierarchy = "asked_at"
    actions = [export_csv]
    readonly_fields = [f.name for f in PathwayQuery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
