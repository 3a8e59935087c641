"""The shell's parts that other apps fill: `{% load shell %}`.

- `{% main_menu %}`: the main menu, from the registered `MenuEntry`s;
- `{% page_sections "unit.end" %}`: the registered `OverviewSection`s of one place on a page;
- `{% section_stylesheets "unit.end" ... %}`: the stylesheets those sections need, for the head.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from driftsblik.core import hooks

register = template.Library()


@register.inclusion_tag("web/_menu.html", takes_context=True)
def main_menu(context: template.Context) -> dict[str, Any]:
    """The menu's links in their order; the current one marked, counts where an entry has one. Where the
    request names the only routes the person may open (`request.only_views`), only those."""
    request = context["request"]
    match = request.resolver_match
    here = {match.app_name, match.view_name} if match else set()
    only = getattr(request, "only_views", None)
    items = [
        {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "current": entry.current in here,
            "badge": entry.badge(request) if entry.badge else 0,
            "badge_label": entry.badge_label,
        }
        for entry in hooks.entries(hooks.MenuEntry)
        if (only is None or entry.url_name in only) and (entry.shown is None or entry.shown(request))
    ]
    return {"items": items}


def _sections(place: str) -> list[hooks.OverviewSection]:
    return [s for s in hooks.entries(hooks.OverviewSection) if s.place == place]


@register.simple_tag(takes_context=True)
def page_sections(context: template.Context, place: str) -> SafeString:
    """Every section registered for the place, each its template rendered with its own context."""
    engine = context.template.engine
    parts = [engine.get_template(s.template).render(context.new(dict(s.context(context)))) for s in _sections(place)]
    return mark_safe("".join(parts))  # noqa: S308 (rendered templates, escaped by the template engine)


@register.simple_tag
def section_stylesheets(*places: str) -> SafeString:
    """`<link>`s for the stylesheets of the sections at the places, each once."""
    paths = list(dict.fromkeys(s.stylesheet for place in places for s in _sections(place) if s.stylesheet))
    return format_html_join("\n", '<link rel="stylesheet" href="{}">', ((static(p),) for p in paths))
