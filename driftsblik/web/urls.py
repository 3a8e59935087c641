from django.urls import path

from driftsblik.web import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("praesentation/<str:code>/<str:unit_id>/", views.indicator_slide, name="presentation"),
]
