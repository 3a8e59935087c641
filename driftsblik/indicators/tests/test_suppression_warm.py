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
