from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from driftsblik.api.models import Scope


class TokenForm(forms.Form):
    """A new personal access token: name, scope and expiry."""

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'Power BI'."))
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("An ISO date, YYYY-MM-DD.")
    )

    def __init__(self, *args: object, may_import: bool, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not may_import:
            self.fields["scope"].choices = [(Scope.READ, Scope.READ.label)]
        self.fields["expires_on"].initial = today + dt.timedelta(days=90)
