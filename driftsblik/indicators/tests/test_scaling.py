"""What must not grow with the municipality: the queries a page makes, whatever the number of units
and months of history, and the latest month read from an index rather than a scan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from driftsblik.core.periods import Month, month_range
from driftsblik.indicators import pages
from driftsblik.indicators.models import Indicator, Observation
from driftsblik.indicators.suppression import PATTERNS
from driftsblik.organisation.tests.factories import make_tree
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db

PAGES = [
    ("kd", "/"),
    ("sector", "/"),
    ("sector", "/enhed/S1/"),
    ("sector", "/indikator/in_job/S1/"),
    ("kd", "/indikator/visits/K/"),
]


def page_queries(client, who) -> dict[tuple[str, str], int]:
    counts = {}
    for person, url in PAGES:
        client.force_login(who[person])
        client.get(url)  # anything a page keeps between requests is kept by now
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(person, url)] = len(queries.captured_queries)
    return counts


def grow(months: list[Month]) -> None:
    """Two more institutions with two teams each under every sector, and figures for every team in
    `months` (history before the figures the municipality was built with)."""
    rows = []
    for sector in ("S1", "S2", "S3"):
        for i in range(10, 12):
            rows.append((f"{sector}I{i}", sector, f"Institution {sector}I{i}", "institution"))
            rows.extend((f"{sector}I{i}T{t}", f"{sector}I{i}", f"Team {sector}I{i}T{t}", "team") for t in (1, 2))
    make_tree(rows)
    teams = [u for u, _p, _n, kind in rows if kind == "team"] + ["S1I1T1", "S2I1T1", "S3I1T1"]
    indicators = list(Indicator.objects.all())
    now = timezone.now()
    stored = set(Observation.objects.values_list("indicator_id", "unit_id", "period"))
    Observation.objects.bulk_create(
        Observation(
            indicator=ind,
            unit_id=team,
            period=month.first,
            numerator=Decimal(3),
            denominator=None if ind.measure == "count" else Decimal(9),
            loaded_at=now,
        )
        for ind in indicators
        for team in teams
        for month in months
        if (ind.code, team, month.first) not in stored
    )


@pytest.fixture
def kept(settings):
    """As served: figures kept between requests until the data change."""
    settings.ROLLUP_CACHE = True
    yield
    PATTERNS.clear()


def test_queries_per_page_do_not_grow_with_units_or_history(client, kept):
    build_municipality(institutions=1, teams=1)
    who = people()
    small = page_queries(client, who)
    grow(month_range(Month(2023, 1), Month(2025, 3)))
    large = page_queries(client, who)
    assert large == small


def test_the_latest_month_is_read_from_an_index_on_the_period():
    build_municipality(institutions=1, teams=1)
    assert pages.latest_month() == Month(2025, 3)
    sql = "SELECT MAX(period) FROM indicators_observation"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is scanned; a large one would not be
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
    assert "observation_period" in plan, plan


def test_the_observations_carry_only_the_indexes_their_look_ups_use():
    # every import writes every index of the table: a foreign key's own index (and on PostgreSQL
    # its LIKE twin) would be written for nothing, as the indexes below start with each key
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "indicators_observation")
    indexes = {tuple(c["columns"]) for c in found.values() if (c["index"] or c["unique"]) and not c["primary_key"]}
    assert indexes == {
        ("indicator_id", "period"),
        ("period",),
        ("unit_id", "period"),
        ("indicator_id", "unit_id", "period"),
    }
    build_municipality(institutions=1, teams=1)
    unit = Observation.objects.values_list("unit_id", flat=True).first()
    sql = "SELECT id FROM indicators_observation WHERE unit_id = %s"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", [unit])
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", [unit])
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
    assert "observation_unit_period" in plan, plan
