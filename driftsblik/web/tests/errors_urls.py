"""The site's addresses plus two that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from driftsblik.urls import handler400, handler403, handler404, handler500
from driftsblik.urls import urlpatterns as site

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("a reason only for the log")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("test-forbidden/", forbidden), path("test-broken/", broken), *site]
