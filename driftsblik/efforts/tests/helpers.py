"""A small effort across two branches of a small tree, for the efforts tests.

    K ── A1 ── S1 ── J (jobcenter) ── J1, J2 (teams)
      └─ A2 ── S2 ── U (youth unit) ── U1 (team)

`in_work` is a person-based share (numerator / denominator) and `neet` a person-based count,
both stocks, with figures at the teams for 2024-01..2025-03.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from driftsblik.core.periods import Month, month_range
from driftsblik.efforts.models import Effort
from driftsblik.efforts.services import effort_create, goal_indicator_add, participant_add, target_set
from driftsblik.indicators.models import Indicator, Observation
from driftsblik.organisation.models import DIRECTORATE_GROUP, Unit
from driftsblik.organisation.tests.factories import make_tree, make_user

FIRST = Month(2024, 1)
LATEST = Month(2025, 3)
TREE = {"K": {"A1": {"S1": {"J": ["J1", "J2"]}}, "A2": {"S2": {"U": ["U1"]}}}}
# (unit, numerator, denominator) of in_work every month
SHARES = {"J1": (10, 40), "J2": (30, 60), "U1": (8, 20)}
NEET = {"J1": 12, "J2": 3, "U1": 20}


def indicators() -> tuple[Indicator, Indicator]:
    share = Indicator.objects.create(
        code="in_work",
        name="Andel i arbejde",
        kind="result",
        measure="share",
        temporal="stock",
        direction="higher",
        unit_label="%",
        person_based=True,
    )
    count = Indicator.objects.create(
        code="neet",
        name="Unge uden job eller uddannelse",
        kind="result",
        measure="count",
        temporal="stock",
        direction="lower",
        unit_label="unge",
        person_based=True,
    )
    return share, count


def figures(first: Month = FIRST, last: Month = LATEST) -> None:
    share, count = Indicator.objects.get(code="in_work"), Indicator.objects.get(code="neet")
    now = timezone.now()
    rows = []
    for month in month_range(first, last):
        for unit, (num, den) in SHARES.items():
            rows.append(
                Observation(
                    indicator=share,
                    unit_id=unit,
                    period=month.first,
                    numerator=Decimal(num),
                    denominator=Decimal(den),
                    loaded_at=now,
                )
            )
        for unit, num in NEET.items():
            rows.append(
                Observation(indicator=count, unit_id=unit, period=month.first, numerator=Decimal(num), loaded_at=now)
            )
    Observation.objects.bulk_create(rows)


def owner():
    return make_user("direktor@example.dk", name="Dorte Direktør", groups=[DIRECTORATE_GROUP])


def build_effort(*, participants: tuple[str, ...] = ("J1", "J2", "U1"), with_figures: bool = True) -> Effort:
    """The tree, the two indicators, figures, and an effort with the given unit participants and a partner."""
    make_tree(TREE)
    share, count = indicators()
    if with_figures:
        figures()
    effort = effort_create(
        code="ungegaranti",
        name="Ungegarantien",
        purpose="Alle unge i job eller uddannelse",
        owner=owner(),
        start=dt.date(2024, 1, 1),
        end=dt.date(2027, 12, 31),
        phase="implementation",
        cohort="youth_neet",
    )
    goal_indicator_add(effort=effort, indicator=share)
    goal_indicator_add(effort=effort, indicator=count)
    for unit in participants:
        participant_add(
            effort=effort,
            unit=Unit.objects.get(id=unit),
            contact_name=f"Kontakt {unit}",
            contact_email=f"{unit.lower()}@example.dk",
            role="Udfører",
        )
    participant_add(effort=effort, partner="EUC Nord", contact_name="Erik Erhvervsskole", role="Uddannelse")
    target_set(effort=effort, indicator=share, year=2025, value=Decimal(50))
    return effort
