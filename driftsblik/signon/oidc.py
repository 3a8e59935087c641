"""Single sign-on with OpenID Connect (Authlib's Django client), the authorization code flow.

`start` sends the browser to the provider found in the issuer's discovery document
(DRIFTSBLIK_OIDC_ISSUER + /.well-known/openid-configuration), with state and nonce kept in the
session. `callback` exchanges the code, and Authlib checks the ID token's signature (the provider's
published keys), audience, nonce, expiry (two minutes' leeway) and issuer, which must be the
configured issuer itself, as the discovery document must say too. The person is the active user
whose e-mail equals the DRIFTSBLIK_OIDC_EMAIL_CLAIM claim (case ignored): the people of the
organisation import. Nobody is created: an unknown person gets a page saying whom to ask. With
DRIFTSBLIK_OIDC_GROUPS_CLAIM set, membership of the role groups follows the claim at each sign-on.
Every failure is a line in the audit log, with the reason.
"""

from __future__ import annotations

import functools
import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from joserfc.errors import JoseError

from driftsblik.conf import ROLE_GROUPS
from driftsblik.organisation.models import User
from driftsblik.signon import signals

log = logging.getLogger(__name__)

ID_TOKEN_KEY = "driftsblik_oidc_id_token"  # noqa: S105 - a session key's name, not a secret
NEXT_KEY = "driftsblik_oidc_next"
METHOD = "oidc"


