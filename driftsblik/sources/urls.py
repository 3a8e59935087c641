from django.urls import path

from driftsblik.sources import views

app_name = "sources"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:code>/", views.indicator, name="indicator"),
]
