"""The audit log's one way in: `audit_record` adds a line; nothing changes or removes one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.http import HttpRequest

from driftsblik.core.models import AuditEntry

if TYPE_CHECKING:
    from driftsblik.organisation.models import User


def client_address(request: HttpRequest | None) -> str:
    """The address the request came from as the server saw it (behind a proxy: the proxy's)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def audit_record(
    *,
    access: str,
    what: str,
    user: User | None = None,
    email: str = "",
    request: HttpRequest | None = None,
    subject: models.Model | None = None,
    unit_id: str = "",
    detail: str = "",
) -> AuditEntry:
    """Add one line to the audit log: who (`user`, or only the `email` given when nobody signed
    in), what (`access` and `what`), about which object and unit, from which address, now."""
    return AuditEntry.objects.create(
        user_id=user.pk if user is not None else None,
        user_email=(user.email if user is not None else email)[:254],
        access=access,
        what=what[:40],
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        unit_id_copy=unit_id,
        address=client_address(request),
        detail=detail[:300],
    )
