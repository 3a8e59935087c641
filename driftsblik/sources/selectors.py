"""How do we compare? Our figure beside similar municipalities', the group's and the country's.

Figures for other municipalities come from the public sources (`ComparisonFigure`); they are not
units of the tree, so visibility does not narrow them, but person-based figures with a small
numerator or denominator are hidden from all but analysts, as everywhere.

- our figure, and each peer's: the source's figure for the municipality (like with like: the same
  source and definition for every municipality), or withheld (`..`) or missing;
- the group's and the country's: sum of numerators over sum of denominators (counts: the sum),
  never a mean of ratios; members the source withheld or that have no figure are left out and
  counted, so a group figure says when it is incomplete. The country is the source's own figure
  (Danmarks Statistik's 000) when it has one, else the sum over every municipality stored;
- the rank: our place among the group's members with a figure, best first by the indicator's
  direction (1 = best; equal values share a place).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings

from driftsblik.core.periods import Month
from driftsblik.indicators import suppression
from driftsblik.indicators.models import Direction, Indicator, Measure
from driftsblik.indicators.selectors import unsuppressed
from driftsblik.organisation.models import User
from driftsblik.sources.models import COUNTRY, ComparisonFigure, PeerGroup
from driftsblik.sources.municipalities import dst_group, name_of
from driftsblik.ui.formats import prose_date

FOUR = Decimal("0.0001")


@dataclass(frozen=True)
class PeerFigure:
    """One municipality's figure in a month: withheld by the source, missing, or hidden as small."""

    municipality: str
    name: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    withheld: bool = False
    missing: bool = False
    hidden: bool = False  # a small person-based figure, shown as "<5" to all but analysts
    synthetic: bool = False
    ours: bool = False

    @property
    def shown(self) -> bool:
        return not (self.withheld or self.missing or self.hidden)


@dataclass(frozen=True)
class GroupFigure:
    """A sum over municipalities: numerators over denominators, and who is not in it."""

    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    members: int
    withheld: int = 0
    missing: int = 0
    from_source: bool = False  # the source's own figure (the country, 000), not a sum of ours

    @property
    def complete(self) -> bool:
        return not (self.withheld or self.missing)


@dataclass
class Comparison:
    """An indicator in a month: our figure, each peer's, the group's, the country's, our rank."""

    indicator: Indicator
    period: Month
    municipality: str
    group_name: str
    ours: PeerFigure
    peers: list[PeerFigure]
    group: GroupFigure
    country: GroupFigure | None
    rank: int | None
    ranked: int
    sources: list[str] = field(default_factory=list)
    retrieved_at: dt.datetime | None = None
    synthetic: bool = False

    @property
    def retrieved_day_da(self) -> str:
        """The day the figures were last retrieved: '3. december 2026'."""
        return prose_date(self.retrieved_at) if self.retrieved_at else ""

    @property
    def members(self) -> list[PeerFigure]:
        """Ours and the peers, best first; withheld, hidden and missing figures last."""
        return _ordered(self.indicator, [self.ours, *self.peers])


@dataclass(frozen=True)
class SeriesPoint:
    """One month of the development over time: ours, the group's and the country's."""

    period: Month
    ours: PeerFigure
    group: GroupFigure
    country: GroupFigure | None


def home_municipality() -> str | None:
    """Our municipality: DRIFTSBLIK_MUNICIPALITY_CODE, else the municipality of the one peer group."""
    if settings.MUNICIPALITY_CODE:
        return str(settings.MUNICIPALITY_CODE)
    owners = list(PeerGroup.objects.values_list("municipality", flat=True)[:2])
    return owners[0] if len(owners) == 1 else None


def peer_group(municipality: str) -> tuple[str, list[str]]:
    """The name and member codes (ours included) of the municipality's peer group: its stored group,
    else Danmarks Statistik's municipality group (kommunegruppe) it belongs to."""
    stored = PeerGroup.objects.filter(municipality=municipality).first()
    if stored is not None:
        return stored.name, list(dict.fromkeys([municipality, *stored.members]))
    return dst_group(municipality)


def comparable_indicators() -> list[Indicator]:
    """The indicators a source gives for several municipalities, in the indicators' order."""
    codes = ComparisonFigure.objects.exclude(municipality=COUNTRY).values_list("indicator_id", flat=True).distinct()
    return list(Indicator.objects.filter(code__in=set(codes)).select_related("task_area"))


