"""The presentation view for the meeting room: one figure a slide, in large type, stepped through.

A slide holds only what a committee looks at on a projector: the indicator's name, the unit and
period, the figure, its target and status (icon and word), the chart and the sentence that
explains it. A deck is the slides of one committee in their order; every slide has its own address
(so a slide can be linked, bookmarked and reloaded), with links to the previous and next slide
(they work without JavaScript and for a keyboard or screen reader; `web/presentation.js` adds the
arrow keys). The indicator pages build their slides in `web.presentation`, the committee report
from its snapshot in `reports.presentation`; both render `web/presentation.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

TEMPLATE = "web/presentation.html"


@dataclass(frozen=True)
class Slide:
    """One figure on the projector."""

    heading: str  # the indicator's name
    place: str  # the unit (and task area) the figure is about
    period_label: str
    value_text: str  # as the page shows it: '12,3 %', '<5', 'x', '–'
    target_label: str  # 'Mål' or 'Mål for 2025'
    target_text: str
    status: str | None
    sentence: str  # the explanation in words
    description: str = ""  # what is counted
    chart: dict[str, Any] | None = None
    note: str = ""  # the suppression footnote, when the figure is hidden


@dataclass(frozen=True)
class Deck:
    """Where a slide sits in its deck, and the addresses around it."""

    title: str
    position: int  # 1-based
    count: int
    previous_url: str | None
    next_url: str | None
    exit_url: str  # the page the presentation was opened from
    labels: list[str] = field(default_factory=list)  # every slide's heading, for the list of slides
    urls: list[str] = field(default_factory=list)
    notice: str = ""

    @property
    def slides(self) -> list[tuple[str, str]]:
        """(heading, address) of every slide, in order."""
        return list(zip(self.labels, self.urls, strict=True))

    @property
    def previous_label(self) -> str:
        return self.labels[self.position - 2] if self.position > 1 else ""

    @property
    def next_label(self) -> str:
        return self.labels[self.position] if self.position < self.count else ""


def deck_at(
    *,
    title: str,
    labels: list[str],
    position: int,
    url_of: Callable[[int], str],
    exit_url: str,
    notice: str = "",
) -> Deck:
    """The deck around slide `position` (1-based) of `labels`; a position outside the deck is a 404."""
    if not 1 <= position <= len(labels):
        raise Http404("No such slide")
    urls = [url_of(n) for n in range(1, len(labels) + 1)]
    return Deck(
        title=title,
        position=position,
        count=len(labels),
        previous_url=urls[position - 2] if position > 1 else None,
        next_url=urls[position] if position < len(labels) else None,
        exit_url=exit_url,
        labels=labels,
        urls=urls,
        notice=notice,
    )


PROJECTOR_FONT = 18  # px: labels read from the back of a meeting room
PROJECTOR_HEIGHT = 360


def projector_spec(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    """A chart spec for the projector: as wide as the slide, taller, with larger labels; the data,
    marks and description are the page's own (the same chart, only bigger)."""
    if spec is None:
        return None
    config = dict(spec.get("config") or {})
    config["axis"] = {**config.get("axis", {}), "labelFontSize": PROJECTOR_FONT, "titleFontSize": PROJECTOR_FONT}
    config["legend"] = {**config.get("legend", {}), "labelFontSize": PROJECTOR_FONT, "titleFontSize": PROJECTOR_FONT}
    config["text"] = {**config.get("text", {}), "fontSize": PROJECTOR_FONT}
    return {**spec, "width": "container", "height": PROJECTOR_HEIGHT, "autosize": {"type": "fit-x"}, "config": config}
