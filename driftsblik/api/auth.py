"""How a call to the API says who it is: `Authorization: Bearer <token>` (or `X-API-Token`), and
how often one token may call (DRIFTSBLIK_API_RATE)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from driftsblik.api.models import ApiToken
from driftsblik.api.tokens import token_authenticate

TOKEN_HEADER = "X-API-Token"  # noqa: S105  # a header name, not a secret


class TokenAuth(HttpBearer):
    """A personal access token in the Authorization header (`Bearer dbk_...`). Excel's and Power
    BI's "From Web" can send any header; X-API-Token is read too for tools that reserve
    Authorization for their own sign-in."""

    openapi_description = (
        "Personal access token (made on the page 'API-nøgler'). / "
        "Dansk: personlig adgangsnøgle, oprettet på siden 'API-nøgler'."
    )

    def __call__(self, request: HttpRequest) -> Any:
        raw = request.headers.get(TOKEN_HEADER)
        if raw:
            return self.authenticate(request, raw.strip())
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is not None:
            request.user = found.user
        return found


class TokenThrottle(AuthRateThrottle):
    """DRIFTSBLIK_API_RATE calls per token, counted in Django's cache under the token's digest."""

    def __init__(self) -> None:
        super().__init__(settings.API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.API_RATE:  # read at each call, so a changed setting counts at once
            self.rate = settings.API_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str:
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            return self.cache_format % {"scope": "token", "ident": token.digest}
        return str(super().get_cache_key(request))
