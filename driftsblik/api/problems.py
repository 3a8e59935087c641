"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail,
and for a refused import every problem with file, row, column and reason."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from driftsblik.core.tabular import Problem

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def problem(status: int, detail: str, **extra: Any) -> HttpResponse:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail, **extra}
    return HttpResponse(json.dumps(body, default=str), status=status, content_type=PROBLEM_TYPE)


def import_problems(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    return [{"file": p.file, "row": p.row, "column": p.column, "reason": p.reason} for p in problems]
