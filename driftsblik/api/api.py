"""The versioned REST API, /api/v1/: one NinjaAPI, its routers, and errors as problem details.

Built on django-ninja: the OpenAPI 3 document comes from the endpoints' type hints and pydantic
schemas (pydantic is already one of our dependencies), with its Swagger UI served from the
package's own static files. Django REST framework with drf-spectacular would do the same with
serializers written beside the schemas and a second package for the UI assets.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import Throttled as NinjaThrottled

from driftsblik.api import problems
from driftsblik.api.auth import TokenAuth, TokenThrottle
from driftsblik.core.tabular import ImportRejected

DESCRIPTION = """\
Driftsblik's figures for the municipality's data team, and the door for its pipelines.

Every call carries a personal access token (`Authorization: Bearer dbk_...`), made on the page
*API-nøgler*. A token sees exactly what its person sees on the pages: the same units (a unit outside
the view is a 404), the same roll-up, the same hidden small numbers (`<5`, `x`). Periods are
`YYYY-MM` (a month), `YYYYQn` (a quarter) or `YYYY` (a budget year); dates are ISO dates. Errors
are RFC 9457 problem details. See docs/api.md for Power BI, Excel, Python and curl.

Dansk: Driftsbliks tal til kommunens datateam og indgangen for dets dataleverancer. Hvert kald
bærer en personlig adgangsnøgle; nøglen ser præcis det, dens person ser på siderne.
"""


class DriftsblikAPI(NinjaAPI):
    """The NinjaAPI whose document says what the errors are: problem details (RFC 9457) with the
    content type `application/problem+json`, as they are sent."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(*args, **kwargs)
        for operations in document["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.PROBLEM_TYPE: content["application/json"]}
        return document


api = DriftsblikAPI(
    title="Driftsblik API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    docs_url="/docs/",
)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problems.problem(404, str(exc) or "Not found")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problems.problem(403, str(exc) or "Forbidden")


@api.exception_handler(BadRequest)
def _bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problems.problem(400, str(exc) or "Bad request")


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = problems.problem(401, "A valid, unexpired, unrevoked token is needed (Authorization: Bearer ...)")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(NinjaThrottled)
def _throttled(request: HttpRequest, exc: NinjaThrottled) -> HttpResponse:
    response = problems.problem(429, "Too many calls with this token; try again later")
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"location": ".".join(str(p) for p in e.get("loc", [])), "reason": e.get("msg", "")} for e in exc.errors]
    # a 400, not a 422: 422 is kept for an import file's problems (ImportProblemOut), which a
    # pipeline reads row by row
    return problems.problem(400, "The request's parameters are not valid", errors=errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problems.problem(exc.status_code, str(exc))


@api.exception_handler(ImportRejected)
def _rejected(request: HttpRequest, exc: ImportRejected) -> HttpResponse:
    return problems.problem(
        422, f"{len(exc.problems)} problem(s); nothing was stored", errors=problems.import_problems(exc.problems)
    )


def _routers() -> None:
    from driftsblik.api import dialogue, efforts, imports, read, reports, table

    api.add_router("/", read.router)
    api.add_router("/", table.router)
    api.add_router("/", dialogue.router)
    api.add_router("/", reports.router)
    api.add_router("/", efforts.router)
    api.add_router("/", imports.router)


_routers()
