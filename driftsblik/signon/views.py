"""Signing on and off.

`/login/`: the single sign-on button when OpenID Connect is configured, the e-mail and password form
when password login is on (DRIFTSBLIK_PASSWORD_LOGIN; django-axes locks an account for an address
after repeated failures), and in demo mode the demo's people. `/login/sso/` and its callback: the
OpenID Connect code flow (signon/oidc.py). `/logout/`: ends the session, and the provider's too when
the person signed on there (RP-initiated logout). `/admin/login/` and `/admin/logout/` lead here: the
admin has no way in of its own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from driftsblik.organisation.models import User
from driftsblik.signon.signals import METHOD_ATTRIBUTE


def safe_next(request: HttpRequest, target: str | None) -> str:
    """`target` when it is a path on this site, else the overview."""
    target = target or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return reverse("overview")
    return target


def demo_people() -> list[dict[str, str]]:
    """The demo's people to log in as: only those `driftsblik demo` created, never a superuser."""
    from driftsblik.web import selectors

    allowed = set(
        User.objects.filter(created_by_demo=True, is_active=True, is_superuser=False).values_list("email", flat=True)
    )
    return [person for person in selectors.demo_leaders() if person["email"] in allowed]


class LoginView(auth_views.LoginView):
    """The sign-in page: single sign-on, password (where it is on) and, in demo mode only, the demo's people."""

    template_name = "signon/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PASSWORD_LOGIN:
            raise Http404("Password login is off")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["password_login"] = settings.PASSWORD_LOGIN
        context["single_sign_on"] = bool(settings.OIDC_ISSUER)
        context["demo_leaders"] = demo_people() if settings.DEMO_MODE else []
        return context


def demo_login(request: HttpRequest) -> HttpResponse:
    """Log in as one of the demo's people without a password: only in demo mode (a 404 otherwise), and
    only people the demo created (`User.created_by_demo`), never a superuser."""
    if not settings.DEMO_MODE:
        raise Http404("Not in demo mode")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    email = (request.POST.get("email") or "").strip()
    user = (
        User.objects.filter(email__iexact=email, is_active=True, created_by_demo=True, is_superuser=False).first()
        if email
        else None
    )
    if user is None:
        raise Http404("No such demo person")
    setattr(request, METHOD_ATTRIBUTE, "demo")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(safe_next(request, request.POST.get("next")))


def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST). After single sign-on the browser goes on to the provider's end-session
    endpoint, which ends the provider's session and sends it back to the sign-in page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    from driftsblik.signon import oidc

    provider_logout = oidc.end_session_url(request)
    logout(request)
    if provider_logout:
        return HttpResponseRedirect(provider_logout)
    return HttpResponseRedirect(reverse("login"))


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in page is the app's: one way in."""
    target = safe_next(request, request.GET.get("next") or reverse("admin:index"))
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a sign-in on a locked account and address: a page saying what to do."""
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() // 60
    return render(request, "signon/locked_out.html", {"minutes": int(minutes)}, status=429)
