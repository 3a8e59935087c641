from django.urls import path

from driftsblik.pathways import views

app_name = "pathways"
urlpatterns = [
    path("", views.cohort, name="cohort"),
    path("eksport/", views.export, name="export"),
]
