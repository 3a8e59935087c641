"""A committee report covers each task area with its result indicators (and its key ones), so no task
area reads "Ingen centrale nøgletal" while it has figures."""

from __future__ import annotations

import pytest

from driftsblik.core.periods import Period
from driftsblik.indicators.models import Indicator
from driftsblik.reports.build import build_snapshot
from driftsblik.reports.render import render_fragment

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025Q1")


def codes(snapshot, area):
    found = next(a for a in snapshot["task_areas"] if a["code"] == area)
    return list(dict.fromkeys(b["indicator"] for b in found["indicators"]))


def test_result_indicators_are_in_the_report_without_being_key(town):
    Indicator.objects.update(key=False)
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert codes(snapshot, "BES") == ["in_job"]  # the result indicator; the activity one is not key
    assert "in_job" in {a["code"] for a in snapshot["appendix"]}


def test_an_area_with_only_activity_figures_shows_them(town):
    Indicator.objects.update(key=False)
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert codes(snapshot, "UNG") == ["clients"]
    assert "Ingen centrale nøgletal" not in render_fragment(snapshot)


def test_key_indicators_come_first_and_indicators_without_figures_are_left_out(town):
    Indicator.objects.filter(code="in_job").update(key=False)
    Indicator.objects.create(
        code="empty_result",
        name="Uden tal",
        kind="result",
        measure="count",
        temporal="flow",
        direction="higher",
        task_area=town["committee"].task_areas.get(code="BES"),
    )
    snapshot = build_snapshot(committee=town["committee"], period=Q1)
    assert codes(snapshot, "BES") == ["visits", "in_job"]
