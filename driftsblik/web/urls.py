from django.urls import path

from driftsblik.web import views

urlpatterns = [
    path("", views.overview, name="overview"),
]
