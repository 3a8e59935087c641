"""Statistikbanken through the real connector against a loopback server answering in the documented format."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from driftsblik.core.periods import Month
from driftsblik.indicators.models import ImportBatch, Observation, ObservationRevision
from driftsblik.indicators.tests.helpers import snapshot
from driftsblik.sources.mapping import EXAMPLES, load_mapping, source_named
from driftsblik.sources.models import ComparisonFigure, RunStatus, SourceRun
from driftsblik.sources.services import FetchFailed, source_fetch

pytestmark = pytest.mark.django_db

RATE = """source: statbank
title: Kontanthjælp pr. 1.000 16-64-årige
indicator: kontanthjaelp_per_1000
units: {860: K}
numerator:
  table: AUK01
  variables: {YDELSESTYPE: [Kontanthjælp], KØN: [TOT]}
denominator:
  table: FOLK1A
  variables: {KØN: [TOT], CIVILSTAND: [TOT], ALDER: ["16", "17", "64"]}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def folk1a(folder: Path) -> Path:
    text = (EXAMPLES / "statbank-folk1a.yaml").read_text(encoding="utf-8").replace("HJK", "K")
    return write(folder, "statbank-folk1a", text)


def data_snapshot() -> dict:
    return {
        **snapshot(),
        "comparison": list(ComparisonFigure.objects.order_by("id").values()),
    }


def test_population_becomes_the_root_units_figures_and_every_municipalitys(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    report = source_fetch(source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 12))

    own = Observation.objects.filter(indicator_id="population", unit_id="K").order_by("period")
    assert [o.period.month for o in own] == [3, 6, 9, 12]  # quarters kept at their last month
    first = own[0]
    # Hjørring's 2024K1 row of the fixture (KØN TOT, ALDER IALT, CIVILSTAND TOT)
    assert first.numerator == Decimal(64000) and first.denominator is None
    assert first.source == "Danmarks Statistik, FOLK1A"
    assert first.retrieved_at == report.retrieved_at
    compared = ComparisonFigure.objects.filter(indicator_id="population", period=Month(2024, 3).first)
    # every municipality and the country, never a region (081)
    assert sorted(compared.values_list("municipality", flat=True)) == ["000", "810", "813", "849", "851", "860"]
    assert compared.get(municipality="000").value == Decimal(5960000)
    run = SourceRun.objects.get()
    assert run.status == RunStatus.OK and (run.created, run.compared) == (4, 24)


def test_a_second_fetch_of_the_same_figures_changes_nothing(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    source = source_named("statbank-folk1a")
    source_fetch(source=source, first=Month(2024, 1), last=Month(2024, 12))
    before = data_snapshot()
    report = source_fetch(source=source, first=Month(2024, 1), last=Month(2024, 12))
    assert report.observations.unchanged == 4 and report.compared.unchanged == 24
    assert data_snapshot() == before


def test_a_rate_joins_numerator_and_denominator_and_marks_withheld_figures(statbank, sources_dir, municipality):
    write(sources_dir, "kth", RATE.replace("Kontanthjælp", "Uddannelseshjælp"))
    report = source_fetch(source=source_named("kth"), first=Month(2024, 1), last=Month(2025, 6))

    k = ComparisonFigure.objects.get(municipality="860", period=Month(2024, 3).first)
    # numerator: 64000 * 0.006 * 1.15; denominator: ages 16, 17 and 64 summed (FOLK1A fixture)
    assert k.numerator == Decimal("441.6")
    assert k.denominator == Decimal(round(64000 * 0.012) + round(64000 * 0.0121) + round(64000 * 0.0125))
    assert k.value == (1000 * k.numerator / k.denominator).quantize(Decimal("0.0001"))
    withheld = ComparisonFigure.objects.get(municipality="849", period=Month(2024, 9).first)
    assert withheld.suppressed and withheld.numerator is None and withheld.value is None
    # AUK01 stops at 2025K1: FOLK1A's 2025K2 has no numerator, so no figure
    assert not ComparisonFigure.objects.filter(period=Month(2025, 6).first).exists()
    assert report.observations.created == 5


def test_a_withheld_own_figure_is_not_loaded_and_says_so(statbank, sources_dir, municipality, tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(statbank.fixtures, fixtures)
    data = fixtures / "data-AUK01.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("860;KT;TOT;2024K2;1530,1", "860;KT;TOT;2024K2;.."))
    statbank.fixtures = fixtures
    write(sources_dir, "kth", RATE)
    report = source_fetch(source=source_named("kth"), first=Month(2024, 1), last=Month(2024, 12))
    assert not Observation.objects.filter(period=Month(2024, 6).first).exists()
    assert ComparisonFigure.objects.get(municipality="860", period=Month(2024, 6).first).suppressed
    assert any("860 2024-06: withheld by the source" in note for note in report.notes)


def test_a_dry_run_prints_the_changes_and_stores_nothing(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    before = data_snapshot()
    report = source_fetch(
        source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 6), dry_run=True
    )
    assert data_snapshot() == before
    lines = "\n".join(report.lines())
    assert "would create 2" in lines and "population K 2024-03: new -> 64000" in lines
    assert "comparison: would create 12" in lines
    assert SourceRun.objects.get().status == RunStatus.DRY_RUN


def test_a_changed_figure_is_replaced_and_the_old_one_kept(statbank, sources_dir, municipality, tmp_path):
    folk1a(sources_dir)
    source = source_named("statbank-folk1a")
    source_fetch(source=source, first=Month(2024, 1), last=Month(2024, 3))
    fixtures = tmp_path / "fixtures"
    shutil.copytree(statbank.fixtures, fixtures)
    data = fixtures / "data-FOLK1A.csv"
    data.write_text(
        data.read_text(encoding="utf-8").replace("860;TOT;IALT;TOT;2024K1;64000", "860;TOT;IALT;TOT;2024K1;64010")
    )
    statbank.fixtures = fixtures
    report = source_fetch(source=source, first=Month(2024, 1), last=Month(2024, 3), dry_run=True)
    assert "population K 2024-03: 64000 -> 64010" in "\n".join(report.lines())
    source_fetch(source=source, first=Month(2024, 1), last=Month(2024, 3))
    assert Observation.objects.get(unit_id="K").numerator == 64010
    assert ObservationRevision.objects.get().numerator == 64000
    assert ComparisonFigure.objects.get(municipality="860").value == 64010


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda fake: fake.renamed.update({"INDHOLD": "VÆRDI"}), "expected INDHOLD too"),
        (lambda fake: fake.renamed.update({"OMRÅDE": "REGION"}), "expected OMRÅDE too"),
        (lambda fake: setattr(fake, "replace_value", ("64000", "64 tusind")), "INDHOLD '64 tusind' is not a number"),
    ],
    ids=["value column renamed", "area column renamed", "value not a number"],
)
def test_a_changed_format_stops_the_fetch_and_changes_nothing(statbank, sources_dir, municipality, change, reason):
    folk1a(sources_dir)
    change(statbank)
    before = data_snapshot()
    with pytest.raises(FetchFailed, match=reason):
        source_fetch(source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 12))
    assert data_snapshot() == before
    run = SourceRun.objects.get()
    assert run.status == RunStatus.FAILED and reason in run.message


