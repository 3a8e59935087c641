"""Status words, icons and colours: one table, read by pages, templates, charts, Excel and PDF.

A status belongs to a family: `target` (a figure held against its target: the traffic light) or
`budget` (spending held against the corrected budget). A family lists its statuses by the codes
the selectors return (`"green"`, `"yellow"`, `"red"`, and None for "no status") and gives each
- a word, through gettext (the one place the word is written),
- an icon (an SVG path for pages, a text glyph for PDF: status is never colour alone),
- a tone (green, yellow, red or none): the CSS class `status-<tone>`, the chart colour, the Excel fill,
- a rank: how far off it is, so a summary shows the worst of several.

A figure's status is in the `target` family whatever its indicator's kind: a result indicator is
green, yellow or red by its direction; an activity indicator is held against its plan with a
two-sided tolerance and reads "on plan", "over plan" or "under plan" (codes `on_plan`, `over_plan`,
`under_plan`), never "on target". The target family reads those codes too (`Family.also`), so every
page, file and report shows a figure's status as it shows any; `PLAN` is their legend (for charts of
an activity).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tone:
    """A status colour: the CSS class suffix, the chart colour (3:1 on white, except yellow, whose
    bars get a dark outline) and the light fill of an Excel cell."""

    name: str
    chart: str
    fill: str | None


@dataclass(frozen=True)
class Icon:
    """A status shape: a Material Symbols path (viewBox 0 -960 960 960) and its text glyph for PDF."""

    name: str
    path: str
    glyph: str


TONES = {
    "green": Tone("green", "#358000", "C9E7B5"),
    "yellow": Tone("yellow", "#febb30", "FFE8B0"),
    "red": Tone("red", "#cc0000", "F4C2C2"),
    "none": Tone("none", "#8e8e8e", None),
}

ICONS = {
    "check": Icon(
        "check",
        (
            "m424-296 282-282-56-56-226 226-114-114-56 56 170 170Zm56 216q-83 0-156-31.5T197-197q-54-54-85.5-"
            "127T80-480q0-83 31.5-156T197-763q54-54 127-85.5T480-880q83 0 156 31.5T763-763q54 54 85.5 127T880"
            "-480q0 83-31.5 156T763-197q-54 54-127 85.5T480-80Zm0-80q134 0 227-93t93-227q0-134-93-227t-227-93"
            "q-134 0-227 93t-93 227q0 134 93 227t227 93Zm0-320Z"
        ),
        "✔",
    ),
    "warning": Icon(
        "warning",
        (
            "m40-120 440-760 440 760H40Zm138-80h604L480-720 178-200Zm302-40q17 0 28.5-11.5T520-280q0-17-11.5-"
            "28.5T480-320q-17 0-28.5 11.5T440-280q0 17 11.5 28.5T480-240Zm-40-120h80v-200h-80v200Zm40-100Z"
        ),
        "▲",
    ),
    "error": Icon(
        "error",
        (
            "M480-280q17 0 28.5-11.5T520-320q0-17-11.5-28.5T480-360q-17 0-28.5 11.5T440-320q0 17 11.5 28.5T48"
            "0-280Zm-40-160h80v-240h-80v240Zm40 360q-83 0-156-31.5T197-197q-54-54-85.5-127T80-480q0-83 31.5-1"
            "56T197-763q54-54 127-85.5T480-880q83 0 156 31.5T763-763q54 54 85.5 127T880-480q0 83-31.5 156T763"
            "-197q-54 54-127 85.5T480-80Zm0-80q134 0 227-93t93-227q0-134-93-227t-227-93q-134 0-227 93t-93 227"
            "q0 134 93 227t227 93Zm0-320Z"
        ),
        "✖",
    ),
    "dash": Icon("dash", "M200-440v-80h560v80H200Z", "–"),
    "arrow_up": Icon("arrow_up", "M440-160v-487L216-423l-56-57 320-320 320 320-56 57-224-224v487h-80Z", "↑"),
    "arrow_down": Icon("arrow_down", "M440-800v487L216-537l-56 57 320 320 320-320-56-57-224 224v-487h-80Z", "↓"),
}


@dataclass(frozen=True)
class Status:
    """One status of a family: its code, word (translated when read), icon, tone and rank."""

    code: str | None
    label: str | Promise
    icon: Icon
    tone: Tone
    rank: int

    @property
    def word(self) -> str:
        """The word in the active language."""
        return str(self.label)


@dataclass(frozen=True)
class Family:
    """The statuses of one kind of comparison, in legend order, the "no status" one last."""

    name: str
    statuses: tuple[Status, ...]
    also: tuple[Status, ...] = ()  # statuses it reads but does not list in its legend

    def get(self, code: str | None) -> Status:
        """The status with this code; None or "" is the family's "no status"; an unknown code is an error."""
        wanted = code or None
        for entry in (*self.statuses, *self.also):
            if entry.code == wanted:
                return entry
        known = ", ".join(str(s.code) for s in self.statuses)
        raise ValueError(f"unknown {self.name} status {code!r}; expected one of {known}")

    def word(self, code: str | None) -> str:
        return self.get(code).word

    def worst(self, codes: Iterable[str | None]) -> str | None:
        """The code ranked furthest off among `codes` (None when there are none)."""
        return max(codes, key=lambda c: self.get(c).rank, default=None)


ON_PLAN = Status("on_plan", _("On plan"), ICONS["check"], TONES["green"], 1)
OVER_PLAN = Status("over_plan", _("Over plan"), ICONS["arrow_up"], TONES["yellow"], 2)
UNDER_PLAN = Status("under_plan", _("Under plan"), ICONS["arrow_down"], TONES["yellow"], 2)
TARGET = Family(
    "target",
    (
        Status("green", _("On target"), ICONS["check"], TONES["green"], 1),
        Status("yellow", _("Close to target"), ICONS["warning"], TONES["yellow"], 2),
        Status("red", _("Off target"), ICONS["error"], TONES["red"], 3),
        Status(None, _("No target"), ICONS["dash"], TONES["none"], 0),
    ),
    also=(ON_PLAN, OVER_PLAN, UNDER_PLAN),
)
PLAN = Family("plan", (ON_PLAN, OVER_PLAN, UNDER_PLAN, Status(None, _("No plan"), ICONS["dash"], TONES["none"], 0)))
BUDGET = Family(
    "budget",
    (
        Status("green", _("Within budget"), ICONS["check"], TONES["green"], 1),
        Status("yellow", _("Overrun within tolerance"), ICONS["warning"], TONES["yellow"], 2),
        Status("red", _("Overrun"), ICONS["error"], TONES["red"], 3),
        Status(None, _("No budget data"), ICONS["dash"], TONES["none"], 0),
    ),
)
FAMILIES = {family.name: family for family in (TARGET, BUDGET, PLAN)}


def family(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown status family {name!r}; expected one of {', '.join(FAMILIES)}") from None


def status(code: str | None, family_name: str = TARGET.name) -> Status:
    """`status("yellow")` -> the target family's yellow; `status(None, "budget")` -> no budget data."""
    return family(family_name).get(code)


def word(code: str | None, family_name: str = TARGET.name) -> str:
    """The status in words, in the active language: `word("green")` -> 'På mål'."""
    return status(code, family_name).word


__all__ = [
    "BUDGET",
    "FAMILIES",
    "PLAN",
    "ICONS",
    "TARGET",
    "TONES",
    "Family",
    "Icon",
    "Status",
    "Tone",
    "family",
    "status",
    "word",
]
