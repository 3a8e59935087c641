"""`driftsblik tick` computes the suppression patterns ahead, so that no page computes one cold."""

from __future__ import annotations

import datetime as dt

import pytest

from driftsblik.core import hooks
from driftsblik.indicators import suppression
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.tree import TreeCache
from driftsblik.web.tests.helpers import build_municipality

pytestmark = pytest.mark.django_db


def test_the_tick_job_keeps_every_pattern_a_page_will_ask_for(settings, monkeypatch):
    settings.ROLLUP_CACHE = True
    build_municipality()
    suppression.PATTERNS.clear()
    job = next(j for j in hooks.entries(hooks.TickJob) if j.name == "suppression")
    summary = job.run(today=dt.date(2025, 3, 10))
    assert "2 indicators x 2 years" in summary and "(4 computed)" in summary

    def cold(*args, **kwargs):
        raise AssertionError("a pattern computed cold after the tick")

    monkeypatch.setattr(suppression, "protect", cold)
    indicators = list(Indicator.objects.filter(person_based=True))
    found = suppression.patterns(indicators, [2024, 2025], TreeCache())
    assert set(found) == {(i.code, y) for i in indicators for y in (2024, 2025)}
    # a second tick on the same data computes nothing
    assert "(0 computed)" in job.run(today=dt.date(2025, 3, 11))


def test_without_highspy_the_audit_falls_back_to_scipy_and_finds_the_same_pattern(monkeypatch):
    from decimal import Decimal

    from driftsblik.indicators.rollup import Cell

    def count(n: int) -> Cell:
        return Cell(Decimal(n), None)

    cells = {k: count(n) for k, n in {"t": 40, "a": 3, "b": 4, "c": 13, "d": 20, "u": 16, "v": 24}.items()}
    equations = [
        suppression.Equation("t", ("a", "b", "c", "d"), count(0)),
        suppression.Equation("t", ("u", "v"), count(0)),
        suppression.Equation("u", ("a", "c"), count(0)),
        suppression.Equation("v", ("b", "d"), count(0)),
    ]
    warm_pattern = suppression.protect(cells, equations, 5)

    def missing(*args, **kwargs):
        raise ImportError("No module named 'highspy'")

    monkeypatch.setattr(suppression, "_highs_model", missing)
    assert suppression.protect(cells, equations, 5) == warm_pattern
    assert warm_pattern["a"] == warm_pattern["b"] == suppression.SMALL
