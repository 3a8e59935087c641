"""Every part of a report beside the indicator blocks is a registered `ReportSection`, built into the
snapshot under its name, in the reports of its kinds only."""

from __future__ import annotations

import pytest

from driftsblik.core import hooks
from driftsblik.core.periods import Period
from driftsblik.reports.build import build_snapshot, sections

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2025Q1")


def test_the_apps_sections_by_scope_and_kind():
    assert [s.name for s in sections(hooks.TASK_AREA, "status")] == ["commentary", "dialogue", "chosen"]
    assert [s.name for s in sections(hooks.REPORT, "status")] == ["efforts", "comparison", "budget"]
    assert [s.name for s in sections(hooks.REPORT, "budget")] == ["budget"]


def test_a_registered_section_is_built_into_the_snapshot(town):
    calls = []

    def per_area(**kwargs):
        calls.append(sorted(kwargs))
        return {"units": kwargs["units"]}

    area_section = hooks.ReportSection("test.area", per_area, hooks.TASK_AREA)
    budget_only = hooks.ReportSection("test.budget", lambda **kw: "only budget", kinds=frozenset({"budget"}))
    with hooks.registered(area_section), hooks.registered(budget_only):
        status = build_snapshot(committee=town["committee"], period=Q1)
        budget = build_snapshot(committee=town["committee"], period=Q1, kind="budget")
    assert [a["test.area"] for a in status["task_areas"]] == [{"units": ["S1"]}, {"units": ["S2"]}]
    assert calls[0] == ["committee", "kind", "period", "task_area", "tree", "units"]
    assert "test.budget" not in status and budget["test.budget"] == "only budget"