class SignOnRefused(Exception):
    """The provider's answer cannot sign anyone in; `reason` goes to the audit log, `message` to the person."""

    def __init__(self, reason: str, message: str, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.email = email


@functools.cache
def _client(issuer: str, client_id: str, client_secret: str, scopes: str) -> Any:
    oauth = OAuth()
    scope = " ".join(dict.fromkeys(["openid", *scopes.split()]))
    return oauth.register(
        name="driftsblik",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": scope, "timeout": 10},
    )


def client() -> Any:
    """The configured provider's client (one per configuration, its discovery document kept)."""
    return _client(settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, settings.OIDC_SCOPES)


def metadata() -> dict[str, Any]:
    """The discovery document, read once; refused when it names another issuer than the configured one."""
    try:
        document: dict[str, Any] = client().load_server_metadata()
    except Exception as exc:  # noqa: BLE001 - any failure to read it means: no sign-on now
        raise SignOnRefused(
            f"discovery failed: {exc}", _("The sign-on service could not be reached. Try again in a moment.")
        ) from exc
    if document.get("issuer") != settings.OIDC_ISSUER:
        raise SignOnRefused(
            f"wrong issuer in the discovery document: {document.get('issuer')!r}",
            _("The sign-on service did not identify itself as the one Driftsblik is set up for."),
        )
    return document


def _failure(request: HttpRequest, refused: SignOnRefused) -> HttpResponse:
    signals.failed(request, email=refused.email, method=METHOD, reason=refused.reason)
    log.warning("single sign-on refused: %s", refused.reason)
    return render(request, "signon/failed.html", {"message": refused.message}, status=403)


@require_GET
def start(request: HttpRequest) -> HttpResponseBase:
    """Send the browser to the provider's authorization endpoint."""
    from driftsblik.signon.views import safe_next

    if not settings.OIDC_ISSUER:
        return HttpResponseRedirect(reverse("login"))
    try:
        metadata()
    except SignOnRefused as refused:
        return _failure(request, refused)
    request.session[NEXT_KEY] = safe_next(request, request.GET.get("next"))
    response: HttpResponseBase = client().authorize_redirect(
        request, request.build_absolute_uri(reverse("sso-callback"))
    )
    return response


def _email(claims: dict[str, Any]) -> str:
    value = claims.get(settings.OIDC_EMAIL_CLAIM)
    if not isinstance(value, str) or "@" not in value:
        raise SignOnRefused(
            f"no e-mail in the claim {settings.OIDC_EMAIL_CLAIM!r}",
            _("The sign-on service did not say who you are (your e-mail address)."),
        )
    return value.strip()


def _sync_groups(user: User, claims: dict[str, Any]) -> None:
    """Role group membership as the groups claim says (other groups are left alone)."""
    raw = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    values = {str(v).lstrip("/") for v in ([raw] if isinstance(raw, str) else raw)}
    for name in ROLE_GROUPS:
        wanted = set(settings.OIDC_GROUPS.get(name, [name]))
        group, _created = Group.objects.get_or_create(name=name)
        if values & wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: check it, find the person, sign them in."""
    if not settings.OIDC_ISSUER:
        return HttpResponseRedirect(reverse("login"))
    try:
        issuer = metadata()["issuer"]
        try:
            token = client().authorize_access_token(
                request, claims_options={"iss": {"essential": True, "values": [issuer]}}
            )
        except requests.RequestException as exc:
            raise SignOnRefused(
                f"token request failed: {exc}", _("The sign-on service could not be reached. Try again in a moment.")
            ) from exc
        except OAuthError as exc:
            raise SignOnRefused(
                f"provider answer refused: {exc.error}: {exc.description}",
                _("The sign-on was cancelled or could not be completed. Try again."),
            ) from exc
        except JoseError as exc:
            raise SignOnRefused(
                f"ID token refused: {exc}",
                _("The sign-on service's answer could not be trusted (it was expired or not meant for Driftsblik)."),
            ) from exc
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise SignOnRefused("no ID token in the answer", _("The sign-on service did not say who you are."))
        email = _email(claims)
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            return _unknown(request, email)
    except SignOnRefused as refused:
        return _failure(request, refused)
    with transaction.atomic():
        if settings.OIDC_GROUPS_CLAIM:
            _sync_groups(user, claims)
        target = request.session.pop(NEXT_KEY, "") or reverse("overview")
        setattr(request, signals.METHOD_ATTRIBUTE, METHOD)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[ID_TOKEN_KEY] = token.get("id_token", "")
    return HttpResponseRedirect(target)


def _unknown(request: HttpRequest, email: str) -> HttpResponse:
    """Someone the provider knows but Driftsblik does not: no account is made; the page says whom to ask."""
    signals.failed(request, email=email, method=METHOD, reason="unknown person")
    contacts = list(
        User.objects.filter(is_superuser=True, is_active=True).order_by("name", "email").values_list("name", "email")
    )
    context = {"email": email, "contact": settings.SIGNON_CONTACT, "administrators": contacts}
    return render(request, "signon/unknown.html", context, status=403)


def end_session_url(request: HttpRequest) -> str:
    """Where to send the browser to end the provider's session too (RP-initiated logout), or ''
    when the person did not sign on there or the provider has no end-session endpoint."""
    id_token = request.session.get(ID_TOKEN_KEY)
    if not settings.OIDC_ISSUER or not id_token:
        return ""
    try:
        if not metadata().get("end_session_endpoint"):
            return ""
    except SignOnRefused:
        return ""
    result: dict[str, str] = client().create_logout_url(
        post_logout_redirect_uri=request.build_absolute_uri(reverse("login")),
        id_token_hint=id_token,
        client_id=settings.OIDC_CLIENT_ID,
    )
    return result["url"]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ProviderFormActionMiddleware:
    """The sign-out button is a form; after single sign-on its POST is answered with a redirect to the
    provider's end-session endpoint, which the page's Content-Security-Policy (form-action 'self')
    would block. For a person signed on through the provider, each page's policy also allows that
    endpoint's origin (django-csp's per-response update). Sits after django-csp's middleware."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        session = getattr(request, "session", None)
        if settings.OIDC_ISSUER and session is not None and session.get(ID_TOKEN_KEY):
            try:
                endpoint = metadata().get("end_session_endpoint")
            except SignOnRefused:
                endpoint = None
            if endpoint:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), origin(endpoint)]
                response._csp_update = update  # type: ignore[attr-defined]
        return response
