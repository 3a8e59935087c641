from django.urls import path

from driftsblik.api import views

app_name = "api-tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:token_id>/tilbagekald/", views.revoke, name="revoke"),
]
