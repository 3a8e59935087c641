"""The declared extension points: what every app registers, held to the code so a rename fails here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver

from driftsblik.core import hooks

REGISTERED = {
    "tick_jobs": ["suppression", "dialogue", "reports", "efforts", "sources"],
    "report_sections": ["commentary", "dialogue", "chosen", "efforts", "comparison", "budget"],
    "demo_loaders": ["budget", "dialogue", "efforts", "sources", "reports"],
    "overview_sections": [
        "efforts.mine",
        "dialogue.to_me",
        "dialogue.unit",
        "dialogue.indicator",
        "reports.commentary_due",
        "sources.compare",
    ],
    "menu_entries": [
        "overview",
        "catalogue",
        "efforts",
        "reports",
        "sources",
        "budget",
        "pathways",
        "dialogue",
        "notifications",
        "api",
    ],
    "excel_tables": [
        "dialogue.quality",
        "budget",
        "efforts.participants",
        "pathways",
        "scorecard",
        "below",
        "children",
        "peers",
        "breakdown",
        "months",
    ],
    "data_sources": ["sources.jobindsats", "sources.os2mo", "sources.statbank"],
    "figure_explanations": ["reports.commentary", "dialogue.answers"],
}


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_what_is_registered():
    got = hooks.registry.names()
    assert {slot: sorted(names) for slot, names in got.items()} == {
        slot: sorted(names) for slot, names in REGISTERED.items()
    }


def test_the_order_of_the_menu_the_tick_and_the_demo():
    got = hooks.registry.names()
    assert got["menu_entries"] == REGISTERED["menu_entries"]
    assert got["tick_jobs"] == REGISTERED["tick_jobs"]
    assert got["demo_loaders"] == REGISTERED["demo_loaders"]


def test_every_lazy_contribution_imports():
    lazy = [r.load for r in hooks.entries(hooks.DemoLoader) if isinstance(r.load, hooks.Lazy)]
    assert lazy
    for target in lazy:
        assert callable(target.resolve()), target


def test_every_menu_entry_and_download_names_a_route():
    routes = _url_names()
    for entry in hooks.entries(hooks.MenuEntry):
        assert entry.url_name in routes, entry
    for table in hooks.entries(hooks.ExcelTable):
        assert table.url_name in routes, table


def test_every_overview_section_has_its_template():
    for section in hooks.entries(hooks.OverviewSection):
        get_template(section.template)


def test_an_undeclared_kind_a_second_name_and_an_unknown_place_are_refused():
    class Other:
        name = "x"

    with pytest.raises(TypeError, match="not a declared extension point"):
        hooks.register(Other())  # type: ignore[type-var]
    with pytest.raises(ValueError, match="registered twice"):
        hooks.register(hooks.TickJob("dialogue", lambda *, today: ""))
    with pytest.raises(ValueError, match="no place"):
        hooks.OverviewSection("x", "sidebar", "x.html", dict)


def test_a_record_registered_for_a_while_is_gone_after():
    def job(*, today: dt.date) -> str:
        return "done"

    with hooks.registered(hooks.TickJob("extra", job, order=99)):
        assert hooks.registry.names()["tick_jobs"][-1] == "extra"
    assert "extra" not in hooks.registry.names()["tick_jobs"]


def test_an_explanation_is_a_commentary_or_an_answer():
    moment = dt.datetime(2025, 4, 1, 9, tzinfo=dt.UTC)
    assert hooks.Explanation("Tekst", "Ida", moment, hooks.ANSWER).url == ""
    with pytest.raises(ValueError, match="explanation kind"):
        hooks.Explanation("Tekst", "Ida", moment, "note")


def test_an_explanation_about_a_later_period_is_not_beside_an_earlier_figure():
    from driftsblik.core.periods import Period

    march = Period.parse("2025-03")
    assert hooks.not_after("2025Q1", march)
    assert hooks.not_after("2025-03", march)
    assert not hooks.not_after("2025-04", march)
    assert hooks.not_after("2025Q2", Period.parse("2025-05"))  # a quarter under way is about the month too
    assert hooks.not_after("2025Q2", None)
    assert not hooks.not_after("not a period", march)
