"""Every sign-in, sign-out, failed sign-in and lockout becomes a line in the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from driftsblik.core.audit import audit_record
from driftsblik.core.models import AuditEntry

SIGN_IN = AuditEntry.Access.SIGN_IN
# how the person signed in, set on the request by the view that logged them in (else: password)
METHOD_ATTRIBUTE = "driftsblik_signon_method"


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    method = getattr(request, METHOD_ATTRIBUTE, "password") if request is not None else "password"
    audit_record(access=SIGN_IN, what="login", user=user, request=request, detail=method)


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(access=SIGN_IN, what="logout", user=user, request=request)


def _failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")
    audit_record(access=SIGN_IN, what="login_failed", email=email, request=request, detail="password")


def _locked_out(sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any) -> None:
    audit_record(access=SIGN_IN, what="locked_out", email=username or "", request=request, detail="password")


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="driftsblik-audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="driftsblik-audit-logout")
    user_login_failed.connect(_failed, dispatch_uid="driftsblik-audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="driftsblik-audit-locked-out")


def failed(request: HttpRequest, *, email: str, method: str, reason: str) -> None:
    """A sign-on that failed outside Django's authenticate (single sign-on): why, in the audit log."""
    audit_record(access=SIGN_IN, what="login_failed", email=email, request=request, detail=f"{method}: {reason}")
