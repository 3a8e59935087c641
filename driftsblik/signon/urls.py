from django.urls import path

from driftsblik.signon import oidc, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/demo/", views.demo_login, name="demo-login"),
    path("login/sso/", oidc.start, name="sso-start"),
    path("login/sso/callback/", oidc.callback, name="sso-callback"),
    path("logout/", views.logout_view, name="logout"),
    path("admin/login/", views.admin_login, name="admin-login"),
    path("admin/logout/", views.logout_view, name="admin-logout"),
]
