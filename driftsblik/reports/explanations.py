"""The commentary of the report rounds beside the figures (a `FigureExplanation`).

A commentary is written for a task area at a unit, not for one indicator: it explains the figures of
that unit for every indicator of that task area (`Indicator.task_area`, as the report picks them).
Only status reports' commentary explains figures (a budget follow-up's is about the budget). The
latest commentary by `written_at` wins.

Who reads it (DESIGN.md, committee reports; issue 14): a commentary is shown to a person who may
read the report it is in (its draft, as `access.drafts` says, whole or their own part; or one of its
issued versions, as `access.issued_readable` says), and to the leaders of its unit and of the units
above it (the unit's own explanation to its leaders: the unit is theirs or below theirs in the
visibility rule). A unit outside the person's view gets nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import F
from django.urls import reverse

from driftsblik.core import hooks
from driftsblik.core.hooks import not_after
from driftsblik.core.periods import Period
from driftsblik.organisation.visibility import BELOW, SELF
from driftsblik.reports import access
from driftsblik.reports.models import Commentary, ReportKind

Pair = hooks.Pair


def _readers(viewer: Any, rows: list[Commentary]) -> tuple[dict[int, access.Draft], dict[tuple[int, str, str], int]]:
    """What of the reports the person reads: drafts by committee, and the latest issued version they
    read by (committee, period, kind). A fixed number of queries, whatever the number of rows."""
    user = viewer.user
    drafts = access.drafts(user, on=viewer.day, led=viewer.led, tree=viewer.tree)
    committees = {c.committee_id for c in rows}
    issued: dict[tuple[int, str, str], int] = {}
    readable = access.issued_readable(user, on=viewer.day, led=viewer.led).filter(committee_id__in=committees)
    for pk, committee_id, period, kind in readable.order_by("version").values_list(
        "pk", "committee_id", "period", "kind"
    ):
        issued[(committee_id, period, kind)] = pk
    return drafts, issued


def _link(row: Commentary, drafts: dict[int, access.Draft], issued: dict[tuple[int, str, str], int]) -> str | None:
    """Where the person reads the report the commentary is in; None when they may read none of it."""
    draft = drafts.get(row.committee_id)
    if draft is not None and (draft.whole or (row.task_area.code, row.unit_id) in draft.parts):
        return reverse("reports:preview", args=[row.committee.code, row.period, row.kind])
    pk = issued.get((row.committee_id, row.period, row.kind))
    if pk is not None:
        return reverse("reports:issued", args=[pk])
    return None


def explain_figures(
    viewer: Any, pairs: Collection[Pair], *, period: Period | None = None
) -> dict[Pair, hooks.Explanation]:
    """The latest status-report commentary the person may read per (indicator, unit) pair: one query
    for the commentary, and when there is any, a fixed few for the report access rule."""
    pairs = {(code, unit) for code, unit in pairs if viewer.sees(unit)}
    if not pairs:
        return {}
    codes, units = {c for c, _ in pairs}, {u for _, u in pairs}
    rows = list(
        Commentary.objects.filter(unit_id__in=units, kind=ReportKind.STATUS, task_area__indicators__code__in=codes)
        .annotate(indicator_code=F("task_area__indicators__code"))
        .select_related("author", "committee", "task_area")
        .order_by("-written_at", "-id")
    )
    rows = [r for r in rows if (r.indicator_code, r.unit_id) in pairs and not_after(r.period, period)]
    if not rows:
        return {}
    drafts, issued = _readers(viewer, rows)
    found: dict[Pair, hooks.Explanation] = {}
    for row in rows:
        pair = (row.indicator_code, row.unit_id)
        if pair in found:
            continue
        link = _link(row, drafts, issued)
        own = viewer.visible[row.unit_id].relation in (SELF, BELOW)
        if link is None and not own:
            continue
        found[pair] = hooks.Explanation(
            text=row.text,
            author=str(row.author),
            written_at=row.written_at,
            kind=hooks.COMMENTARY,
            url=link or "",
        )
    return found
