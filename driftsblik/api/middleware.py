"""Every call to the API in the audit log (core.audit) and in the tokens' call log (shown on the
token page), and conditional GET (ETag / If-None-Match) on its answers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag

from driftsblik.api.models import ApiCall, ApiToken
from driftsblik.core.audit import audit_record
from driftsblik.core.models import AuditEntry

API_PREFIX = "/api/v1/"
UNLOGGED = (f"{API_PREFIX}docs", f"{API_PREFIX}openapi.json")  # the documentation: no data, no token


class ApiAuditMiddleware:
    """Logs each API call (who, token, endpoint, status) after it is answered, and gives a GET's
    answer an ETag so a pipeline polling with If-None-Match gets a 304 while nothing changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or request.path.startswith(UNLOGGED):
            return response
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            set_response_etag(response)
            conditional = get_conditional_response(request, etag=response.get("ETag"), response=response)
            if conditional is not None:
                response = conditional
        token = getattr(request, "auth", None)
        token = token if isinstance(token, ApiToken) else None
        method = (request.method or "")[:8]
        audit_record(
            access=AuditEntry.Access.READ if method in ("GET", "HEAD") else AuditEntry.Access.WRITE,
            what="api call",
            user=token.user if token else None,
            request=request,
            subject=token,
            detail=f"{method} {request.get_full_path()} {response.status_code} token {token.name if token else '-'}",
        )
        ApiCall.objects.create(
            at=timezone.now(),
            token=token,
            user=token.user if token else None,
            token_name=token.name if token else "",
            method=method,
            path=request.get_full_path()[:300],
            status=response.status_code,
        )
        return response
