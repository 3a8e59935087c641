"""Committee members read their committee's issued reports and nothing else.

A person who is a member of a committee (`Committee.members`, named by the organisation import) and
is not otherwise anyone in Driftsblik (leads no unit, is in no group, is no administrator) sees only
the report list and the issued reports it links to. The home page sends them to their list; every
other page answers 404, as a page outside the rule does for anyone. Signing in and out, and the
language switch, stay open. What they may read on those pages is `reports.access`'s rule.
`request.only_views` names the routes such a person may open (the main menu shows only those);
it is None for everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from driftsblik.organisation.models import Committee, Leadership

OPEN_TO_MEMBERS = {
    "reports:list",
    "reports:issued",
    "reports:issued_pdf",
    "reports:issued_html",
    "reports:issued_slide",
    "reports:changes_between",
    "login",
    "logout",
    "demo-login",
    "sso-start",
    "sso-callback",
    "admin-logout",
    "set_language",
}
SIGN_ON_NAMESPACES = {"signon", "oidc"}  # the sign-on's own routes (login, callback, logout)
HOME = "overview"


def member_only(user: Any) -> bool:
    """A committee member who is nothing else: no unit led today, no group, not staff."""
    if not user.is_authenticated or user.is_superuser or user.is_staff:
        return False
    cached = getattr(user, "_member_only_cache", None)
    if cached is None:  # one query for everyone who sits on no committee
        today = timezone.localdate()
        cached = (
            Committee.members.through.objects.filter(user=user).exists()
            and not user.groups.exists()
            and not Leadership.objects.valid_on(today).filter(user=user).exists()
        )
        user._member_only_cache = cached
    return bool(cached)


class CommitteeMembersMiddleware:
    """Keeps a committee member who is nothing else to their committee's issued reports. Sits after
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.only_views = None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is None or not member_only(request.user):
            return None
        request.only_views = OPEN_TO_MEMBERS  # type: ignore[attr-defined]
        if match.view_name in OPEN_TO_MEMBERS or SIGN_ON_NAMESPACES & set(match.namespaces):
            return None
        if match.view_name == HOME:
            return redirect("reports:list")
        raise Http404("No such page")
