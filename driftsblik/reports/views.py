"""Committee report pages: the list, the live preview, commentary, issuing, issued reports and changes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from driftsblik.core.periods import Period, PeriodError
from driftsblik.organisation.models import Committee, TaskArea, Unit
from driftsblik.reports import access, cadence, commentary, diff, services
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.forms import CommentaryForm
from driftsblik.reports.models import IssuedReport, Level, ReportKind, ReportSchedule
from driftsblik.reports.render import render_document, render_fragment, render_pdf
from driftsblik.ui.downloads import download, file_name


def _period(text: str) -> Period:
    try:
        return cadence.report_period(text)
    except (PeriodError, ValueError):
        raise Http404("No such period") from None


def _kind(text: str) -> str:
    if text not in ReportKind.values:
        raise Http404("No such kind of report")
    return text


def _due(committee: Committee, kind: str, period: Period) -> cadence.Due | None:
    schedule = ReportSchedule.objects.filter(committee=committee).select_related("committee").first()
    return cadence.due_for(schedule, kind, period) if schedule else None


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    previewable = {c.pk for c in access.previewable(user)}
    rows = []
    for committee in access.readable(user):
        schedule = ReportSchedule.objects.filter(committee=committee).select_related("committee").first()
        entry = {"committee": committee, "schedule": schedule, "preview": committee.pk in previewable}
        if schedule and entry["preview"]:
            entry["next"] = cadence.next_due(schedule, today)
            entry["next_budget"] = (
                cadence.next_due(schedule, today, ReportKind.BUDGET) if schedule.budget_months else None
            )
            entry["rounds"] = [_round(committee, due, today) for due in cadence.open_rounds(schedule, today)]
        entry["issued"] = IssuedReport.objects.filter(committee=committee).defer("html", "pdf", "snapshot")
        rows.append(entry)
    owed = commentary.owed_by(user, today=today)
    return render(
        request,
        "reports/list.html",
        {"rows": rows, "owed": owed, "missing": sum(1 for *_, done in owed if not done)},
    )


def _round(committee: Committee, due: cadence.Due, today) -> dict:
    written = commentary.current(committee=committee, period=str(due.period), kind=due.kind)
    slots = commentary.slots(due=due, committee=committee, on=today)
    return {
        "due": due,
        "slots": [(s, written.get((s.task_area.code, s.unit_id))) for s in slots],
        "missing": sum(1 for s in slots if (s.task_area.code, s.unit_id) not in written),
        "issued": commentary.is_issued(committee, due),
    }


@login_required
def preview(request: HttpRequest, code: str, period: str, kind: str) -> HttpResponse:
    committee = access.preview_or_404(request.user, code)
    chosen, kind = _period(period), _kind(kind)
    snapshot = build_snapshot(committee=committee, period=chosen, kind=kind)
    due = _due(committee, kind, chosen)
    today = timezone.localdate()
    return render(
        request,
        "reports/preview.html",
        {
            "committee": committee,
            "period": chosen,
            "kind": kind,
            "due": due,
            "snapshot": snapshot,
            "report": render_fragment(snapshot),
            "round": _round(committee, due, today) if due else None,
            "secretary": access.is_secretary(request.user),
            "versions": IssuedReport.objects.filter(committee=committee, period=str(chosen), kind=kind).defer(
                "html", "pdf", "snapshot"
            ),
        },
    )


@login_required
def preview_pdf(request: HttpRequest, code: str, period: str, kind: str) -> HttpResponse:
    committee = access.preview_or_404(request.user, code)
    chosen, kind = _period(period), _kind(kind)
    pdf = render_pdf(render_document(build_snapshot(committee=committee, period=chosen, kind=kind)))
    return download(pdf, file_name(code, chosen, kind, "udkast", extension="pdf"))


@login_required
def write_commentary(
    request: HttpRequest, code: str, period: str, kind: str, task_area: str, unit: str
) -> HttpResponse:
    committee = access.preview_or_404(request.user, code)
    chosen, kind = _period(period), _kind(kind)
    due = _due(committee, kind, chosen)
    if due is None:
        raise Http404("No such report")
    area = get_object_or_404(TaskArea, code=task_area, committee=committee)
    today = timezone.localdate()
    slot = next(
        (
            s
            for s in commentary.slots(due=due, committee=committee, on=today)
            if s.task_area.pk == area.pk and s.unit_id == unit
        ),
        None,
    )
    if slot is None:
        raise Http404("No such commentary")
    if slot.leader is None or slot.leader.pk != request.user.pk:
        raise PermissionDenied
    written = commentary.current(committee=committee, period=str(chosen), kind=kind)
    mine = written.get((area.code, unit))
    director = slot.level == Level.DIRECTOR
    below = [c for (ta, u), c in written.items() if ta == area.code and c.level == Level.UNIT] if director else []
    initial = {"text": mine.text, "example": mine.example} if mine else None
    form = CommentaryForm(request.POST if request.method == "POST" else None, initial=initial, director=director)
    if request.method == "POST" and form.is_valid():
        try:
            commentary.commentary_write(
                author=request.user,
                committee=committee,
                due=due,
                task_area=area,
                unit=get_object_or_404(Unit, pk=unit),
                text=form.cleaned_data["text"],
                example=form.cleaned_data.get("example", ""),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("reports:preview", code, str(chosen), kind)
    history = commentary.history(committee=committee, period=str(chosen), kind=kind, task_area=area, unit_id=unit)
    return render(
        request,
        "reports/commentary.html",
        {"committee": committee, "due": due, "slot": slot, "form": form, "below": below, "history": history},
    )


@require_POST
@login_required
def issue(request: HttpRequest, code: str, period: str, kind: str) -> HttpResponse:
    committee = access.preview_or_404(request.user, code)
    chosen, kind = _period(period), _kind(kind)
    if not access.is_secretary(request.user):
        raise PermissionDenied
    issued = services.report_issue(committee=committee, period=chosen, kind=kind, by=request.user)
    return redirect("reports:issued", issued.pk)


def _issued_or_404(request: HttpRequest, pk: int) -> IssuedReport:
    issued = get_object_or_404(IssuedReport.objects.select_related("committee", "issued_by"), pk=pk)
    access.issued_or_404(request.user, issued.committee.code)
    return issued


@login_required
def issued(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    versions = IssuedReport.objects.filter(committee=report.committee, period=report.period, kind=report.kind).defer(
        "html", "pdf", "snapshot"
    )
    can_preview = report.committee in access.previewable(request.user)
    return render(
        request,
        "reports/issued.html",
        {"report": report, "versions": versions, "intact": services.verify(report), "can_preview": can_preview},
    )


@login_required
def issued_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    return download(bytes(report.pdf), services.pdf_name(report))


@login_required
def issued_html(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    return HttpResponse(report.html, content_type="text/html; charset=utf-8")


@login_required
def changes_since(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    access.preview_or_404(request.user, report.committee.code)
    today = build_snapshot(committee=report.committee, period=_period(report.period), kind=report.kind)
    return render(
        request,
        "reports/changes.html",
        {"report": report, "other": None, "changes": diff.compare(report.snapshot, today)},
    )


@login_required
def changes_between(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    against = _issued_or_404(request, other)
    if against.committee_id != report.committee_id:
        raise Http404("Not the same committee")
    return render(
        request,
        "reports/changes.html",
        {"report": report, "other": against, "changes": diff.compare(report.snapshot, against.snapshot)},
    )
