from django.contrib import admin
from django.urls import include, path

from driftsblik.api.api import api

urlpatterns = [
    # before the admin's: /admin/login/ and /admin/logout/ are the app's own sign-on
    path("", include("driftsblik.signon.urls")),
    path("admin/", admin.site.urls),
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

# problem details (RFC 9457) for the API's 400 and 404 raised outside its views; the site's pages elsewhere
handler400 = "driftsblik.api.views.bad_request"
handler404 = "driftsblik.api.views.page_not_found"
# the site's error pages in Danish, in the layout (500 standalone: it works without database or request)
handler403 = "driftsblik.web.errors.permission_denied"
handler500 = "driftsblik.web.errors.server_error"
