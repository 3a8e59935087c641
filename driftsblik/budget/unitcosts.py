"""Unit costs: money and results read together, where an activity indicator measures the volume.

Spending on the functions of the chart of accounts that pay for an activity, year to date,
divided by the activity's volume over the same months at the same unit, read through the
indicators app's roll-up (`indicators.selectors.figures`: flows add up over the months, stocks
take the latest month, small person-based figures stay hidden for all but analysts).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from driftsblik.budget.selectors import SPENT, ZERO, Ledger
from driftsblik.core.periods import Month, Period
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.selectors import figures
from driftsblik.organisation.models import User
from driftsblik.organisation.tree import TreeCache


@dataclass(frozen=True)
class UnitCostDefinition:
    """Functions whose spending pays for an activity, the indicator that counts it, and how the cost reads."""

    accounts: tuple[str, ...]
    indicator: str
    label: object  # e.g. "kr. per delivered hour" (translated)


DEFINITIONS = (
    UnitCostDefinition(("5.30.26",), "homecare_hours", gettext_lazy("DKK per delivered home-care hour")),
    UnitCostDefinition(("5.30.26",), "homecare_citizens", gettext_lazy("DKK per citizen in home care")),
    UnitCostDefinition(("5.30.28",), "nursing_visits", gettext_lazy("DKK per home-nursing visit")),
    UnitCostDefinition(("3.22.01",), "pupils", gettext_lazy("DKK per pupil")),
    UnitCostDefinition(("5.25.11", "5.25.14"), "children_in_daycare", gettext_lazy("DKK per child in daycare")),
    UnitCostDefinition(("5.28.20", "5.28.23"), "children_placed", gettext_lazy("DKK per child placed")),
    UnitCostDefinition(("5.38.50",), "residents_in_housing", gettext_lazy("DKK per resident in housing")),
    UnitCostDefinition(("3.32.50",), "library_visits", gettext_lazy("DKK per library visit")),
    UnitCostDefinition(("2.28.11",), "road_repairs", gettext_lazy("DKK per road repair")),
    UnitCostDefinition(("6.45.53", "5.68.90"), "interviews_held", gettext_lazy("DKK per job interview held")),
)


@dataclass
class UnitCost:
    """Spending, volume and their quotient at a unit, year to date."""

    definition: UnitCostDefinition
    indicator: Indicator
    spent: Decimal
    volume: Decimal | None
    suppressed: bool

    @property
    def cost(self) -> Decimal | None:
        if self.suppressed or not self.volume:
            return None
        return self.spent / self.volume


def unit_costs(
    *,
    user: User | None,
    unit_id: str,
    year: int,
    through: Month,
    trees: TreeCache | None = None,
    ledger: Ledger | None = None,
) -> list[UnitCost]:
    """The unit costs that apply at the unit (spending booked and the indicator defined), year to date.

    Spending comes from the request's `ledger` (one query for every definition's functions, by
    function); the volumes from one call of `figures`. The caller has checked that the person sees
    the unit (the volume is read for visible units only).
    """
    ledger = ledger or Ledger(year, trees=trees)
    indicators = Indicator.objects.in_bulk([d.indicator for d in DEFINITIONS])
    applying = [d for d in DEFINITIONS if d.indicator in indicators]
    accounts = sorted({a for d in applying for a in d.accounts})
    by_account = ledger.by_account(unit_id, accounts, kind=SPENT) if accounts else {}
    months = [Month(year, m) for m in range(1, through.month + 1)]
    spent_by_definition = {}
    for definition in applying:
        spent = ZERO
        for account in definition.accounts:
            series = by_account.get(account, {})
            spent += sum((series.get(m, ZERO) for m in months), ZERO)
        if spent:
            spent_by_definition[definition] = spent
    if not spent_by_definition:
        return []
    period = Period(Month(year, 1), through, "year")
    wanted = list(dict.fromkeys(indicators[d.indicator] for d in spent_by_definition))
    found = figures(user, wanted, [unit_id], period, trees=ledger.trees)
    result = []
    for definition, spent in spent_by_definition.items():
        indicator = indicators[definition.indicator]
        figure = found.get((indicator.code, unit_id))
        if figure is None or figure.cell is None:
            continue
        result.append(UnitCost(definition, indicator, spent, figure.value, bool(figure.suppressed)))
    return result
