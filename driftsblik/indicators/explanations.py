"""The "why" beside a figure: what the unit has said about it, read from the registered sources.

The sources (`hooks.FigureExplanation`: the report rounds' commentary, the answers to challenges)
belong to other apps; the indicator pages only read them here. A page gathers the (indicator, unit)
pairs of all its tables and asks each source once, so the queries do not grow with the number of
figures; the latest explanation of all sources wins. Each source applies its own rule of who may
read what, and gives nothing for a unit outside the person's view.
"""

from __future__ import annotations

from collections.abc import Iterable

from driftsblik.core import hooks
from driftsblik.core.periods import Period
from driftsblik.indicators.pages import Breakdown, HeatTable, Scorecard
from driftsblik.organisation.viewer import Viewer

Pair = hooks.Pair


def latest(viewer: Viewer, pairs: Iterable[Pair], period: Period | None = None) -> dict[Pair, hooks.Explanation]:
    """The latest explanation the person may read per pair, over every registered source."""
    wanted = set(pairs)
    found: dict[Pair, hooks.Explanation] = {}
    if not wanted:
        return found
    for source in hooks.entries(hooks.FigureExplanation):
        for pair, words in source.explain(viewer, wanted, period=period).items():
            if pair in wanted and (pair not in found or words.written_at > found[pair].written_at):
                found[pair] = words
    return found


def attach(
    viewer: Viewer,
    period: Period,
    *,
    scorecards: Iterable[Scorecard] = (),
    heats: Iterable[HeatTable] = (),
    breakdowns: Iterable[Breakdown] = (),
) -> None:
    """Set beside every figure of the page's tables the unit's latest words about it (one call to each
    source for all the tables together)."""
    scorecards, heats, breakdowns = list(scorecards), list(heats), list(breakdowns)
    pairs: set[Pair] = set()
    for card in scorecards:
        pairs.update((row.indicator.code, card.unit_id) for row in card.rows)
    for heat in heats:
        pairs.update((i.code, row.unit_id) for row in heat.rows for i in heat.indicators)
    for breakdown in breakdowns:
        code = breakdown.indicator.code
        pairs.update((code, unit) for unit in [breakdown.unit_id, *(u for u, _, _ in breakdown.rows)])
    found = latest(viewer, pairs, period)
    for card in scorecards:
        for row in card.rows:
            row.explanation = found.get((row.indicator.code, card.unit_id))
    for heat in heats:
        for heat_row in heat.rows:
            heat_row.explanations = [found.get((i.code, heat_row.unit_id)) for i in heat.indicators]
    for breakdown in breakdowns:
        code = breakdown.indicator.code
        units = [breakdown.unit_id, *(u for u, _, _ in breakdown.rows)]
        breakdown.explanations = {u: found[(code, u)] for u in units if (code, u) in found}
