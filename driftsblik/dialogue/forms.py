"""Forms read the request's fields; the rules (lengths, dates, who may) live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from driftsblik.dialogue.models import Action

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"class": "form-input", "rows": 5})


class RaiseForm(forms.Form):
    indicator = forms.CharField(widget=forms.HiddenInput)
    unit = forms.CharField(widget=forms.HiddenInput)
    period = forms.CharField(
        label=_("Period (month 2025-03 or quarter 2025Q1)"), widget=forms.TextInput(attrs={"class": "form-input"})
    )
    question = forms.CharField(label=_("Your question"), required=False, strip=False, widget=TEXTAREA)
    answer_by = forms.DateField(label=_("Answer requested by (optional)"), required=False, widget=DATE_INPUT)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), required=False, strip=False, widget=TEXTAREA)
    action_title = forms.CharField(
        label=_("Follow-up action (optional)"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )
    action_owner = forms.ChoiceField(label=_("Owner of the action"), required=False)
    action_due = forms.DateField(label=_("Action due"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, owners: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].choices = list(owners)
        self.fields["action_owner"].widget.attrs["class"] = "form-select"


class FollowUpForm(forms.Form):
    """Ask again or close: a text and, for asking again, a new answer date."""

    text = forms.CharField(label=_("Your reply"), required=False, strip=False, widget=TEXTAREA)
    answer_by = forms.DateField(label=_("New answer date (optional)"), required=False, widget=DATE_INPUT)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    note = forms.CharField(label=_("Note (optional)"), required=False, strip=False)
