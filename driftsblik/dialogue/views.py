"""The dialogue's pages: the inbox, a thread, raising, answering, following up, actions, the quality page.

Views are thin: they parse the form, call one service and redirect; a refusal (`DialogueError`)
re-renders the page with the message and status 400, and nothing is stored. Every thread is
read through `selectors.thread_or_404`: outside the person's view it does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from driftsblik.core.periods import Period
from driftsblik.dialogue import selectors, services
from driftsblik.dialogue.forms import ActionStatusForm, AnswerForm, FollowUpForm, RaiseForm
from driftsblik.dialogue.models import Action, AuditEntry, Challenge
from driftsblik.dialogue.policy import challenge_refusal, may_update_action
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.selectors import figures
from driftsblik.organisation.leaders import leaders_on
from driftsblik.organisation.models import Unit, User
from driftsblik.organisation.viewer import viewer_of


def _thread(request: HttpRequest, challenge_id: int) -> Challenge:
    return selectors.thread_or_404(request.user, challenge_id, visible=viewer_of(request).visible)


def _owners(challenge: Challenge, leaders: dict[str, User | None]) -> list[tuple[str, str]]:
    """Who can own an action: the addressee and the leaders of the units just under the challenge's unit."""
    people: dict[int, User] = {challenge.addressee.pk: challenge.addressee}
    for leader in leaders.values():
        if leader is not None:
            people.setdefault(leader.pk, leader)
    return [(str(pk), str(user)) for pk, user in people.items()]


def _children_and_leaders(request: HttpRequest, challenge: Challenge) -> tuple[list[str], dict[str, User | None]]:
    viewer = viewer_of(request)
    children = viewer.tree.children.get(challenge.unit_id, [])
    return children, leaders_on(children, viewer.day)


def _thread_context(request: HttpRequest, challenge: Challenge, **forms: Any) -> dict[str, Any]:
    user = request.user
    viewer = viewer_of(request)
    tree = viewer.tree
    is_addressee = user.pk == challenge.addressee_id
    is_author = user.pk == challenge.author_id
    is_open = challenge.status != Challenge.Status.CLOSED
    period = Period.parse(challenge.period)
    figure = figures(user, [challenge.indicator], [challenge.unit_id], period, visible=viewer.visible)
    context: dict[str, Any] = {
        "challenge": challenge,
        "period": period,
        "unit_name": tree.name.get(challenge.unit_id, challenge.unit_id),
        "figure": figure.get((challenge.indicator_id, challenge.unit_id)),
        "is_addressee": is_addressee,
        "is_author": is_author,
        "action_statuses": Action.Status.choices,
        "actions": [(action, may_update_action(user, action)) for action in challenge.actions.all()],
    }
    if is_addressee and is_open:
        children, leaders = _children_and_leaders(request, challenge)
        owners = _owners(challenge, leaders)
        if challenge.status == Challenge.Status.OPEN:
            context["answer_form"] = forms.get("answer_form") or AnswerForm(owners=owners)
        else:
            context["action_form"] = forms.get("action_form") or AnswerForm(owners=owners)
        context["sub_units"] = [
            (u, tree.name[u])
            for u in children
            if challenge_refusal(user, u, tree=tree, visible=viewer.visible, leaders=leaders) is None
        ]
    if is_author and is_open:
        context["follow_up_form"] = forms.get("follow_up_form") or FollowUpForm()
    context["error"] = forms.get("error")
    return context


