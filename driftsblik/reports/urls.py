from django.urls import path

from driftsblik.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("udsendt/<int:pk>/", views.issued, name="issued"),
    path("udsendt/<int:pk>/pdf/", views.issued_pdf, name="issued_pdf"),
    path("udsendt/<int:pk>/html/", views.issued_html, name="issued_html"),
    path("udsendt/<int:pk>/aendringer/", views.changes_since, name="changes_since"),
    path("udsendt/<int:pk>/praesentation/<int:slide>/", views.issued_slide, name="issued_slide"),
    path("udsendt/<int:pk>/mod/<int:other>/", views.changes_between, name="changes_between"),
    path("<str:code>/<str:period>/<str:kind>/", views.preview, name="preview"),
    path("<str:code>/<str:period>/<str:kind>/pdf/", views.preview_pdf, name="preview_pdf"),
    path("<str:code>/<str:period>/<str:kind>/udsend/", views.issue, name="issue"),
    path("<str:code>/<str:period>/<str:kind>/praesentation/<int:slide>/", views.preview_slide, name="preview_slide"),
    path(
        "<str:code>/<str:period>/<str:kind>/kommentar/<str:task_area>/<str:unit>/",
        views.write_commentary,
        name="commentary",
    ),
]
