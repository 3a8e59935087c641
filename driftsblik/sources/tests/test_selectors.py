"""The comparison with similar municipalities: our figure, each peer's, the group's, the country's, the rank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from driftsblik.core.periods import Month
from driftsblik.indicators.tests.helpers import indicator, person
from driftsblik.sources.connectors.base import Figure
from driftsblik.sources.models import ComparisonFigure, PeerGroup, validate_codes
from driftsblik.sources.selectors import (
    comparable_indicators,
    comparison,
    comparison_series,
    home_municipality,
    peer_group,
)
from driftsblik.sources.services import comparison_store

pytestmark = pytest.mark.django_db
MARCH = Month(2025, 3)
WHEN = dt.datetime(2025, 4, 2, 8, tzinfo=dt.UTC)


def store(ind, figures: dict[str, tuple | None], month: Month = MARCH, synthetic: bool = False) -> None:
    """figures: code -> (numerator, denominator), (numerator,) for counts, or None for withheld."""
    comparison_store(
        indicator=ind,
        figures=[
            Figure(code, month, None, None, True)
            if parts is None
            else Figure(code, month, Decimal(parts[0]), Decimal(parts[1]) if len(parts) > 1 else None)
            for code, parts in figures.items()
        ],
        source="Danmarks Statistik, AUK01/FOLK1A",
        retrieved_at=WHEN,
        synthetic=synthetic,
    )


@pytest.fixture
def rate(settings):
    settings.MUNICIPALITY_CODE = "860"
    PeerGroup.objects.create(municipality="860", name="Nordjyske landkommuner", codes="810, 813 849")
    return indicator("kth", measure="rate_per_1000", temporal="stock", direction="lower")


def test_the_group_is_sum_over_sum_never_a_mean_of_rates(rate):
    store(rate, {"860": (30, 1000), "810": (10, 100), "813": (50, 10000), "849": (20, 2000), "851": (1, 1)})
    c = comparison(indicator=rate, period=MARCH)
    assert c.ours.value == Decimal(30)
    # (30 + 10 + 50 + 20) / (1000 + 100 + 10000 + 2000) * 1000; the mean of the four rates would be 30
    assert c.group.value == Decimal("8.3969")
    assert (c.group.members, c.group.complete) == (4, True)
    assert [p.municipality for p in c.peers] == ["813", "849", "810"]  # lower is better: best first
    assert c.group_name == "Nordjyske landkommuner"
    assert c.sources == ["Danmarks Statistik, AUK01/FOLK1A"] and c.retrieved_at == WHEN


def test_the_rank_follows_the_direction_and_ties_share_a_place(rate):
    store(rate, {"860": (20, 1000), "810": (2, 100), "813": (50, 10000), "849": (20, 1000)})
    c = comparison(indicator=rate, period=MARCH)
    assert (c.rank, c.ranked) == (2, 4)  # 813 (5.0) is better; 810, 849 and we share 20.0
    higher = indicator("share", measure="share", direction="higher")
    store(higher, {"860": (20, 100), "810": (30, 100), "813": (10, 100), "849": (40, 100)})
    assert comparison(indicator=higher, period=MARCH).rank == 3


def test_a_withheld_peer_is_marked_and_left_out_of_the_group_and_the_rank(rate):
    store(rate, {"860": (30, 1000), "810": None, "813": (50, 10000), "000": (60000, 3600000)})
    c = comparison(indicator=rate, period=MARCH)
    withheld = next(p for p in c.peers if p.municipality == "810")
    assert withheld.withheld and withheld.value is None
    missing = next(p for p in c.peers if p.municipality == "849")
    assert missing.missing
    assert (c.group.withheld, c.group.missing, c.group.complete) == (1, 1, False)
    assert c.group.value == Decimal("7.2727")  # (30 + 50) / (1000 + 10000) * 1000
    assert (c.rank, c.ranked) == (2, 2)
    # shown figures best first, then the withheld and missing ones by name (Brønderslev, Jammerbugt)
    assert [m.municipality for m in c.members] == ["813", "860", "810", "849"]


def test_the_country_is_the_sources_own_figure_else_the_sum_of_every_municipality(rate):
    store(rate, {"860": (30, 1000), "810": (10, 100), "000": (60000, 3600000)})
    country = comparison(indicator=rate, period=MARCH).country
    assert country.from_source and country.value == Decimal("16.6667")
    store(rate, {"860": (30, 1000), "851": (70, 1000)}, month=Month(2025, 6))
    country = comparison(indicator=rate, period=Month(2025, 6)).country
    assert not country.from_source and country.value == Decimal(50) and country.members == 2


def test_without_a_stored_group_the_peers_are_danmarks_statistiks_kommunegruppe(settings):
    settings.MUNICIPALITY_CODE = "860"
    name, members = peer_group("860")
    assert name == "Landkommuner" and len(members) == 31 and "810" in members and "851" not in members
    ind = indicator("pop", measure="count", temporal="stock")
    store(ind, {"860": (64000,), "810": (36500,), "851": (222000,)})
    c = comparison(indicator=ind, period=MARCH)
    assert c.group.value == Decimal(64000 + 36500)  # a count's group figure is the sum
    assert (c.group.members, c.group.missing) == (31, 29)


def test_our_latest_month_is_the_default_and_the_series_runs_over_time(rate):
    store(rate, {"860": (30, 1000), "810": (10, 100)}, month=Month(2024, 12))
    store(rate, {"860": (20, 1000), "810": (10, 100), "000": (60000, 3600000)}, month=MARCH)
    store(rate, {"810": (10, 100)}, month=Month(2025, 6))
    assert comparison(indicator=rate).period == MARCH
    series = comparison_series(indicator=rate)
    assert [p.period for p in series] == [Month(2024, 12), MARCH]
    assert [p.ours.value for p in series] == [Decimal(30), Decimal(20)]
    assert series[0].country.from_source is False and series[1].country.from_source is True
    assert comparable_indicators() == [rate]


def test_small_person_based_figures_are_hidden_from_all_but_analysts(rate):
    people = indicator("people", measure="count", temporal="stock", person_based=True)
    store(people, {"860": (3,), "810": (12,)})
    leader = comparison(indicator=people, period=MARCH, user=person("leder@example.dk"))
    assert leader.ours.hidden and leader.ours.value is None and leader.rank is None
    analyst = comparison(indicator=people, period=MARCH, user=person("a@example.dk", analyst=True))
    assert not analyst.ours.hidden and analyst.ours.value == 3


def test_our_municipality_is_the_setting_or_the_one_peer_group(settings):
    settings.MUNICIPALITY_CODE = ""
    assert home_municipality() is None
    PeerGroup.objects.create(municipality="813", name="x", codes="810")
    assert home_municipality() == "813"
    settings.MUNICIPALITY_CODE = "860"
    assert home_municipality() == "860"


def test_a_peer_group_names_three_digit_codes():
    validate_codes("810, 813 849\n860")
    with pytest.raises(ValidationError):
        validate_codes("810, Hjørring")
    with pytest.raises(ValidationError):
        validate_codes(" , ")


@hypothesis_settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=5000), st.integers(min_value=1, max_value=100000)),
        min_size=1,
        max_size=8,
    )
)
def test_a_group_figure_is_always_sum_over_sum_and_between_its_members(parts):
    from driftsblik.indicators.models import Indicator
    from driftsblik.sources.selectors import _sum

    ind = Indicator(code="r", name="r", kind="result", measure="rate_per_1000", temporal="stock", direction="lower")
    rows = [ComparisonFigure(numerator=Decimal(n), denominator=Decimal(d)) for n, d in parts]
    group = _sum(ind, rows, len(rows))
    expected = Decimal(1000) * sum(Decimal(n) for n, _ in parts) / sum(Decimal(d) for _, d in parts)
    assert group.value == expected.quantize(Decimal("0.0001"))
    rates = [Decimal(1000) * n / d for n, d in parts]
    assert min(rates) - Decimal("0.0001") <= group.value <= max(rates) + Decimal("0.0001")
