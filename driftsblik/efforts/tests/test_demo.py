"""The demo's three efforts load through the efforts file, on a small demo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from driftsblik.core.periods import Month, month_range
from driftsblik.demo.build import load_demo_files, write_demo_files
from driftsblik.efforts.demo import FILE_NAME, load_demo
from driftsblik.efforts.models import Effort, EffortTarget, MethodUse, Milestone, Participant
from driftsblik.indicators.models import Indicator, Observation

UNTIL = Month(2026, 3)


@pytest.mark.django_db
def test_the_demo_has_three_efforts_with_partners_methods_targets_and_milestones(tmp_path):
    files = write_demo_files(tmp_path, seed=3, last_month=UNTIL, scale=0.1, budget_years=2)
    load_demo_files(files, say=lambda _text: None)
    # register figures at the youth teams, as the register engine would store them
    youth = Indicator.objects.get(code="youth_in_job_or_education")
    now = timezone.now()
    Observation.objects.bulk_create(
        Observation(indicator=youth, unit_id=unit, period=m.first, numerator=80, denominator=100, loaded_at=now)
        for unit in ("UNG-T01", "UNG-T02")
        for m in month_range(files.first_month, UNTIL)
    )
    summary = load_demo(files, say=lambda _text: None)
    assert summary.startswith("3 effort(s) and 8 method(s)")
    assert (tmp_path / FILE_NAME).is_file()
    assert set(Effort.objects.values_list("code", flat=True)) == {
        "langvarig-kontanthjaelp",
        "ungegaranti",
        "aeldre-medicinske-patient",
    }
    youth_effort = Effort.objects.get(code="ungegaranti")
    assert youth_effort.owner.is_directorate
    partners = set(Participant.objects.filter(effort=youth_effort, unit=None).values_list("partner", flat=True))
    assert "EUC Nord" in partners
    assert Participant.objects.filter(effort__code="aeldre-medicinske-patient", unit_id="HJP-D08").exists()
    assert Participant.objects.filter(partner="Regionshospital Nordjylland").exists()
    assert MethodUse.objects.filter(method__code="ips").count() >= 3
    assert Milestone.objects.filter(effort=youth_effort).count() >= 3
    # the shared target follows the first year's shared figure: 80 % and 2 points more the next year
    targets = dict(
        EffortTarget.objects.filter(effort=youth_effort, indicator=youth, unit=None).values_list("year", "value")
    )
    assert targets == {2025: Decimal(80), 2026: Decimal(82)}
    # the same file again changes nothing
    before = (Participant.objects.count(), Milestone.objects.count(), EffortTarget.objects.count())
    load_demo(files, say=lambda _text: None)
    assert (Participant.objects.count(), Milestone.objects.count(), EffortTarget.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_every_shared_result_of_the_demo_is_part_of_the_municipal_figure(tmp_path):
    """The participants are some of the municipality's citizens: for every effort, shared indicator
    and month of the demo (with its register figures), the effort's numerator and denominator are
    at most the municipality's for the same indicator and month, and some are strictly less."""
    import io

    from django.core.management import call_command

    from driftsblik.core.periods import Period
    from driftsblik.efforts.selectors import effort_summary
    from driftsblik.indicators.rollup import monthly_cells
    from driftsblik.organisation.tree import TreeCache
    from driftsblik.organisation.visibility import today

    until = "2026-10"
    call_command(
        "demo", "--no-serve", "--scale", "0.1", "--until", until, "--data-dir", str(tmp_path), stdout=io.StringIO()
    )
    trees = TreeCache()
    root = trees.on(today()).roots[0]
    efforts = list(Effort.objects.prefetch_related("goal_indicators__indicator"))
    assert len(efforts) == 3
    months = month_range(Month(2025, 1), Month.parse(until))
    indicators = {g.indicator.code: g.indicator for e in efforts for g in e.goal_indicators.all()}
    municipal = monthly_cells(indicators.values(), [root], months, trees)
    compared = smaller = 0
    for effort in efforts:
        for month in months:
            for figure in effort_summary(user=None, effort=effort, period=Period.month(month)).goals:
                whole = municipal.get((figure.indicator.code, root, month))
                if figure.cell is None:
                    continue
                assert whole is not None, (effort.code, figure.indicator.code, month)
                assert figure.cell.numerator <= whole.numerator, (effort.code, figure.indicator.code, month)
                if figure.cell.denominator is not None:
                    assert figure.cell.denominator <= whole.denominator, (effort.code, figure.indicator.code, month)
                compared += 1
                smaller += figure.cell.numerator < whole.numerator
    assert compared >= 3 * 2 * len(months) - 2  # every goal of every effort, month by month
    assert smaller > compared // 2  # the participants are not the whole municipality
