"""The cohort form: which cohort, from which month or quarter, for how many months, for which unit.

GET parameters (stable: the efforts pages link here): ``kohorte`` (youth_neet, cash_long_term,
elderly_discharged), ``start`` (YYYY-MM, or YYYYQn for the quarterly cohort; a month means its
quarter there), ``maaneder`` (1..24), ``enhed`` (a unit id; empty for the whole municipality).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from driftsblik.engine.errors import EngineInputError
from driftsblik.engine.pathways import COHORTS, MAX_MONTHS, parse_start
from driftsblik.pathways.selectors import COHORT_LABELS

COHORT_PARAM, START_PARAM, MONTHS_PARAM, UNIT_PARAM = "kohorte", "start", "maaneder", "enhed"


class CohortForm(forms.Form):
    """Choose the cohort; the unit choices are the person's visible register units."""

    kohorte = forms.ChoiceField(label=_("Cohort"), choices=[(c, COHORT_LABELS[c]) for c in COHORTS])
    start = forms.CharField(
        label=_("Month or quarter"),
        max_length=7,
        help_text=_("A month as 2025-03, or for the quarterly cohort a quarter as 2025Q1."),
    )
    maaneder = forms.IntegerField(
        label=_("Months to follow"), min_value=1, max_value=MAX_MONTHS, help_text=_("From 1 to 24.")
    )
    enhed = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args: Any, units: list[tuple[str, str]], municipality: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("The whole municipality"))] if municipality else []
        self.fields["enhed"].choices = choices + units

    def clean_start(self) -> str:
        text = self.cleaned_data["start"].strip().upper()
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = COHORTS.get(data.get("kohorte", ""))
        if kind is not None and data.get("start"):
            try:
                parse_start(kind, data["start"])
            except EngineInputError:
                self.add_error(
                    "start",
                    _("Write a month as 2025-03")
                    if kind.period == "month"
                    else _("Write a quarter as 2025Q1 or a month as 2025-03"),
                )
        return data
