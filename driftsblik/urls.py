from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from driftsblik.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("beskeder/", include("driftsblik.notifications.urls")),
    path("dialog/", include("driftsblik.dialogue.urls")),
    path("budget/", include("driftsblik.budget.urls")),
    path("rapporter/", include("driftsblik.reports.urls")),
    path("indsatser/", include("driftsblik.efforts.urls")),
    path("forloeb/", include("driftsblik.pathways.urls")),
    path("sammenlign/", include("driftsblik.sources.urls")),
    path("api/v1/", api.urls),
    path("api-noegler/", include("driftsblik.api.urls")),
    path("", include("driftsblik.indicators.urls")),
    path("", include("driftsblik.web.urls")),
]
