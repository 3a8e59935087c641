"""The page 'API-nøgler': a person makes, sees and revokes their personal access tokens.

A new token's secret is shown once, on the page that answers the form (never stored, never in a
redirect or a message)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from driftsblik.api import problems
from driftsblik.api.forms import TokenForm
from driftsblik.api.middleware import API_PREFIX
from driftsblik.api.models import ApiCall, ApiToken
from driftsblik.api.tokens import token_create, token_revoke, tokens_of
from driftsblik.organisation.visibility import sees_everything, today
from driftsblik.web import errors

RECENT_CALLS = 20


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_import = sees_everything(user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None, may_import=may_import, today=today())
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = token_create(
                user=user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm(may_import=may_import, today=today())
    context = {
        "form": form,
        "created": created,
        "tokens": list(tokens_of(user)),  # type: ignore[arg-type]
        "now": timezone.now(),
        "calls": list(ApiCall.objects.filter(user=user).select_related("token")[:RECENT_CALLS]),
        "docs_url": reverse("api-v1:openapi-view"),
    }
    response = render(request, "api/tokens.html", context, status=201 if created else 200)
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token_revoke(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    except ApiToken.DoesNotExist:
        raise Http404("No such token") from None
    return HttpResponseRedirect(reverse("api-tokens:list"))


def _api_path(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (raised before any view, e.g. a NUL in the address): problem details under
    /api/v1/, the site's page elsewhere."""
    if _api_path(request):
        return problems.problem(400, "The request is not valid")
    return errors.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 for an address no route knows: problem details under /api/v1/, the site's page
    elsewhere."""
    if _api_path(request):
        return problems.problem(404, "No such endpoint")
    return errors.page_not_found(request, exception)
