"""The dialogue in templates: `{% load dialogue_tags %}`; the rules stay in the models and the policy."""

from __future__ import annotations

import datetime as dt

from django import template

from driftsblik.dialogue.models import Action

register = template.Library()


@register.filter
def overdue(action: Action, on: dt.date) -> bool:
    """`{% if action|overdue:today %}`: the action is still open after its due date (`Action.is_overdue`)."""
    return action.is_overdue(on)
