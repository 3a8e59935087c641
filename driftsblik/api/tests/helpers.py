"""A town with leaders and figures (the page tests' municipality) and tokens for its people."""

from __future__ import annotations

import datetime as dt

from driftsblik.api.models import Scope
from driftsblik.api.tokens import token_create
from driftsblik.organisation.visibility import today


def token_for(user, scope: str = Scope.READ, *, days: int = 30, name: str = "test") -> str:
    return token_create(user=user, name=name, scope=scope, expires_on=today() + dt.timedelta(days=days)).secret


def get(client, token: str | None, url: str, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, **headers, **extra)
