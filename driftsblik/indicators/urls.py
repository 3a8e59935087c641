"""The indicator pages, at the site's root like the overview (the names are unnamespaced, as they were)."""

from django.urls import path

from driftsblik.indicators import views

urlpatterns = [
    path("indikatorer/", views.catalogue, name="catalogue"),
    path("enhed/<str:unit_id>/", views.unit, name="unit"),
    path("indikator/<str:code>/<str:unit_id>/", views.indicator, name="indicator"),
    path("eksport/<str:table>/<str:unit_id>/", views.export_table, name="export"),
]
