"""Efforts in templates: `{% load efforts_tags %}`: milestone words and an effort as a report section."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from driftsblik.efforts.models import MilestoneStatus

register = template.Library()


@register.filter
def milestone_status(value: str) -> str:
    """A milestone's status in words (late is also a word, not only a colour)."""
    return {
        MilestoneStatus.PLANNED: _("Planned"),
        MilestoneStatus.UNDER_WAY: _("Under way"),
        MilestoneStatus.DONE: _("Done"),
        MilestoneStatus.LATE: _("Late"),
    }.get(value, value)


@register.inclusion_tag("efforts/_report_section.html")
def effort_section(summary: Any, heading_level: int = 3) -> dict[str, Any]:
    """An effort as a section of a committee report, from `selectors.effort_summary`:
    `{% effort_section summary 3 %}` (the heading level fits the report's outline)."""
    return {"summary": summary, "h": max(2, min(int(heading_level), 6))}
