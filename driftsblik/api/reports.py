"""Issued committee reports the person may read (the reports app's own rule): metadata, the frozen
HTML (with the document's own Content-Security-Policy, as on the site) and the PDF."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from driftsblik.api.read import ERRORS
from driftsblik.api.schemas import ReportOut
from driftsblik.reports import access, services
from driftsblik.reports.models import IssuedReport
from driftsblik.reports.render import document_policy
from driftsblik.ui.downloads import download

router = Router(tags=["reports"])


def _report_out(request: HttpRequest, report: IssuedReport) -> dict[str, object]:
    return {
        "id": report.pk,
        "committee": report.committee.code,
        "committee_name": report.committee.name,
        "period": report.period,
        "kind": report.kind,
        "version": report.version,
        "issued_at": report.issued_at,
        "title": report.title,
        "html": request.build_absolute_uri(reverse("api-v1:report_html", args=[report.pk])),
        "pdf": request.build_absolute_uri(reverse("api-v1:report_pdf", args=[report.pk])),
    }


@router.get("/reports", response={200: list[ReportOut], **ERRORS}, summary="Issued reports / Udsendte rapporter")
def reports(request: HttpRequest) -> list[dict[str, object]]:
    """The issued committee reports the person may read, newest first."""
    readable = access.issued_readable(request.user).order_by("-issued_at", "-pk")  # type: ignore[arg-type]
    return [_report_out(request, r) for r in readable]


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="One report / Én rapport")
def report(request: HttpRequest, report_id: int) -> dict[str, object]:
    return _report_out(request, access.issued_or_404(request.user, report_id))  # type: ignore[arg-type]


@router.get(
    "/reports/{report_id}/html",
    response=ERRORS,
    openapi_extra={"responses": {200: {"description": "OK", "content": {"text/html": {"schema": {"type": "string"}}}}}},
    url_name="report_html",
    summary="The report as frozen HTML / Rapporten som HTML",
)
def report_html(request: HttpRequest, report_id: int) -> HttpResponse:
    issued = access.issued_or_404(request.user, report_id)  # type: ignore[arg-type]
    response = HttpResponse(issued.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = document_policy(issued.html)
    return response


@router.get(
    "/reports/{report_id}/pdf",
    response=ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "OK",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    url_name="report_pdf",
    summary="The report as PDF / Rapporten som PDF",
)
def report_pdf(request: HttpRequest, report_id: int) -> FileResponse:
    issued = access.issued_or_404(request.user, report_id)  # type: ignore[arg-type]
    return download(bytes(issued.pdf), services.pdf_name(issued))
