"""Issuing a committee report: freeze its figures, text and PDF, and send it to the committee.

    report_issue(committee=..., period=..., kind=..., by=...) -> IssuedReport
    report_deliver(issued=...) -> int

Issuing builds the report from today's data, renders the HTML and the PDF, and stores them with
the figures (the snapshot) and SHA-256 checksums of the PDF and of the snapshot, as the next
version for that committee, period and kind. Earlier versions are never changed; the database
refuses updates. After the commit the PDF is e-mailed to the schedule's recipients.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from driftsblik.core.periods import Period
from driftsblik.organisation.models import Committee, User
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.models import IssuedReport, ReportSchedule
from driftsblik.reports.render import render_document, render_pdf
from driftsblik.ui.downloads import file_name

log = logging.getLogger(__name__)


def canonical(snapshot: dict[str, Any]) -> bytes:
    """The snapshot as the bytes its checksum is taken of (sorted keys, no spaces, UTF-8)."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(issued: IssuedReport) -> bool:
    """True when the stored PDF and snapshot still match the checksums taken when it was issued."""
    pdf_ok = sha256(bytes(issued.pdf)) == issued.pdf_sha256
    return pdf_ok and sha256(canonical(issued.snapshot)) == issued.snapshot_sha256


def pdf_name(issued: IssuedReport) -> str:
    return file_name(issued.committee.code, issued.period, issued.kind, f"v{issued.version}", extension="pdf")


@transaction.atomic
def report_issue(
    *,
    committee: Committee,
    period: Period,
    kind: str,
    by: User | None,
    now: dt.datetime | None = None,
    deliver: bool = True,
) -> IssuedReport:
    """Issue the report as the next version (1 the first time); never overwrites an issued one.

    `deliver=False` stores it without e-mailing the committee (the demo, which has no real recipients).
    """
    now = now or timezone.now()
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    latest = IssuedReport.objects.filter(committee=committee, period=str(period), kind=kind).aggregate(
        v=Max("version")
    )["v"]
    version = (latest or 0) + 1
    snapshot = build_snapshot(committee=committee, period=period, kind=kind)
    snapshot["version"] = version
    snapshot["issued_at"] = now.isoformat(timespec="seconds")
    snapshot["issued_by"] = str(by) if by else ""
    document = render_document(snapshot)
    pdf = render_pdf(document)
    issued = IssuedReport.objects.create(
        committee=committee,
        period=str(period),
        kind=kind,
        version=version,
        issued_at=now,
        issued_by=by,
        title=snapshot["title"],
        html=document,
        pdf=pdf,
        snapshot=snapshot,
        pdf_sha256=sha256(pdf),
        snapshot_sha256=sha256(canonical(snapshot)),
    )
    if deliver:
        transaction.on_commit(lambda: report_deliver(issued=issued))
    return issued


def report_deliver(*, issued: IssuedReport) -> int:
    """E-mail the issued report's PDF to the committee's recipients; how many addresses it went to."""
    schedule = ReportSchedule.objects.filter(committee_id=issued.committee_id).first()
    recipients = schedule.recipient_list if schedule else []
    if not recipients:
        return 0
    version = f" (version {issued.version})" if issued.version > 1 else ""
    message = EmailMessage(
        subject=f"[Driftsblik] {issued.title}{version}",
        body=(
            f"{issued.title}{version} er udsendt. Rapporten er vedhæftet som PDF.\n\n"
            f"Kontrolsum (SHA-256): {issued.pdf_sha256}"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach(pdf_name(issued), bytes(issued.pdf), "application/pdf")
    try:
        message.send()
    except OSError as exc:
        log.warning("report %s could not be e-mailed: %s", issued.pk, exc)
        return 0
    return len(recipients)