def test_a_value_the_table_does_not_have_is_named_with_the_values_it_has(statbank, sources_dir, municipality):
    write(sources_dir, "kth", RATE.replace("Kontanthjælp", "Kontanthjælp (netto)"))
    with pytest.raises(FetchFailed) as failed:
        source_fetch(source=source_named("kth"), first=Month(2024, 1), last=Month(2024, 12))
    message = str(failed.value)
    assert "table AUK01, variable YDELSESTYPE: no value 'Kontanthjælp (netto)'" in message
    assert "KT (Kontanthjælp)" in message
    assert not ComparisonFigure.objects.exists()


def test_a_table_that_is_gone_is_refused_with_the_sources_reason(statbank, sources_dir, municipality):
    write(sources_dir, "kth", RATE.replace("table: AUK01", "table: AUK99"))
    with pytest.raises(FetchFailed, match="HTTP 400: Tabellen blev ikke fundet"):
        source_fetch(source=source_named("kth"), first=Month(2024, 1), last=Month(2024, 12))


def test_a_5xx_is_retried_and_the_fetch_goes_through(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    statbank.fail(times=2)
    source_fetch(source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 3))
    assert len(statbank.requests) == 4  # two 503s, then tableinfo and data
    assert Observation.objects.count() == 1


def test_a_source_that_stays_down_changes_nothing_and_says_so(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    statbank.fail(times=10)
    before = data_snapshot()
    with pytest.raises(
        FetchFailed, match=r"answered HTTP 503 SERVICE UNAVAILABLE after 3 attempt\(s\); nothing was changed"
    ):
        source_fetch(source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 3))
    assert len(statbank.requests) == 3
    assert data_snapshot() == before
    assert SourceRun.objects.get().status == RunStatus.FAILED


def test_a_source_that_does_not_answer_in_time_is_given_up(statbank, sources_dir, municipality, settings):
    folk1a(sources_dir)
    settings.SOURCES_TIMEOUT = 0.2
    statbank.delay = 0.6
    with pytest.raises(FetchFailed, match=r"did not answer in time after 3 attempt\(s\)"):
        source_fetch(source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 3))
    assert not ImportBatch.objects.exists()


def test_an_unknown_indicator_is_refused_before_anything_is_stored(statbank, sources_dir, municipality):
    folk1a(sources_dir).write_text(
        (sources_dir / "statbank-folk1a.yaml").read_text().replace("indicator: population", "indicator: folketal")
    )
    with pytest.raises(FetchFailed, match="unknown indicator 'folketal'"):
        source_fetch(source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 3))
    assert not ComparisonFigure.objects.exists()


def test_the_shipped_mappings_are_valid():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        source = load_mapping(path)
        assert source.mapping.title, path


def test_a_file_import_of_a_fetched_cell_replaces_it_and_clears_the_retrieval_time(
    statbank, sources_dir, municipality, tmp_path
):
    from driftsblik.indicators.services import observations_import

    folk1a(sources_dir)
    source_fetch(source=source_named("statbank-folk1a"), first=Month(2024, 1), last=Month(2024, 3))
    fetched = Observation.objects.get()
    path = tmp_path / "obs.csv"
    path.write_text("indicator,unit_id,period,numerator,denominator\npopulation,K,2024-03,64100,\n", encoding="utf-8")
    observations_import(path=path)
    replaced = Observation.objects.get()
    assert (replaced.numerator, replaced.source, replaced.retrieved_at) == (64100, "obs.csv", None)
    revision = ObservationRevision.objects.get()
    assert (revision.source, revision.retrieved_at) == ("Danmarks Statistik, FOLK1A", fetched.retrieved_at)
