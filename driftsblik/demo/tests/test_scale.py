"""`driftsblik demo --scale S`: S times the institutions and teams under the same sectors; figures still roll up."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from driftsblik.core.periods import Month, Period
from driftsblik.demo.build import ORGANISATION_FILE, load_demo_files, write_demo_files
from driftsblik.demo.indicators import INDICATORS
from driftsblik.demo.organisation import ROOT_ID, register_teams
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.selectors import figures

UNTIL = Month(2026, 3)


def _kinds(files) -> Counter:
    return Counter(u.kind for u in files.organisation.units.values())


def test_a_whole_scale_copies_every_institution_and_team_under_the_same_sectors(tmp_path):
    one = write_demo_files(tmp_path / "one", seed=5, last_month=UNTIL, budget_years=1)
    three = write_demo_files(tmp_path / "three", seed=5, last_month=UNTIL, scale=3, budget_years=1)
    assert _kinds(three)["institution"] == 3 * _kinds(one)["institution"]
    assert _kinds(three)["team"] == 3 * _kinds(one)["team"] - 2  # the moved team is not copied
    assert (_kinds(three)["sector"], _kinds(three)["area"]) == (_kinds(one)["sector"], _kinds(one)["area"])
    units = three.organisation.units
    assert units["SKO-01-K03"].parent == "SKO" and units["SKO-01-K03"].name == f"{units['SKO-01'].name} 3"
    assert units["JOB-T01-K02"].parent == "JOB-K02"
    names = [(u.parent, u.name) for u in units.values()]
    assert len(names) == len(set(names))  # distinct names under each parent
    leaders = [u.leader.email for u in units.values()]
    assert len(leaders) == len(set(leaders))
    assert register_teams(three.organisation)["beskaeftigelse"][:3] == ["JOB-T01", "JOB-T01-K02", "JOB-T01-K03"]
    assert three.residents == 3 * one.residents
    assert len(three.figures.observations) > 2.5 * len(one.figures.observations)
    assert three.path(ORGANISATION_FILE).read_text().count("\n") > 2.5 * one.path(ORGANISATION_FILE).read_text().count(
        "\n"
    )


@pytest.mark.parametrize("scale", [0, 1.5, 16])
def test_a_scale_the_demo_cannot_build_is_refused(tmp_path, scale):
    with pytest.raises(ValueError, match="scale"):
        write_demo_files(tmp_path, last_month=UNTIL, scale=scale)


@pytest.mark.django_db
def test_at_twice_the_size_every_figure_still_rolls_up_to_the_top(tmp_path):
    one = write_demo_files(tmp_path / "one", seed=9, last_month=UNTIL, budget_years=1)
    files = write_demo_files(tmp_path / "two", seed=9, last_month=UNTIL, scale=2, budget_years=1)
    assert _kinds(files)["institution"] == 2 * _kinds(one)["institution"]
    load_demo_files(files, say=lambda _line: None)
    period = Period.month(UNTIL)
    shares = [i.code for i in INDICATORS if i.model == "share" and i.temporal == "flow"][:3]
    counts = [i.code for i in INDICATORS if i.model == "count" and i.temporal == "flow"][:3]
    found = figures(None, Indicator.objects.filter(code__in=shares + counts), [ROOT_ID], period)
    for code in shares + counts:
        rows = [r for r in files.figures.observations if r[0] == code and r[2] == str(UNTIL)]
        numerator = sum(Decimal(r[3]) for r in rows)
        figure = found[(code, ROOT_ID)]
        assert figure.cell is not None and figure.cell.numerator == numerator, code
        if code in shares:
            denominator = sum(Decimal(r[4]) for r in rows)
            assert figure.cell.denominator == denominator
            assert abs(figure.value - 100 * numerator / denominator) < Decimal("0.0001"), code
