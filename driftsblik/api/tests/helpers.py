"""Tokens for the test people, and a GET with one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from driftsblik.api.models import Scope
from driftsblik.api.tokens import token_create
from driftsblik.organisation.models import User
from driftsblik.organisation.visibility import today


def token_for(user: Any, scope: str = Scope.READ, *, days: int = 30, name: str = "test") -> str:
    assert isinstance(user, User)
    return token_create(user=user, name=name, scope=scope, expires_on=today() + dt.timedelta(days=days)).secret


def get(client: Client, token: str | None, url: str, **extra: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, **headers, **extra)
