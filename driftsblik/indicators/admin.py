"""Django admin for indicators: definitions and targets are editable; figures and their history read-only.

Observations change only through imports and the engine (services), so their revisions and
import batches stay a true record; the admin lists them with filters for analysts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from driftsblik.indicators.models import ImportBatch, Indicator, Observation, ObservationRevision, Target


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Lists and shows records; never adds, changes or deletes them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ("code", "name", "kind", "measure", "temporal", "direction", "task_area", "key", "person_based")
    list_filter = ("kind", "measure", "temporal", "direction", "key", "person_based", "task_area")
    search_fields = ("code", "name", "description", "owner")
    list_select_related = ("task_area",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin[Target]):
    list_display = ("indicator", "unit", "year", "value")
    list_filter = ("year", "indicator")
    search_fields = ("indicator__code", "unit__id")
    list_select_related = ("indicator", "unit")
    raw_id_fields = ("unit",)


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "unit", "period", "numerator", "denominator", "loaded_at", "source")
    list_filter = ("indicator", "period", "source")
    search_fields = ("unit__id", "indicator__code")
    date_hierarchy = "period"
    list_select_related = ("indicator", "unit")
    show_full_result_count = False


@admin.register(ObservationRevision)
class ObservationRevisionAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "unit", "period", "numerator", "denominator", "loaded_at", "replaced_at", "source")
    list_filter = ("indicator", "replaced_at")
    search_fields = ("unit__id", "indicator__code")
    list_select_related = ("indicator", "unit")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "file_name", "rows", "created_by")
    list_filter = ("kind",)
    list_select_related = ("created_by",)
