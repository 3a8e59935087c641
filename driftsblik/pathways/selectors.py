"""Who may look at which cohort, and the pathway as a person may see it (suppressed for non-analysts).

Visibility (one policy, ``organisation.visibility``):
- a cohort of a unit: the unit must be visible to the person (a 404 otherwise); the cohort is the
  persons attributed to the register units of the cohort's domain in the unit's subtree (today's
  tree), so a sector or institution gets its teams' citizens;
- the municipality's cohort (no unit): analysts and administrators, the directorate, and the
  leaders of a register unit of the cohort's domain or of a unit above one (the jobcenter, youth
  and home-care teams and their leadership chain);
- every count is suppressed for everyone but analysts and administrators.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from driftsblik.core.periods import Month
from driftsblik.engine.pathways import COHORTS, STATUSES, PathwayResult
from driftsblik.organisation.viewer import Viewer
from driftsblik.organisation.visibility import is_directorate, led_units, today
from driftsblik.pathways import charts
from driftsblik.pathways.services import RegisterFacts
from driftsblik.pathways.suppression import COHORT, SMALL, limit, pathway_marks
from driftsblik.ui import formats

COHORT_LABELS = {
    "youth_neet": gettext_lazy("Young people not in job or education for three months (a month)"),
    "cash_long_term": gettext_lazy("Long-term cash-benefit recipients (a month)"),
    "elderly_discharged": gettext_lazy("Citizens aged 65 or more discharged from hospital (a quarter)"),
}
STATUS_LABELS = {
    "moved_away": gettext_lazy("Moved away"),
    "admitted": gettext_lazy("Admitted to hospital"),
    "job": gettext_lazy("In a job"),
    "education": gettext_lazy("In education"),
    "kontanthjaelp": gettext_lazy("Cash benefit (kontanthjælp)"),
    "uddannelseshjaelp": gettext_lazy("Education benefit (uddannelseshjælp)"),
    "dagpenge": gettext_lazy("Unemployment benefit (dagpenge)"),
    "sygedagpenge": gettext_lazy("Sickness benefit (sygedagpenge)"),
    "ledighedsydelse": gettext_lazy("Ledighedsydelse"),
    "foertidspension": gettext_lazy("Disability pension (førtidspension)"),
    "fleksjob": gettext_lazy("Fleksjob"),
    "ressourceforloeb": gettext_lazy("Ressourceforløb"),
    "revalidering": gettext_lazy("Revalidering"),
    "benefit_other": gettext_lazy("Other benefit"),
    "other": gettext_lazy("None of these"),
}
HIDDEN = "hidden"
BUCKET_LABELS = {"0": "0", "1": "1", "2": "2", "3": "3", "4+": gettext_lazy("4 or more")}


# -- who may see what ----------------------------------------------------------------------------


def register_units_under(viewer: Viewer, unit_id: str, facts: RegisterFacts, domain: str) -> list[str]:
    """The register units of ``domain`` at ``unit_id`` or below it in today's tree (or itself
    when it is a register unit the tree does not know)."""
    units = facts.units.get(domain, frozenset())
    if unit_id not in viewer.tree:
        return [unit_id] if unit_id in units else []
    return sorted(units & viewer.tree.subtree(unit_id))


def unit_choices(viewer: Viewer, facts: RegisterFacts) -> list[tuple[str, str]]:
    """(unit id, name) of the visible units with register units at or below them, in tree order."""
    register = set().union(*facts.units.values()) if facts.units else set()
    with_registers: set[str] = set()
    for u in register:
        if u in viewer.tree:
            with_registers.update(viewer.tree.chain(u))
    chosen = [u for u in viewer.visible if u in with_registers]
    return [(u, viewer.name(u)) for u in sorted(chosen, key=lambda u: (viewer.tree.chain(u), u))]


def municipality_allowed(viewer: Viewer, facts: RegisterFacts, domain: str) -> bool:
    """May this person see the whole municipality's cohort of ``domain``? (see the module's rule)."""
    if viewer.analyst or is_directorate(viewer.user):
        return True
    chain: set[str] = set()
    for u in facts.units.get(domain, frozenset()):
        if u in viewer.tree:
            chain.update(viewer.tree.chain(u))
        else:
            chain.add(u)
    return any(u in chain for u in led_units(viewer.user, today()))


# -- the pathway as shown -------------------------------------------------------------------------


@dataclass
class Shown:
    """One count as a person sees it: the number, or hidden by its mark: "<5" when it is small
    (primary), "x" when it is hidden so that a small one cannot be worked out (secondary, never
    presented as a small number)."""

    n: int
    hidden: bool
    mark: str | None = None

    @property
    def small(self) -> bool:
        return self.hidden and self.mark == SMALL

    @property
    def label(self) -> str:
        return f"<{limit()}" if self.small else "x"

    @property
    def text(self) -> str:
        return self.label if self.hidden else formats.number_da(self.n, 0)

    @property
    def value(self) -> int | str:
        """For a spreadsheet cell: the number, or the hidden label."""
        return self.label if self.hidden else self.n


@dataclass
class SiloRow:
    bucket: str
    label: str
    persons: Shown
    outcome: Shown

    @property
    def share_value(self) -> float | None:
        """The share in job or education at the end (%), or None when hidden or nobody."""
        if self.persons.hidden or self.outcome.hidden or not self.persons.n:
            return None
        return 100 * self.outcome.n / self.persons.n

    @property
    def share(self) -> str:
        value = self.share_value
        return formats.percent_da(value)


@dataclass
class PathwayView:
    """A pathway as one person may see it."""

    result: PathwayResult
    suppressed: bool
    too_small: bool
    withheld: bool = False  # no pattern protects the counts: nothing is shown
    shown_months: int = 0  # when withheld: the most months the cohort may be followed on a page (0: none)
    size: Shown = field(default_factory=lambda: Shown(0, False))
    statuses: list[str] = field(default_factory=list)  # the statuses that occur, in precedence order
    months: list[dict[str, Any]] = field(default_factory=list)  # offset, month, label, cells {status: Shown}
    transitions: list[dict[str, Any]] = field(default_factory=list)
    silos: dict[str, list[SiloRow]] = field(default_factory=dict)
    spec: dict[str, Any] | None = None
    silos_spec: dict[str, Any] | None = None

    @property
    def status_labels(self) -> list[str]:
        return [str(STATUS_LABELS[s]) for s in self.statuses]

    @property
    def limit(self) -> int:
        return limit()

    @property
    def empty(self) -> bool:
        return self.result.cohort_size == 0


_OWN = object()


def pathway_view(
    result: PathwayResult,
    *,
    analyst: bool,
    unit_name: str,
    cohort_mark: str | None = None,
    marks: Mapping[Hashable, str] | None | object = _OWN,
) -> PathwayView:
    """The pathway with every count suppressed (primary and secondary, ``pathways.suppression``)
    unless ``analyst``. ``marks``: the page's hidden counts as decided over every page of the cohort
    (``services.pathway_page_marks``; None: withheld); without them the page's table is protected
    alone, with ``cohort_mark`` the mark of the indicator's figure the cohort was picked with. A
    cohort that is empty or under the suppression limit is marked ``too_small`` and holds nothing
    else."""
    size = result.cohort_size
    too_small = size == 0 or (not analyst and size < limit())
    view = PathwayView(result, suppressed=not analyst, too_small=too_small, size=Shown(size, False))
    if too_small:
        return view
    cells = _pathway_cells(result)
    if analyst:
        hidden: Mapping[Hashable, str] | None = {}
    elif marks is _OWN:
        hidden = pathway_marks(result, cohort_mark=cohort_mark)
    else:
        hidden = cast(Mapping[Hashable, str] | None, marks)
    if hidden is None:
        view.withheld = view.too_small = True
        return view
    view.size = Shown(size, COHORT in hidden, hidden.get(COHORT))
    _fill_tables(view, cells, hidden)
    _add_charts(view, result, unit_name)
    return view


@dataclass
class _PathwayCells:
    """Every count of a pathway under its key in ``pathways.suppression``'s table, with the rows of
    its month, transition and silo tables."""

    counts: dict[tuple[Any, ...], int] = field(default_factory=dict)
    by_offset: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    transitions: list[dict[str, Any]] = field(default_factory=list)
    silos: list[dict[str, Any]] = field(default_factory=list)


def _pathway_cells(result: PathwayResult) -> _PathwayCells:
    cells = _PathwayCells()
    counts, by_offset = cells.counts, cells.by_offset
    for r in result.statuses.to_pylist():
        by_offset.setdefault(r["offset"], []).append(r)
        counts[("s", r["offset"], r["status"])] = r["persons"]
    cells.transitions = result.transitions.to_pylist()
    for r in cells.transitions:
        counts[("t", r["offset"], r["from_status"], r["to_status"])] = r["persons"]
    cells.silos = result.silos.to_pylist()
    for r in cells.silos:
        counts[("u", r["dimension"], r["bucket"])] = r["persons"]
        counts[("o", r["dimension"], r["bucket"])] = r["outcome"]
    return cells


def _fill_tables(view: PathwayView, cells: _PathwayCells, hidden: Mapping[Hashable, str]) -> None:
    """The view's month, transition and silo tables, each count shown or hidden with its mark."""
    counts, by_offset = cells.counts, cells.by_offset

    def shown(key: tuple[Any, ...]) -> Shown:
        return Shown(counts.get(key, 0), key in hidden, hidden.get(key))

    view.statuses = [s for s in STATUSES if any(counts.get(("s", o, s), 0) for o in by_offset)]
    for offset in sorted(by_offset):
        label = by_offset[offset][0]["month"]
        view.months.append(
            {
                "offset": offset,
                "month": label,
                "label": formats.month_da(_month(label)),
                "cells": [shown(("s", offset, s)) for s in view.statuses],
            }
        )
    for r in cells.transitions:
        view.transitions.append(
            {
                "offset": r["offset"],
                "label": formats.month_da(_month(r["month"])),
                "from": str(STATUS_LABELS[r["from_status"]]),
                "to": str(STATUS_LABELS[r["to_status"]]),
                "persons": shown(("t", r["offset"], r["from_status"], r["to_status"])),
            }
        )
    for dim in ("units", "domains"):
        view.silos[dim] = [
            SiloRow(
                r["bucket"],
                str(BUCKET_LABELS[r["bucket"]]),
                shown(("u", dim, r["bucket"])),
                shown(("o", dim, r["bucket"])),
            )
            for r in cells.silos
            if r["dimension"] == dim
        ]


