"""The one htmx partial helper: a page's main part for htmx, the whole page otherwise.

A page template `app/page.html` has its main part beside it as `app/_page_main.html`, which the page
includes. A request made by htmx (`request.htmx`, set by django-htmx's middleware) gets the main part
only, to swap into the page; a history restore (htmx asking for a page it lost from its cache) and any
other request get the whole page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for the main part only (not a history restore, which needs the whole page)."""
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django_htmx.middleware.HtmxMiddleware
    return bool(htmx) and not htmx.history_restore_request


def partial_template(page: str) -> str:
    """'web/overview.html' -> 'web/_overview_main.html'."""
    folder, _, name = page.rpartition("/")
    if not name.endswith(".html"):
        raise ValueError(f"{page!r} is not a page template (.html)")
    partial = f"_{name.removesuffix('.html')}_main.html"
    return f"{folder}/{partial}" if folder else partial


def render_page(request: HttpRequest, page: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """The page, or for an htmx partial request its main part beside it."""
    template = partial_template(page) if is_partial(request) else page
    return render(request, template, context, status=status)
