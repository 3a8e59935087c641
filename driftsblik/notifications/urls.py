from django.urls import path

from driftsblik.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("laest/", views.notification_read, name="read"),
]
