"""An import computes the suppression patterns of what it changed, in its own transaction, so that the
new figures and what must be hidden of them are committed together: the morning after, no page
computes a pattern, and the patterns of the indicators and years it did not change stay as they were."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from driftsblik.core import hooks
from driftsblik.core.periods import Month, Period
from driftsblik.indicators import rollup, suppression
from driftsblik.indicators.models import Indicator, Observation, RolledUpYear, SuppressionPattern
from driftsblik.indicators.services import observations_load
from driftsblik.organisation.models import UnitSpan
from driftsblik.organisation.tree import TreeCache, tree_changed
from driftsblik.web.tests.helpers import build_municipality

pytestmark = pytest.mark.django_db

MARCH = Month(2025, 3)
YEARS = [2024, 2025]


@pytest.fixture
def municipality(settings):
    """The test municipality with every pattern of 2024 and 2025 kept, as after the tick."""
    settings.ROLLUP_CACHE = True
    units = build_municipality()
    suppression.PATTERNS.clear()
    job = next(j for j in hooks.entries(hooks.TickJob) if j.name == "suppression")
    assert "(4 computed)" in job.run(today=dt.date(2025, 3, 10))
    return units


def person_based() -> list[Indicator]:
    return list(Indicator.objects.filter(person_based=True).order_by("code"))


def kept_keys() -> dict[tuple[str, int], str]:
    return {
        (code, year): key for code, year, key in SuppressionPattern.objects.values_list("indicator_code", "year", "key")
    }


def load(code: str, unit: str, month: Month, numerator: int, denominator: int | None = None) -> None:
    row = {"indicator": code, "unit_id": unit, "period": str(month), "numerator": Decimal(numerator)}
    if denominator is not None:
        row["denominator"] = Decimal(denominator)
    observations_load(rows=[row], source="test", retrieved_at=dt.datetime(2025, 4, 2, tzinfo=dt.UTC))


def no_cold_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    def cold(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page computed a pattern the import should have kept")

    monkeypatch.setattr(suppression, "protect", cold)


def computed_cold(settings, indicators: list[Indicator]) -> dict[tuple[str, int], dict[suppression.Key, str]]:
    """The patterns as one computation finds them from the figures stored now, keeping nothing."""
    settings.ROLLUP_CACHE = False
    try:
        return suppression.patterns(indicators, YEARS, TreeCache())
    finally:
        settings.ROLLUP_CACHE = True


def test_an_import_computes_the_pattern_of_what_it_changed_and_no_page_computes_one_after(
    municipality, settings, monkeypatch
):
    team = municipality["team"][0]
    before = kept_keys()
    computed = suppression.PATTERNS.computed
    load("clients", team, MARCH, 2)  # a count of two: small, hidden from now on

    assert suppression.PATTERNS.computed - computed == 1
    after = kept_keys()
    assert after[("clients", 2025)] != before[("clients", 2025)]
    assert {k: v for k, v in after.items() if k != ("clients", 2025)} == {
        k: v for k, v in before.items() if k != ("clients", 2025)
    }

    expected = computed_cold(settings, person_based())
    assert expected[("clients", 2025)][(team, Period.month(MARCH))] == suppression.SMALL

    suppression.PATTERNS.clear()  # a web worker: nothing in its memory
    no_cold_pattern(monkeypatch)
    assert suppression.patterns(person_based(), YEARS, TreeCache()) == expected


def test_an_import_of_figures_that_count_no_persons_computes_no_pattern(municipality):
    before = kept_keys()
    computed = suppression.PATTERNS.computed
    load("visits", municipality["team"][0], MARCH, 7)
    assert suppression.PATTERNS.computed == computed
    assert kept_keys() == before
    assert (
        Observation.objects.get(indicator_id="visits", unit_id=municipality["team"][0], period=MARCH.first).numerator
        == 7
    )


def test_a_new_tree_computes_every_pattern_again_in_the_organisation_import(municipality, settings, monkeypatch):
    team, institution = municipality["team"][0], municipality["institution"][-1]
    before = kept_keys()
    computed = suppression.PATTERNS.computed
    UnitSpan.objects.filter(unit_id=team).update(parent_id=institution)
    tree_changed.send(sender=test_a_new_tree_computes_every_pattern_again_in_the_organisation_import)

    assert suppression.PATTERNS.computed - computed == 4
    after = kept_keys()
    assert set(after) == set(before) and all(after[k] != before[k] for k in before)
    expected = computed_cold(settings, person_based())
    suppression.PATTERNS.clear()
    no_cold_pattern(monkeypatch)
    assert suppression.patterns(person_based(), YEARS, TreeCache()) == expected


def test_a_pattern_computed_while_an_import_changed_its_figures_is_not_kept(municipality, monkeypatch):
    """A page that computes a pattern reads the year's version, then the figures: when an import
    committed between the two, the pattern is of figures the version does not name, and keeping it
    under that version would serve it with the figures it was not computed for."""
    clients = Indicator.objects.get(code="clients")
    SuppressionPattern.objects.all().delete()
    suppression.PATTERNS.clear()
    real = rollup.whole_tree_months

    def then_an_import_commits(*args: Any, **kwargs: Any) -> object:
        rolled = real(*args, **kwargs)
        RolledUpYear.objects.filter(indicator_code="clients", year=2025).update(version="committed meanwhile")
        return rolled

    monkeypatch.setattr(suppression, "whole_tree_months", then_an_import_commits)
    found = suppression.patterns([clients], [2025], TreeCache())
    assert ("clients", 2025) in found  # the page that asked gets its pattern
    assert not SuppressionPattern.objects.exists()
    assert not suppression.PATTERNS.entries


def test_an_import_that_finds_the_tree_changed_computes_every_pattern(municipality, settings, monkeypatch):
    """A unit moved without the organisation import (the admin, the unassigned unit): the next
    import rolls every month up again, so every year's version changes, and it computes every
    pattern, not only that of the figure it loaded."""
    team, institution = municipality["team"][0], municipality["institution"][-1]
    before = kept_keys()
    computed = suppression.PATTERNS.computed
    UnitSpan.objects.filter(unit_id=team).update(parent_id=institution)
    load("visits", municipality["team"][1], MARCH, 9)

    assert suppression.PATTERNS.computed - computed == 4
    assert all(kept_keys()[k] != before[k] for k in before)
    expected = computed_cold(settings, person_based())
    suppression.PATTERNS.clear()
    no_cold_pattern(monkeypatch)
    assert suppression.patterns(person_based(), YEARS, TreeCache()) == expected


def test_imports_inside_a_deferred_build_leave_the_patterns_to_its_end(municipality):
    computed = suppression.PATTERNS.computed
    with suppression.deferred():
        load("clients", municipality["team"][0], MARCH, 2)
    assert suppression.PATTERNS.computed == computed
    load("clients", municipality["team"][0], MARCH, 3)  # after the build: as ever
    assert suppression.PATTERNS.computed == computed + 1
