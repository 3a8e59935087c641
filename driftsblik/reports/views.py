"""Committee report pages: the list, the live preview, commentary, issuing, issued reports and changes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from driftsblik.core.periods import Period, PeriodError
from driftsblik.organisation.models import Committee, TaskArea, Unit
from driftsblik.reports import access, cadence, commentary, diff, selectors, services
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.forms import CommentaryForm
from driftsblik.reports.models import IssuedReport, Level, ReportKind
from driftsblik.reports.parts import draft_part
from driftsblik.reports.presentation import snapshot_slides
from driftsblik.reports.render import document_policy, render_document, render_fragment, render_pdf
from driftsblik.ui import presentation as slides
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
    schedule = selectors.schedule_of(committee)
    return cadence.due_for(schedule, kind, period) if schedule else None


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    drafts = access.drafts(user, on=today)
    issued: dict[int, list[IssuedReport]] = {}
    for report in access.issued_readable(user, on=today):
        issued.setdefault(report.committee_id, []).append(report)
    rows = []
    for committee in Committee.objects.filter(pk__in={*drafts, *issued}).order_by("code"):
        schedule = selectors.schedule_of(committee)
        draft = drafts.get(committee.pk)
        entry = {"committee": committee, "schedule": schedule, "preview": draft is not None}
        if schedule and draft is not None:
            entry["next"] = cadence.next_due(schedule, today)
            entry["next_budget"] = (
                cadence.next_due(schedule, today, ReportKind.BUDGET) if schedule.budget_months else None
            )
            entry["rounds"] = [_round(committee, due, today, draft) for due in cadence.open_rounds(schedule, today)]
        entry["issued"] = issued.get(committee.pk, [])
        rows.append(entry)
    owed = commentary.owed_by(user, today=today)
    return render(
        request,
        "reports/list.html",
        {"rows": rows, "owed": owed, "missing": sum(1 for *_, done in owed if not done)},
    )


def _round(committee: Committee, due: cadence.Due, today, draft: access.Draft) -> dict:
    """The commentary round of a draft: every slot for its whole writers, one's own for a part's writer."""
    written = commentary.current(committee=committee, period=str(due.period), kind=due.kind)
    slots = [
        s
        for s in commentary.slots(due=due, committee=committee, on=today)
        if draft.whole or (s.task_area.code, s.unit_id) in draft.parts
    ]
    return {
        "due": due,
        "slots": [(s, written.get((s.task_area.code, s.unit_id))) for s in slots],
        "missing": sum(1 for s in slots if (s.task_area.code, s.unit_id) not in written),
        "issued": commentary.is_issued(committee, due),
    }


def _draft(committee: Committee, period: Period, kind: str, draft: access.Draft) -> dict:
    """The draft's snapshot as the person reads it: whole, or cut down to their own parts."""
    snapshot = build_snapshot(committee=committee, period=period, kind=kind)
    return snapshot if draft.whole else draft_part(snapshot, draft.parts)


@login_required
def preview(request: HttpRequest, code: str, period: str, kind: str) -> HttpResponse:
    committee, draft = access.draft_or_404(request.user, code)
    chosen, kind = _period(period), _kind(kind)
    snapshot = _draft(committee, chosen, kind, draft)
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
            "has_slides": bool(snapshot_slides(snapshot)),
            "report": render_fragment(snapshot),
            "round": _round(committee, due, today, draft) if due else None,
            "secretary": access.is_secretary(request.user),
            "whole": draft.whole,
            "versions": access.issued_readable(request.user).filter(committee=committee, period=str(chosen), kind=kind),
        },
    )


@login_required
def preview_pdf(request: HttpRequest, code: str, period: str, kind: str) -> HttpResponse:
    committee, draft = access.draft_or_404(request.user, code)
    chosen, kind = _period(period), _kind(kind)
    pdf = render_pdf(render_document(_draft(committee, chosen, kind, draft)))
    return download(pdf, file_name(code, chosen, kind, "udkast", extension="pdf"))


@login_required
def write_commentary(
    request: HttpRequest, code: str, period: str, kind: str, task_area: str, unit: str
) -> HttpResponse:
    committee, _ = access.draft_or_404(request.user, code)
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
    initial = {"text": mine.text, "example": mine.example, "challenges": mine.challenges} if mine else None
    choices = [(c.pk, f"{c.indicator.name}: {c.question}") for c in selectors.choosable(task_area=area, on=today)]
    form = CommentaryForm(
        request.POST if request.method == "POST" else None, initial=initial, director=director, choices=choices
    )
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
                challenges=form.cleaned_data.get("challenges") or [],
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
    committee, _ = access.draft_or_404(request.user, code, whole=True)
    chosen, kind = _period(period), _kind(kind)
    if not access.is_secretary(request.user):
        raise PermissionDenied
    issued = services.report_issue(committee=committee, period=chosen, kind=kind, by=request.user)
    return redirect("reports:issued", issued.pk)


def _issued_or_404(request: HttpRequest, pk: int) -> IssuedReport:
    return access.issued_or_404(request.user, pk)


@login_required
def issued(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    versions = access.issued_readable(request.user).filter(
        committee=report.committee, period=report.period, kind=report.kind
    )
    draft = access.drafts(request.user).get(report.committee_id)
    can_preview = draft is not None and draft.whole
    return render(
        request,
        "reports/issued.html",
        {
            "report": report,
            "versions": versions,
            "intact": services.verify(report),
            "can_preview": can_preview,
            "has_slides": bool(snapshot_slides(report.snapshot)),
        },
    )


@login_required
def issued_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    return download(bytes(report.pdf), services.pdf_name(report))


@login_required
def issued_html(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    response = HttpResponse(report.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = document_policy(report.html)  # the site's policy is not written over it
    return response


@login_required
def changes_since(request: HttpRequest, pk: int) -> HttpResponse:
    report = _issued_or_404(request, pk)
    access.draft_or_404(request.user, report.committee.code, whole=True)  # today's figures: the whole draft
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


def _slide_page(request: HttpRequest, snapshot: dict, slide: int, url_of, exit_url: str) -> HttpResponse:
    """Slide `slide` (from 1) of the report's figures; a number outside the deck is a 404."""
    shown = snapshot_slides(snapshot)
    deck = slides.deck_at(
        title=snapshot["title"],
        labels=[s.heading for s in shown],
        position=slide,
        url_of=url_of,
        exit_url=exit_url,
    )
    return render(request, slides.TEMPLATE, {"deck": deck, "slide": shown[slide - 1]})


@login_required
def preview_slide(request: HttpRequest, code: str, period: str, kind: str, slide: int) -> HttpResponse:
    """The draft report as slides, as the person may read the draft (whole, or their own parts)."""
    committee, draft = access.draft_or_404(request.user, code)
    chosen, kind = _period(period), _kind(kind)
    snapshot = _draft(committee, chosen, kind, draft)
    return _slide_page(
        request,
        snapshot,
        slide,
        lambda n: reverse("reports:preview_slide", args=[code, period, kind, n]),
        reverse("reports:preview", args=[code, period, kind]),
    )


@login_required
def issued_slide(request: HttpRequest, pk: int, slide: int) -> HttpResponse:
    """An issued report's frozen figures as slides."""
    report = _issued_or_404(request, pk)
    return _slide_page(
        request,
        report.snapshot,
        slide,
        lambda n: reverse("reports:issued_slide", args=[pk, n]),
        reverse("reports:issued", args=[pk]),
    )
