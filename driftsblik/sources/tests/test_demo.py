"""The demo's synthetic peers: stored through the comparison service, marked synthetic, comparable."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from driftsblik.core.periods import Month
from driftsblik.indicators.tests.helpers import indicator, observe, unit
from driftsblik.sources.demo import SOURCE, load_demo
from driftsblik.sources.models import ComparisonFigure
from driftsblik.sources.selectors import comparison, home_municipality

pytestmark = pytest.mark.django_db


def test_the_demo_compares_its_own_figures_with_synthetic_peers(settings):
    settings.MUNICIPALITY_CODE = ""
    unit("HJK", kind="root")
    unit("UNGE", "HJK", kind="sector")
    youth = indicator("youth_in_job_or_education", measure="share", temporal="stock", person_based=True)
    for month in ("2025-01", "2025-02", "2025-03"):
        observe(youth, "UNGE", month, 1700, 2000)
    files = SimpleNamespace(first_month=Month(2025, 1), last_month=Month(2025, 3), seed=2026, residents=64000)

    summary = load_demo(files, say=lambda _: None)

    assert summary.startswith("30 synthetic peer municipalities")
    assert home_municipality() == "860"
    c = comparison(indicator=youth, period=Month(2025, 3))
    assert c.ours.value == 85  # the root's rolled-up figure: the comparison agrees with the indicator page
    assert c.group_name == "Landkommuner (Danmarks Statistiks kommunegruppe)"
    assert len(c.peers) == 30 and c.synthetic and c.sources == [SOURCE]
    assert c.country is not None and c.country.from_source
    assert ComparisonFigure.objects.filter(synthetic=False).count() == 0
    before = ComparisonFigure.objects.count()
    load_demo(files, say=lambda _: None)
    assert ComparisonFigure.objects.count() == before  # loading again replaces, never doubles


def test_a_tiny_peers_small_person_count_is_withheld_as_a_source_would():
    import random
    from decimal import Decimal

    from driftsblik.indicators.rollup import Cell
    from driftsblik.sources.demo import _peer_figure

    youth = indicator("y", measure="share", temporal="stock", person_based=True)
    ours = Cell(Decimal(30), Decimal(2000))
    tiny = _peer_figure(youth, "825", Month(2025, 3), ours, 0.03, 1.0, random.Random(1))
    assert tiny.suppressed and tiny.numerator is None
    large = _peer_figure(youth, "813", Month(2025, 3), ours, 0.9, 1.0, random.Random(1))
    assert not large.suppressed and large.denominator == 1800
