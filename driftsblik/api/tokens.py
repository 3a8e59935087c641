"""Personal access tokens: made, listed, revoked, and checked on every API call.

A token reads `dbk_<prefix>_<secret>`: the prefix (shown in lists) tells a person's tokens apart,
the secret (32 random bytes) is what opens the API. Only the SHA-256 digest of the whole token is
stored, so the database cannot give a token away; a lost token is revoked and a new one made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from driftsblik.api.models import ApiToken, Scope
from driftsblik.core.audit import audit_record
from driftsblik.core.models import AuditEntry
from driftsblik.organisation.models import User

TOKEN_START = "dbk_"  # noqa: S105  # the public start of every token, not a secret


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the stored record and the secret, which is never shown again."""

    token: ApiToken
    secret: str


def max_expiry(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)


@transaction.atomic
def token_create(*, user: User, name: str, scope: str, expires_on: dt.date) -> NewToken:
    """Make a token for `user`: named, `read` or `read+import`, valid to the end of `expires_on`
    (at most DRIFTSBLIK_API_TOKEN_MAX_DAYS from now). Returns the secret once."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."))
    if scope not in Scope.values:
        raise ValidationError(_("Unknown scope."))
    now = timezone.now()
    end = timezone.make_aware(dt.datetime.combine(expires_on, dt.time.max), timezone.get_current_timezone())
    if end <= now:
        raise ValidationError(_("The expiry date must be in the future."))
    if end > max_expiry(now) + dt.timedelta(days=1):
        raise ValidationError(_("A token may live at most %(days)s days.") % {"days": settings.API_TOKEN_MAX_DAYS})
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name[:100], scope=scope, prefix=prefix, digest=_digest(secret), created_at=now, expires_at=end
    )
    audit_record(access=AuditEntry.Access.WRITE, what="api token made", user=user, subject=token, detail=scope)
    return NewToken(token, secret)


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the person's own tokens (a token of someone else does not exist for them)."""
    token = ApiToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(access=AuditEntry.Access.WRITE, what="api token revoked", user=user, subject=token)
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token with this secret (its person active), else None; marks when it was last used."""
    if not raw or not raw.startswith(TOKEN_START):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw)).first()
    now = timezone.now()
    if token is None or not token.active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
