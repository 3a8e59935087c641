"""Django admin for sources: peer groups are edited here; fetched figures and runs are read-only."""

from __future__ import annotations

from django.contrib import admin

from driftsblik.indicators.admin import ReadOnlyAdmin
from driftsblik.sources.models import ComparisonFigure, PeerGroup, SourceRun


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ("municipality", "name", "codes")
    search_fields = ("municipality", "name", "codes")


@admin.register(SourceRun)
class SourceRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "status", "started_at", "retrieved_at", "created", "updated", "unchanged", "compared")
    list_filter = ("status", "connector", "name")
    search_fields = ("name", "message")


@admin.register(ComparisonFigure)
class ComparisonFigureAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "municipality", "period", "numerator", "denominator", "value", "suppressed", "source")
    list_filter = ("indicator", "suppressed", "synthetic", "period")
    search_fields = ("municipality",)
