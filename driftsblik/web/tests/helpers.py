"""A small municipality with leaders, indicators, targets and monthly figures, for the page tests.

    K (root)
    ├── A1 (area) ── S1 (sector) ── I1..In (institutions) ── teams
    │             └─ S2 (sector) ── institutions ── teams
    └── A2 (area) ── S3 (sector) ── institutions ── teams

Observations are loaded at the teams (and nowhere else), so every figure above is a roll-up.
`size` sets how many institutions per sector and teams per institution: the query-count tests
build it twice with different sizes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from driftsblik.core.periods import Month, month_range
from driftsblik.indicators.models import Indicator, Observation, Target
from driftsblik.organisation.models import ANALYST_GROUP, DIRECTORATE_GROUP, User
from driftsblik.organisation.tests.factories import make_committee, make_leader, make_tree, make_user

PASSWORD = "a-long-test-password-42"
FIRST = Month(2024, 1)
LATEST = Month(2025, 3)
SECTORS = {"A1": ["S1", "S2"], "A2": ["S3"]}


def build_municipality(*, institutions: int = 2, teams: int = 2) -> dict[str, list[str]]:
    """The tree, leaders, three key indicators with targets, and figures from 2024-01 to 2025-03.

    Returns the unit ids by kind.
    """
    rows: list[tuple[str, str | None, str, str]] = [("K", None, "Kommunen", "root")]
    units: dict[str, list[str]] = {"area": [], "sector": [], "institution": [], "team": []}
    for area, sectors in SECTORS.items():
        rows.append((area, "K", f"Område {area}", "area"))
        units["area"].append(area)
        for sector in sectors:
            rows.append((sector, area, f"Sektor {sector}", "sector"))
            units["sector"].append(sector)
            for i in range(1, institutions + 1):
                inst = f"{sector}I{i}"
                rows.append((inst, sector, f"Institution {inst}", "institution"))
                units["institution"].append(inst)
                for t in range(1, teams + 1):
                    team = f"{inst}T{t}"
                    rows.append((team, inst, f"Team {team}", "team"))
                    units["team"].append(team)
    make_tree(rows)
    make_committee("AU", "Udvalget", task_areas={"ARB": ("Beskæftigelse", [u[0] for u in rows])})
    from driftsblik.organisation.models import TaskArea

    task_area = TaskArea.objects.get(code="ARB")
    visits = Indicator.objects.create(
        code="visits",
        name="Besøg",
        kind="activity",
        measure="count",
        temporal="flow",
        direction="higher",
        unit_label="besøg",
        tolerance_pct=10,
        task_area=task_area,
        key=True,
        sort_order=1,
        source="Fagsystem",
        owner="Sektor S1",
    )
    share = Indicator.objects.create(
        code="in_job",
        name="Andel i job",
        kind="result",
        measure="share",
        temporal="stock",
        direction="higher",
        unit_label="%",
        tolerance_pct=5,
        task_area=task_area,
        key=True,
        sort_order=2,
        person_based=True,
    )
    clients = Indicator.objects.create(
        code="clients",
        name="Borgere i forløb",
        kind="activity",
        measure="count",
        temporal="stock",
        direction="lower",
        unit_label="borgere",
        tolerance_pct=10,
        task_area=task_area,
        key=True,
        sort_order=3,
        person_based=True,
    )
    now = timezone.now()
    observations = []
    for n, team in enumerate(units["team"]):
        for month in month_range(FIRST, LATEST):
            base = 100 + 10 * n + month.month
            observations.append(
                Observation(indicator=visits, unit_id=team, period=month.first, numerator=Decimal(base), loaded_at=now)
            )
            observations.append(
                Observation(
                    indicator=share,
                    unit_id=team,
                    period=month.first,
                    numerator=Decimal(20 + n % 7),
                    denominator=Decimal(40),
                    loaded_at=now,
                )
            )
            observations.append(
                Observation(
                    indicator=clients, unit_id=team, period=month.first, numerator=Decimal(30 + n), loaded_at=now
                )
            )
    Observation.objects.bulk_create(observations)
    targets = []
    for unit_id, *_ in rows:
        for year in (2024, 2025):
            targets.append(Target(indicator=visits, unit_id=unit_id, year=year, value=Decimal(1000)))
            targets.append(Target(indicator=share, unit_id=unit_id, year=year, value=Decimal(55)))
            targets.append(Target(indicator=clients, unit_id=unit_id, year=year, value=Decimal(100)))
    Target.objects.bulk_create(targets)
    return units


def leader(email: str, unit_id: str, name: str = "", groups: tuple[str, ...] = ()) -> User:
    user = make_leader(
        email, unit_id, name=name or email.split("@")[0].title(), valid_from=dt.date(2020, 1, 1), groups=groups
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def people() -> dict[str, object]:
    """The kommunaldirektør, a directorate member, a director, a sector head, an institution leader,
    an analyst and a person who leads nothing."""
    return {
        "kd": leader("kd@example.dk", "K", "Kirsten Direktør"),
        "directorate": make_user("direktion@example.dk", name="Dorte Direktion", groups=[DIRECTORATE_GROUP]),
        "director": leader("a1@example.dk", "A1", "Anders Område"),
        "sector": leader("s1@example.dk", "S1", "Sofie Sektor"),
        "institution": leader("i1@example.dk", "S1I1", "Ida Institution"),
        "analyst": make_user("analytiker@example.dk", name="Alma Analytiker", groups=[ANALYST_GROUP]),
        "nobody": make_user("ingen@example.dk", name="Ingen Enhed"),
    }


def set_observation(code: str, unit_id: str, month: Month, numerator: int, denominator: int | None = None) -> None:
    Observation.objects.filter(indicator_id=code, unit_id=unit_id, period=month.first).update(
        numerator=Decimal(numerator), denominator=None if denominator is None else Decimal(denominator)
    )
