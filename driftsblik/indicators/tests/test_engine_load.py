"""`driftsblik indicators compute --load`: the engine's figures stored as observations, for real.

The public register example is computed by the engine and loaded into the application
database through the command; the stored cells equal the engine's output, a second run changes
nothing, and a run over fewer months replaces exactly those cells and keeps the old values.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core.periods import Month, Period
from driftsblik.engine.definitions import DEFINITIONS
from driftsblik.engine.tests.conftest import EXAMPLES
from driftsblik.indicators.models import Indicator, Observation, ObservationRevision
from driftsblik.indicators.rollup import period_cells
from driftsblik.indicators.tests.helpers import unit
from driftsblik.organisation.models import UNASSIGNED_UNIT_ID

pytestmark = pytest.mark.django_db
REGISTERS = str(EXAMPLES / "registers-small")
UNITS = ["HJ-N", "HJ-S", "HJ-V", "JC-A", "JC-B", "JC-C", "UNG-1", "UNG-2"]


@pytest.fixture
def municipality():
    unit("K", kind="root")
    for unit_id in UNITS:
        unit(unit_id, "K")
    for definition in DEFINITIONS.values():
        Indicator.objects.create(
            code=definition.code,
            name=definition.name_da,
            kind="result",
            measure=definition.measure,
            temporal=definition.temporal,
            direction=definition.direction,
            person_based=True,
        )


def compute(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", "compute", "--registers", REGISTERS, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def stored() -> dict[tuple[str, str, str], tuple[Decimal, Decimal | None]]:
    return {
        (o.indicator_id, o.unit_id, f"{o.period:%Y-%m}"): (o.numerator, o.denominator)
        for o in Observation.objects.all()
    }


def engine_rows(start: str, end: str) -> dict[tuple[str, str, str], tuple[Decimal, Decimal | None]]:
    rows = csv.DictReader(io.StringIO(compute("--from", start, "--to", end)))
    return {
        (r["indicator"], r["unit_id"], r["period"]): (
            Decimal(r["numerator"]),
            Decimal(r["denominator"]) if r["denominator"] else None,
        )
        for r in rows
    }


def test_load_stores_exactly_the_engine_output(municipality):
    expected = engine_rows("2025-01", "2025-06")
    assert expected, "the example has figures"
    compute("--from", "2025-01", "--to", "2025-06", "--load")
    assert stored() == expected
    # `_unassigned` exists and rolls up to the root, so the municipality's total stays whole.
    tree_total = period_cells([Indicator.objects.get(code="cash_benefit_long_term")], ["K"], [Period.parse("2025-03")])
    month_rows = {k: v for k, v in expected.items() if k[0] == "cash_benefit_long_term" and k[2] == "2025-03"}
    assert month_rows
    total = sum(v[0] for v in month_rows.values())
    assert tree_total[("cash_benefit_long_term", "K", Period.parse("2025-03"))].numerator == total
    assert any(unit_id == UNASSIGNED_UNIT_ID for (_, unit_id, _) in expected)


def test_load_twice_changes_nothing(municipality):
    compute("--from", "2025-01", "--to", "2025-06", "--load")
    before = list(Observation.objects.order_by("id").values())
    compute("--from", "2025-01", "--to", "2025-06", "--load")
    assert list(Observation.objects.order_by("id").values()) == before
    assert not ObservationRevision.objects.exists()


def test_a_changed_month_replaces_its_cells_and_keeps_the_old_values(municipality):
    compute("--from", "2025-01", "--to", "2025-06", "--load")
    march = Month(2025, 3).first
    changed = Observation.objects.filter(period=march).first()
    assert changed is not None
    Observation.objects.filter(pk=changed.pk).update(numerator=changed.numerator + 100)
    compute("--from", "2025-03", "--to", "2025-03", "--load")
    restored = Observation.objects.get(pk=changed.pk)
    assert restored.numerator == changed.numerator
    revision = ObservationRevision.objects.get()
    assert (revision.indicator_id, revision.unit_id, revision.period) == (
        changed.indicator_id,
        changed.unit_id,
        march,
    )
    assert revision.numerator == changed.numerator + 100


def test_load_is_refused_whole_when_a_unit_is_unknown(municipality):
    from driftsblik.organisation.models import Unit

    Unit.objects.filter(id="JC-A").delete()
    with pytest.raises((CommandError, SystemExit)):
        compute("--from", "2025-01", "--to", "2025-06", "--load")
    assert not Observation.objects.exists()
