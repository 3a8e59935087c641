from django.urls import path

from driftsblik.web import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/demo/", views.demo_login, name="demo-login"),
    path("", views.overview, name="overview"),
]
