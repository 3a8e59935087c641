"""Middleware every app shares."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """What a signed-in person is shown (pages, htmx parts, downloads) is kept by no cache: not by
    a proxy, which could hand it to someone else, and not by the browser, where the next person
    at a shared computer could open it from the history after logging out.

    Sits after AuthenticationMiddleware; static files (WhiteNoise, earlier) stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RefuseNulMiddleware:
    """A NUL character in the address (path or query string) is a 400, before any view reads it:
    PostgreSQL refuses NUL in text, so a view looking it up would answer 500. Form fields refuse
    it themselves (Django's `ProhibitNullCharactersValidator`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("a NUL character in the address")
        return self.get_response(request)
