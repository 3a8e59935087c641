from django.urls import path

from driftsblik.budget import views

app_name = "budget"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("enhed/<str:unit_id>/", views.unit, name="unit"),
    path("eksport/<str:unit_id>/", views.export_table, name="export"),
]
