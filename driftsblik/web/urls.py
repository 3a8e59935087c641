from django.urls import path

from driftsblik.web import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enhed/<str:unit_id>/", views.unit, name="unit"),
    path("indikator/<str:code>/<str:unit_id>/", views.indicator, name="indicator"),
    path("eksport/<str:table>/<str:unit_id>/", views.export_table, name="export"),
]