def _value(indicator: Indicator, numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None:
        return None
    if indicator.measure == Measure.COUNT:
        return numerator
    if not denominator:
        return None
    return (indicator.scale * numerator / denominator).quantize(FOUR, rounding=ROUND_HALF_EVEN)


def _figure(
    indicator: Indicator, code: str, row: ComparisonFigure | None, *, ours: bool, hide_small: bool
) -> PeerFigure:
    name = name_of(code)
    if row is None:
        return PeerFigure(code, name, missing=True, ours=ours)
    if row.suppressed:
        return PeerFigure(code, name, withheld=True, synthetic=row.synthetic, ours=ours)
    small = (
        hide_small
        and indicator.person_based
        and any(part is not None and 0 < part < suppression.limit() for part in (row.numerator, row.denominator))
    )
    return PeerFigure(
        code,
        name,
        None if small else row.numerator,
        None if small else row.denominator,
        None if small else row.value,
        hidden=small,
        synthetic=row.synthetic,
        ours=ours,
    )


def _sum(indicator: Indicator, rows: Iterable[ComparisonFigure | None], members: int) -> GroupFigure:
    numerator = denominator = Decimal(0)
    withheld = missing = counted = 0
    for row in rows:
        if row is None:
            missing += 1
        elif row.suppressed or row.numerator is None:
            withheld += 1
        else:
            counted += 1
            numerator += row.numerator
            if row.denominator is not None:
                denominator += row.denominator
    if not counted:
        return GroupFigure(None, None, None, members, withheld, missing)
    den = denominator if indicator.measure != Measure.COUNT else None
    return GroupFigure(numerator, den, _value(indicator, numerator, den), members, withheld, missing)


def _ordered(indicator: Indicator, figures: list[PeerFigure]) -> list[PeerFigure]:
    sign = -1 if indicator.direction == Direction.HIGHER else 1
    shown = sorted((f for f in figures if f.shown and f.value is not None), key=lambda f: (sign * f.value, f.name))  # type: ignore[operator]
    rest = sorted((f for f in figures if not (f.shown and f.value is not None)), key=lambda f: f.name)
    return shown + rest


def _rank(indicator: Indicator, figures: list[PeerFigure]) -> tuple[int | None, int]:
    values = [f.value for f in figures if f.shown and f.value is not None]
    ours = next((f for f in figures if f.ours), None)
    if ours is None or not ours.shown or ours.value is None:
        return None, len(values)
    if indicator.direction == Direction.HIGHER:
        better = sum(1 for v in values if v > ours.value)
    else:
        better = sum(1 for v in values if v < ours.value)
    return better + 1, len(values)


def _country(indicator: Indicator, rows: dict[str, ComparisonFigure]) -> GroupFigure | None:
    own = rows.get(COUNTRY)
    if own is not None:
        if own.suppressed or own.numerator is None:
            return GroupFigure(None, None, None, 1, withheld=1, from_source=True)
        return GroupFigure(own.numerator, own.denominator, own.value, 1, from_source=True)
    municipalities = [r for code, r in rows.items() if code != COUNTRY]
    return _sum(indicator, municipalities, len(municipalities)) if municipalities else None


def comparison(
    *,
    indicator: Indicator,
    period: Month | None = None,
    municipality: str | None = None,
    user: User | None = None,
    until: Month | None = None,
) -> Comparison | None:
    """The comparison of an indicator in a month (default: the latest month with our figure, at
    `until` or before it).

    None when there is nothing to compare: no municipality is configured, or no source gives the
    indicator for our municipality.
    """
    municipality = municipality or home_municipality()
    if municipality is None:
        return None
    figures = ComparisonFigure.objects.filter(indicator=indicator)
    if period is None:
        ours = figures.filter(municipality=municipality)
        if until is not None:
            ours = ours.filter(period__lte=until.first)
        latest = ours.order_by("-period").values_list("period", flat=True).first()
        if latest is None:
            return None
        period = Month.of(latest)
    rows = {r.municipality: r for r in figures.filter(period=period.first)}
    if not rows:
        return None
    group_name, members = peer_group(municipality)
    if municipality not in members:
        members = [municipality, *members]
    hide = not unsuppressed(user)
    ours = _figure(indicator, municipality, rows.get(municipality), ours=True, hide_small=hide)
    peers = [_figure(indicator, c, rows.get(c), ours=False, hide_small=hide) for c in members if c != municipality]
    rank, ranked = _rank(indicator, [ours, *peers])
    used = [rows[c] for c in members if c in rows]
    return Comparison(
        indicator=indicator,
        period=period,
        municipality=municipality,
        group_name=group_name,
        ours=ours,
        peers=_ordered(indicator, peers),
        group=_sum(indicator, [rows.get(c) for c in members], len(members)),
        country=_country(indicator, rows),
        rank=rank,
        ranked=ranked,
        sources=sorted({r.source for r in used}),
        retrieved_at=max((r.retrieved_at for r in used), default=None),
        synthetic=any(r.synthetic for r in used),
    )


def comparison_series(
    *,
    indicator: Indicator,
    municipality: str | None = None,
    first: Month | None = None,
    last: Month | None = None,
    user: User | None = None,
) -> list[SeriesPoint]:
    """The development over time: ours, the group's and the country's, month by month, for the
    months our municipality has a figure (withheld ones included, marked)."""
    municipality = municipality or home_municipality()
    if municipality is None:
        return []
    _, members = peer_group(municipality)
    if municipality not in members:
        members = [municipality, *members]
    figures = ComparisonFigure.objects.filter(indicator=indicator)
    if first is not None:
        figures = figures.filter(period__gte=first.first)
    if last is not None:
        figures = figures.filter(period__lte=last.first)
    by_period: dict[dt.date, dict[str, ComparisonFigure]] = defaultdict(dict)
    for row in figures.order_by("period"):
        by_period[row.period][row.municipality] = row
    hide = not unsuppressed(user)
    points = []
    for day, rows in sorted(by_period.items()):
        if municipality not in rows:
            continue
        points.append(
            SeriesPoint(
                Month.of(day),
                _figure(indicator, municipality, rows[municipality], ours=True, hide_small=hide),
                _sum(indicator, [rows.get(c) for c in members], len(members)),
                _country(indicator, rows),
            )
        )
    return points
