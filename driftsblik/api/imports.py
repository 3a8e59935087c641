"""Write endpoints for pipelines: monthly observations and targets, as files in the documented
import formats (docs/data-contracts.md), through the same services as `driftsblik observations
import` and `driftsblik targets import`: all or nothing, and a 422 naming every problem's file, row,
column and reason when anything is wrong. The same file twice changes nothing.

Only a token with the scope `read+import` of an analyst or administrator (the people who load data)
may import."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Router
from ninja.files import UploadedFile

from driftsblik.api.models import ApiToken
from driftsblik.api.read import ERRORS
from driftsblik.api.schemas import ImportProblemOut, ImportResult, ProblemOut
from driftsblik.indicators.services import ImportSummary, observations_import, targets_import
from driftsblik.organisation.visibility import sees_everything

router = Router(tags=["import"])
RESPONSES: dict[int, type] = {**ERRORS, 200: ImportResult, 403: ProblemOut, 422: ImportProblemOut}
SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}


def _may_import(request: HttpRequest) -> None:
    token = request.auth  # type: ignore[attr-defined]
    if not isinstance(token, ApiToken) or not token.can_import:
        raise PermissionDenied("this token has the scope read; importing needs read+import")
    if not sees_everything(token.user):
        raise PermissionDenied("only analysts and administrators load data")


def _saved(upload: UploadedFile, directory: str) -> Path:
    """The upload under its own file name (the name problems are reported with)."""
    name = Path(upload.name or "upload.csv").name or "upload.csv"
    if Path(name).suffix.lower() not in SUFFIXES:
        name += ".csv"
    path = Path(directory) / name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _result(summary: ImportSummary) -> dict[str, object]:
    return {
        "file": summary.file,
        "rows": summary.rows,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
    }


@router.post("/imports/observations", response=RESPONSES, summary="Load monthly figures / Indlæs månedstal")
def observations(request: HttpRequest, file: File[UploadedFile]) -> dict[str, object]:
    """A CSV or Excel file with the columns indicator, unit_id, period (YYYY-MM), numerator,
    denominator, sent as multipart form field `file`.

    Dansk: en CSV- eller Excel-fil med kolonnerne indicator, unit_id, period, numerator, denominator."""
    _may_import(request)
    with tempfile.TemporaryDirectory(prefix="driftsblik-api-") as directory:
        path = _saved(file, directory)
        return _result(observations_import(path=path, user=request.user))  # type: ignore[arg-type]


@router.post("/imports/targets", response=RESPONSES, summary="Load targets / Indlæs mål")
def targets(request: HttpRequest, file: File[UploadedFile]) -> dict[str, object]:
    """A CSV or Excel file with the columns indicator, unit_id, year, target, sent as multipart form
    field `file`.

    Dansk: en CSV- eller Excel-fil med kolonnerne indicator, unit_id, year, target."""
    _may_import(request)
    with tempfile.TemporaryDirectory(prefix="driftsblik-api-") as directory:
        path = _saved(file, directory)
        return _result(targets_import(path=path))
