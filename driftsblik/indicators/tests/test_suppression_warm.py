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

    monkeypatch.setattr(suppression, "highs_model", missing)
    assert suppression.protect(cells, equations, 5) == warm_pattern
    assert warm_pattern["a"] == warm_pattern["b"] == suppression.SMALL


def test_a_pattern_kept_by_the_tick_serves_every_other_process(settings, monkeypatch):
    """The tick runs in a process of its own: the patterns it computes are kept in the database,
    so a web worker (here: the same process with its own memory emptied) reads them, never
    computing one cold, and finds exactly what the tick found."""
    from driftsblik.indicators.models import SuppressionPattern

    settings.ROLLUP_CACHE = True
    build_municipality()
    suppression.PATTERNS.clear()
    indicators = list(Indicator.objects.filter(person_based=True))
    job = next(j for j in hooks.entries(hooks.TickJob) if j.name == "suppression")
    job.run(today=dt.date(2025, 3, 10))
    computed = suppression.patterns(indicators, [2024, 2025], TreeCache())
    assert SuppressionPattern.objects.count() == 4

    suppression.PATTERNS.clear()  # another process: nothing in its memory

    def cold(*args, **kwargs):
        raise AssertionError("a pattern computed cold although the tick kept it")

    monkeypatch.setattr(suppression, "protect", cold)
    assert suppression.patterns(indicators, [2024, 2025], TreeCache()) == computed


def test_new_data_make_new_patterns_and_the_old_ones_go(settings):
    from driftsblik.indicators.models import ImportBatch, SuppressionPattern

    settings.ROLLUP_CACHE = True
    build_municipality()
    suppression.PATTERNS.clear()
    indicator = Indicator.objects.filter(person_based=True).order_by("code")[0]
    suppression.patterns([indicator], [2025], TreeCache())
    old = set(SuppressionPattern.objects.values_list("key", flat=True))
    from django.utils import timezone

    ImportBatch.objects.create(kind="observations", file_name="more.csv", rows=1, created_at=timezone.now())
    suppression.patterns([indicator], [2025], TreeCache())
    new = set(SuppressionPattern.objects.values_list("key", flat=True))
    assert len(new) == 1 and new != old


def test_a_kept_pattern_reads_back_as_it_was_computed():
    from driftsblik.core.periods import Month, Period

    found = {
        ("S1", Period.month(Month(2025, 3))): suppression.SMALL,
        ("S1", Period.parse("2025Q1")): suppression.SECONDARY,
        (("effort", 7), Period.parse("2025")): suppression.SECONDARY,
    }
    stored = suppression._encoded(found)
    import json

    assert suppression._decoded(json.loads(json.dumps(stored))) == found
