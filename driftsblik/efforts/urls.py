from django.urls import path

from driftsblik.efforts import views

app_name = "efforts"
urlpatterns = [
    path("", views.effort_list, name="list"),
    path("<slug:code>/", views.effort_detail, name="detail"),
    path("<slug:code>/deltagere.xlsx", views.participants_export, name="export"),
]
