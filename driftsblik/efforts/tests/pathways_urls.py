"""A URLconf with only a pathways cohort page, to test the effort page's link to it."""

from django.http import HttpResponse
from django.urls import include, path

cohort_patterns = ([path("", lambda request: HttpResponse(), name="cohort")], "pathways")
urlpatterns = [path("forloeb/", include(cohort_patterns))]
