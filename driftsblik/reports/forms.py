from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from driftsblik.reports.commentary import MAX_TEXT


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label=_("Commentary"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-input"}),
        help_text=_("What lies behind the results, and what you are doing about them. Plain language."),
    )
    example = forms.CharField(
        label=_("Examples from operations"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-input"}),
        help_text=_("One or two short examples from operations; separate two examples by a blank line."),
    )

    challenges = forms.TypedMultipleChoiceField(
        label=_("Challenges in the report"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The report shows how many challenges and actions are open. Tick the ones whose text the "
            "committee should read; no other challenge's text goes into the report."
        ),
    )

    def __init__(self, *args, director: bool = False, choices: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not director:
            del self.fields["example"]
        if not director or not choices:
            del self.fields["challenges"]
        else:
            self.fields["challenges"].choices = list(choices)