def _add_charts(view: PathwayView, result: PathwayResult, unit_name: str) -> None:
    """The stacked statuses by month and the outcome by units involved, from the view's shown counts;
    None for a chart with no bar to draw (every count or share of it hidden or empty)."""
    size = result.cohort_size
    view.spec = charts.pathway_spec(
        months=[m["label"] for m in view.months],
        statuses=[(s, str(STATUS_LABELS[s])) for s in view.statuses],
        cells=[[c.n if not c.hidden else None for c in m["cells"]] for m in view.months],
        total=None if view.size.hidden else size,
        hidden_label=_("Hidden counts (<%(limit)s or x)") % {"limit": limit()},
        description=_(
            "Where the %(size)s persons of the cohort (%(cohort)s, %(unit)s) were, month by month from %(first)s "
            "to %(last)s: persons per status each month as stacked bars. The same figures are in the table below."
        )
        % {
            "size": view.size.text,
            "cohort": COHORT_LABELS[result.cohort],
            "unit": unit_name,
            "first": view.months[0]["label"],
            "last": view.months[-1]["label"],
        },
        persons_label=_("Persons"),
        month_label=_("Month"),
        status_label=_("Status"),
    )
    if not view.spec["data"]["values"]:  # every count hidden: an empty chart would only mislead
        view.spec = None
    if all(r.share_value is None for r in view.silos["units"]):
        view.silos_spec = None
        return
    view.silos_spec = charts.silos_spec(
        rows=[(r.label, r.share_value) for r in view.silos["units"]],
        texts=[r.share for r in view.silos["units"]],
        category_label=_("Units involved"),
        share_label=_("In job or education at the end (%)"),
        description=_(
            "Share of the cohort in a job or in education in the last month, by how many different units "
            "each person was assigned to during the pathway. Hidden or empty groups have no bar. The same "
            "figures are in the table below."
        ),
    )


def _month(label: str) -> Month:
    return Month.parse(label)


__all__ = ["COHORTS", "COHORT_LABELS", "STATUS_LABELS", "PathwayView", "pathway_view"]
