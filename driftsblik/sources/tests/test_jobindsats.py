"""Jobindsats through the real connector against a loopback server answering like API v2."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from driftsblik.core.periods import Month
from driftsblik.indicators.models import Observation
from driftsblik.sources.mapping import EXAMPLES, source_named
from driftsblik.sources.models import ComparisonFigure
from driftsblik.sources.services import FetchFailed, source_fetch
from driftsblik.sources.tests.test_statbank import data_snapshot

pytestmark = pytest.mark.django_db


def mapping(folder: Path, name: str = "jobindsats-kontanthjaelp", edit=lambda t: t) -> str:
    text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8").replace("HJK", "K")
    (folder / f"{name}.yaml").write_text(edit(text), encoding="utf-8")
    return name


def fetch(name: str, **kwargs):
    return source_fetch(source=source_named(name), first=Month(2024, 1), last=Month(2024, 12), **kwargs)


def test_recipients_per_municipality_and_month(jobindsats, sources_dir, municipality):
    report = fetch(mapping(sources_dir))
    own = Observation.objects.filter(unit_id="K").order_by("period")
    assert [o.period.month for o in own] == [1, 2, 3, 4, 5, 6]
    # Hjørring 2024M01: Kvinder round(640 * 0.52) + Mænd round(640 * 0.48)
    assert own[0].numerator == Decimal(333 + 307)
    assert own[0].source == "Jobindsats (STAR), Y36A02"
    areas = set(ComparisonFigure.objects.values_list("municipality", flat=True))
    assert areas == {"000", "851", "810", "813", "860", "849"}  # RAR Nordjylland is no municipality
    assert report.compared.created == 36
    assert [r.headers["Authorization"] for r in jobindsats.requests] == [jobindsats.KEY] * 2


def test_a_withheld_figure_is_kept_as_withheld(jobindsats, sources_dir, municipality):
    fetch(mapping(sources_dir, "jobindsats-uddannelseshjaelp"))
    withheld = ComparisonFigure.objects.get(municipality="849", period=Month(2024, 3).first)
    assert withheld.suppressed and withheld.value is None
    assert not ComparisonFigure.objects.get(municipality="849", period=Month(2024, 4).first).suppressed


def test_without_a_key_nothing_is_asked(jobindsats, sources_dir, municipality, settings):
    settings.JOBINDSATS_API_KEY = ""
    with pytest.raises(FetchFailed, match="set DRIFTSBLIK_JOBINDSATS_API_KEY"):
        fetch(mapping(sources_dir))
    assert jobindsats.requests == []


def test_a_refused_key_says_so(jobindsats, sources_dir, municipality, settings):
    settings.JOBINDSATS_API_KEY = "expired"
    with pytest.raises(FetchFailed, match="HTTP 401: Authorization has been denied for this request."):
        fetch(mapping(sources_dir))


def test_rows_of_a_value_not_listed_would_be_summed_twice_and_stop_the_fetch(jobindsats, sources_dir, municipality):
    name = mapping(sources_dir, edit=lambda t: t.replace("  variables:\n    _kon: [Kvinder, Mænd]\n", ""))
    before = data_snapshot()
    with pytest.raises(FetchFailed, match="Køn 'Køn i alt' is not among the mapping's values"):
        fetch(name)
    assert data_snapshot() == before


def test_a_measure_that_is_gone_stops_the_fetch(jobindsats, sources_dir, municipality):
    jobindsats.renamed["Antal personer"] = "Personer"
    with pytest.raises(FetchFailed, match="expected Antal personer too"):
        fetch(mapping(sources_dir))
    assert not Observation.objects.exists()


def test_a_5xx_is_retried(jobindsats, sources_dir, municipality):
    jobindsats.fail(times=1, status=502)
    fetch(mapping(sources_dir))
    assert Observation.objects.count() == 6
