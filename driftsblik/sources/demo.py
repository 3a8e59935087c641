"""The demo's comparison with similar municipalities: synthetic peers, clearly marked as such.

The demo municipality (Hjørring, code 860) is compared with the other municipalities of its
Danmarks Statistik group (Landkommuner) and the whole country. Its own comparison figure is its
root unit's rolled-up figure, so the comparison agrees with its indicator pages; the peers' and
the country's are invented from `data/demo/synthetic-peers.csv` (a level relative to the demo
municipality and a yearly drift per municipality, residents for the size), and go through the
same service as a source's figures (`comparison_store`), stored as synthetic with the source
"Syntetiske tal (demo)". A peer the size of Læsø has its smallest figures withheld, as a source
would, so the page shows how withheld figures look.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from driftsblik.core.periods import Month, Period
from driftsblik.demo.organisation import ROOT_ID
from driftsblik.indicators.models import Indicator, Measure
from driftsblik.indicators.rollup import period_cells
from driftsblik.sources.connectors.base import Figure, months_between
from driftsblik.sources.models import COUNTRY, PeerGroup
from driftsblik.sources.municipalities import dst_group
from driftsblik.sources.services import comparison_store

DATA = Path(__file__).resolve().parent / "data" / "demo" / "synthetic-peers.csv"
SOURCE = "Syntetiske tal (demo)"
HOME = "860"  # the demo municipality's code (Hjørring)
# The demo's indicators that a municipality can be compared on: shares and rates, not counts.
COMPARABLE = (
    "youth_in_job_or_education",
    "elderly_preventable_admissions_per_1000",
    "elderly_readmission_30d",
    "sickness_absence",
    "school_absence",
)
COUNTRY_RESIDENTS = 5_960_000
WITHHELD_BELOW = 5  # a numerator this small is withheld, as a source would


def _peers() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _peer_figure(
    indicator: Indicator, code: str, month: Month, ours: Any, size: float, level: float, rng: random.Random
) -> Figure:
    """A peer's figure: our denominator scaled to its size, our rate times its level and a little noise."""
    noise = Decimal(str(rng.uniform(0.97, 1.03)))
    whole = Decimal(1)
    if indicator.measure == Measure.COUNT or ours.denominator is None:
        numerator = (ours.numerator * Decimal(str(size * level)) * noise).quantize(whole, rounding=ROUND_HALF_EVEN)
        return Figure(code, month, numerator, None)
    denominator = max(whole, (ours.denominator * Decimal(str(size))).quantize(whole, rounding=ROUND_HALF_EVEN))
    rate = ours.numerator / ours.denominator if ours.denominator else Decimal(0)
    numerator = (denominator * rate * Decimal(str(level)) * noise).quantize(whole, rounding=ROUND_HALF_EVEN)
    if indicator.measure == Measure.SHARE:
        numerator = min(numerator, denominator)
    if indicator.person_based and 0 < numerator < WITHHELD_BELOW:
        return Figure(code, month, None, None, suppressed=True)
    return Figure(code, month, numerator, denominator)


def load_demo(files: Any, *, say: Callable[[str], object] = print) -> str:
    """Store the demo's peer group and the synthetic comparison figures; a one-line summary."""
    root = ROOT_ID
    name, members = dst_group(HOME)
    PeerGroup.objects.update_or_create(
        municipality=HOME,
        defaults={"name": f"{name} (Danmarks Statistiks kommunegruppe)", "codes": ", ".join(members)},
    )
    indicators = list(Indicator.objects.filter(code__in=COMPARABLE))
    months = list(months_between(files.first_month, files.last_month))
    cells = period_cells(indicators, [root], [Period.month(m) for m in months])
    peers = _peers()
    residents = max(int(getattr(files, "residents", 64_000)), 1)
    rng = random.Random(files.seed)
    stored = 0
    now = timezone.now()
    for indicator in indicators:
        figures = []
        for month in months:
            ours = cells.get((indicator.code, root, Period.month(month)))
            if ours is None:
                continue
            figures.append(Figure(HOME, month, ours.numerator, ours.denominator))
            years = (month.index - months[0].index) / 12
            for peer in peers:
                size = int(peer["residents"]) / residents
                level = float(peer["level"]) * (1 + float(peer["trend"]) * years)
                figures.append(_peer_figure(indicator, peer["municipality"], month, ours, size, level, rng))
            figures.append(_peer_figure(indicator, COUNTRY, month, ours, COUNTRY_RESIDENTS / residents, 1.0, rng))
        summary = comparison_store(
            indicator=indicator, figures=figures, source=SOURCE, retrieved_at=now, synthetic=True
        )
        stored += summary.created + summary.updated
    return f"{len(peers)} synthetic peer municipalities, {stored} comparison figures for {len(indicators)} indicators"