def _refused(request: HttpRequest, challenge: Challenge, error: services.DialogueError, **forms: Any) -> HttpResponse:
    context = _thread_context(request, challenge, error=error.message, **forms)
    return render(request, "dialogue/thread.html", context, status=400)


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Til mig: challenges to answer, challenges awaiting others, answers to read, actions due."""
    visible = viewer_of(request).visible
    context = {
        "inbox": selectors.inbox(request.user, visible=visible),
        "escalated": selectors.escalated_to(request.user, visible=visible),
    }
    return render(request, "dialogue/inbox.html", context)


@require_GET
@login_required
def thread(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """A thread: the figure it is about, the question, the answers, the actions and the history."""
    challenge = _thread(request, challenge_id)
    services.audit_record(user=request.user, access=AuditEntry.Access.READ, what="thread", challenge=challenge)
    return render(request, "dialogue/thread.html", _thread_context(request, challenge))


@require_http_methods(["GET", "POST"])
@login_required
def raise_challenge(request: HttpRequest) -> HttpResponse:
    """Raise a challenge (GET: the form for a unit, indicator and period; POST: raise it)."""
    data = request.POST if request.method == "POST" else None
    initial = {
        "indicator": request.GET.get("indikator", ""),
        "unit": request.GET.get("enhed", ""),
        "period": request.GET.get("periode", ""),
        "parent": request.GET.get("fra") or None,
    }
    form = RaiseForm(data, initial=initial)
    source = initial if data is None else data
    unit_id = source.get("unit") or ""
    viewer = viewer_of(request)
    if unit_id not in viewer.visible:
        raise Http404("No such unit")
    indicator = Indicator.objects.filter(pk=source.get("indicator") or "").first()
    if indicator is None:
        raise Http404("No such indicator")
    parent_id = str(source.get("parent") or "")
    parent = _thread(request, int(parent_id)) if parent_id.isdigit() else None
    context = {
        "form": form,
        "indicator": indicator,
        "unit_id": unit_id,
        "unit_name": viewer.tree.name.get(unit_id, unit_id),
        "parent": parent,
        "refusal": challenge_refusal(request.user, unit_id, tree=viewer.tree, visible=viewer.visible),
    }
    if data is None:
        return render(request, "dialogue/raise.html", context)
    if not form.is_valid():
        return render(request, "dialogue/raise.html", context, status=400)
    try:
        challenge = services.challenge_raise(
            author=request.user,
            unit=Unit.objects.get(pk=unit_id),
            indicator=indicator,
            period=form.cleaned_data["period"],
            question=form.cleaned_data["question"],
            answer_by=form.cleaned_data["answer_by"],
            parent=parent,
        )
    except services.DialogueError as error:
        context["error"] = error.message
        return render(request, "dialogue/raise.html", context, status=400)
    messages.success(request, _("Your challenge has been sent to %(person)s.") % {"person": challenge.addressee})
    return redirect(challenge)


@require_POST
@login_required
def answer(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The addressee answers, optionally with one follow-up action."""
    challenge = _thread(request, challenge_id)
    form = AnswerForm(request.POST, owners=_owners(challenge, _children_and_leaders(request, challenge)[1]))
    if not form.is_valid():
        return _refused(request, challenge, services.DialogueError(_("Check the fields below.")), answer_form=form)
    data = form.cleaned_data
    actions = []
    if data["action_title"].strip() or data["action_due"]:
        owner = (
            User.objects.filter(pk=data["action_owner"] or 0).first() if str(data["action_owner"]).isdigit() else None
        )
        actions.append({"title": data["action_title"], "owner": owner, "due": data["action_due"]})
    try:
        services.challenge_answer(challenge=challenge, by=request.user, text=data["text"], actions=actions)
    except services.DialogueError as error:
        return _refused(request, challenge, error, answer_form=form)
    messages.success(request, _("Your answer has been sent."))
    return redirect(challenge)


@require_POST
@login_required
def follow_up(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The author closes the challenge or asks again."""
    challenge = _thread(request, challenge_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _refused(request, challenge, services.DialogueError(_("Check the fields below.")), follow_up_form=form)
    try:
        if request.POST.get("do") == "close":
            services.challenge_close(challenge=challenge, by=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("The challenge is closed."))
        else:
            services.challenge_ask_again(
                challenge=challenge,
                by=request.user,
                text=form.cleaned_data["text"],
                answer_by=form.cleaned_data["answer_by"],
            )
            messages.success(request, _("Your question has been sent again."))
    except services.DialogueError as error:
        return _refused(request, challenge, error, follow_up_form=form)
    return redirect(challenge)


@require_POST
@login_required
def add_action(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Add a follow-up action to a thread that has been answered."""
    challenge = _thread(request, challenge_id)
    form = AnswerForm(request.POST, owners=_owners(challenge, _children_and_leaders(request, challenge)[1]))
    if not form.is_valid():
        return _refused(request, challenge, services.DialogueError(_("Check the fields below.")), action_form=form)
    data = form.cleaned_data
    raw_owner = str(data["action_owner"] or "")
    owner = User.objects.filter(pk=int(raw_owner)).first() if raw_owner.isdigit() else None
    try:
        services.action_create(
            challenge=challenge,
            by=request.user,
            title=data["action_title"],
            owner=owner,
            due=data["action_due"],
        )
    except services.DialogueError as error:
        return _refused(request, challenge, error)
    messages.success(request, _("The action has been added."))
    return redirect(challenge)


@require_POST
@login_required
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    """Change an action's status."""
    action = Action.objects.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action")
    challenge = _thread(request, action.challenge_id)
    form = ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise services.DialogueError(_("Choose a status."))
        services.action_update(
            action=action, by=request.user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        )
    except services.DialogueError as error:
        return _refused(request, challenge, error)
    messages.success(request, _("The action has been updated."))
    return redirect(challenge)


@require_GET
@login_required
def quality(request: HttpRequest) -> HttpResponse:
    """The quality of the follow-up per unit and per level, like an indicator table; Excel on request."""
    result = selectors.follow_up_quality(request.user)
    if request.GET.get("format") == "xlsx":
        from driftsblik.dialogue.export import quality_workbook

        return quality_workbook(request.user, result)
    return render(request, "dialogue/quality.html", {"quality": result})
