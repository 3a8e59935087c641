"""The site's error pages (Django's handler400/403/404/500): Danish, in the layout, with a way back.

400, 403 and 404 render in the page layout with the menu when the person is signed in. They never
show the exception's message, so a unit outside the person's view answers the same page as a unit
that does not exist. 500 renders a standalone template without context, so it works when the
database or the request is what failed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def _back(request: HttpRequest) -> str:
    """The page the person came from, when it is on this site and not the failing page itself."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return "" if referer == request.build_absolute_uri() else referer


def _page(request: HttpRequest, status: int, template: str = "") -> HttpResponse:
    try:
        back = _back(request)
    except Exception:  # noqa: BLE001 (a bad Host header must not turn an error page into another error)
        back = ""
    body = loader.render_to_string(template or f"web/errors/{status}.html", {"back": back}, request=request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (settings.CSRF_FAILURE_VIEW): usually a page left open
    across a new login, or cookies turned off."""
    return _page(request, 403, "web/errors/403_csrf.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(loader.get_template("web/errors/500.html").render(), status=500)
