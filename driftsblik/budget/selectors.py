"""Budget follow-up: original and corrected budget, spending, forecast, deviation and status per unit and committee.

Money rolls up the leadership chain like every figure: a unit's amount for a month is its own
ledger lines plus those of every unit below it in the tree valid at that month's end; amounts
add up (no ratios). Definitions, for budget year `year` followed up through month `through`:
- original: the original budget (oprindeligt budget) booked in any month of the year;
- corrected: original plus the supplementary appropriations (tillægsbevillinger) booked up to
  and including `through`;
- spent: spending (forbrug) from January through `through`;
- forecast (forventet regnskab): spent divided by the share of last year's spending that fell in
  the same months (last year's monthly profile), when the unit spent in each of last year's
  twelve months; otherwise spent * 12 / months elapsed. `method` says which, in words;
- deviation: forecast - corrected (positive = overrun), and in percent of corrected;
- status: green when the forecast is within the corrected budget, yellow when the overrun is at
  most TOLERANCE_PCT percent of the corrected budget, red beyond.
Every read goes through the visibility policy: a unit outside a person's view is a 404;
`user=None` is the system (reports built by the scheduler) and sees everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Sum, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from driftsblik.budget.models import LedgerKind, LedgerMonth, LedgerRollup
from driftsblik.budget.services.rollup import current_years
from driftsblik.core.periods import Month
from driftsblik.organisation.models import Committee, UnitSpan, User
from driftsblik.organisation.tree import Tree, TreeCache
from driftsblik.organisation.visibility import Access, access_or_404, today, visible_units

TOLERANCE_PCT = Decimal("1")  # an overrun up to 1 % of the corrected budget is yellow, beyond it red
GREEN, YELLOW, RED = "green", "yellow", "red"
ZERO = Decimal(0)
CENT = Decimal("0.01")
ORIGINAL, SUPPLEMENTARY, SPENT = LedgerKind.ORIGINAL.value, LedgerKind.SUPPLEMENTARY.value, LedgerKind.SPENT.value


@dataclass
class BudgetFigures:
    """The budget follow-up of one unit (or task area, or committee) for a budget year through a month."""

    unit_id: str  # or task area code / committee code for committee rows
    label: str  # Danish display name
    original: Decimal  # oprindeligt budget for the year
    corrected: Decimal  # original + tillægsbevillinger booked up to `through`
    spent: Decimal  # forbrug year to date through `through`
    forecast: Decimal  # forventet regnskab for the year
    deviation: Decimal  # forecast - corrected (positive = overrun)
    deviation_pct: Decimal | None
    status: str | None  # "green" | "yellow" | "red"
    method: str  # plain Danish description of the forecast method used
    year: int = 0
    through: Month | None = None
    forecast_kind: str = ""  # "seasonal", "linear" or "none"
    last_year_spent: Decimal | None = None  # last year's spending, all twelve months
    last_year_spent_to_date: Decimal | None = None  # last year's spending in the same months
    has_data: bool = False

    @property
    def spent_pct(self) -> Decimal | None:
        """Spending so far in percent of the corrected budget."""
        return None if not self.corrected else self.spent * 100 / self.corrected


@dataclass
class CommitteeBudget:
    """A committee's budget follow-up: its total, per task area, per top unit, and month by month."""

    committee: Committee
    year: int
    through: Month
    total: BudgetFigures
    task_areas: list[BudgetFigures]  # per task area of the committee (its units, rolled up, counted once)
    units: list[BudgetFigures]  # per top unit of the committee's area
    monthly: list[dict] = field(default_factory=list)  # see `monthly_profile`


def budget_status(forecast: Decimal, corrected: Decimal) -> str:
    """green within the corrected budget, yellow over it by at most TOLERANCE_PCT percent, red beyond."""
    deviation = forecast - corrected
    if deviation <= 0:
        return GREEN
    return YELLOW if deviation <= abs(corrected) * TOLERANCE_PCT / 100 else RED


Series = dict[str, dict[Month, Decimal]]


class Ledger:
    """The ledger of a budget year and the year before, for one request, rolled up the tree valid at
    each month's end.

    `series(units)` gives, per kind and month, the sum over the given units counted once (a unit
    below another given unit in that month's tree is not added again); `series_each` the same for
    several sets of units. A set counted once is the rolled-up rows (`LedgerRollup`) of its top
    units added up, since tops are disjoint: one query for every set and month, however many units
    and lines. A year whose roll-up is not current (see `budget.services.rollup.current_years`), or
    every year with `rollup=False`, is summed from `LedgerMonth` (the ledger lines summed per month,
    unit, account and kind) over each subtree by the database instead, one query per group of
    months that share a tree. Answers are kept for the length of the request.
    """

    def __init__(
        self, year: int, *, trees: TreeCache | None = None, accounts: Iterable[str] | None = None, rollup: bool = True
    ) -> None:
        self.year = year
        self.trees = trees or TreeCache()
        self.accounts = None if accounts is None else sorted(set(accounts))
        self.rollup = rollup
        self._groups: list[tuple[Tree, list[Month]]] | None = None
        self._current: set[int] | None = None
        self._kept: dict[tuple[tuple[str, ...], tuple[str, ...] | None], Series] = {}

    def groups(self) -> list[tuple[Tree, list[Month]]]:
        """The months of the two years, grouped by the tree valid at their end."""
        if self._groups is None:
            by_tree: dict[int, tuple[Tree, list[Month]]] = {}
            for month in [*_months(self.year - 1), *_months(self.year)]:
                tree = self.trees.on(month.end)
                by_tree.setdefault(id(tree), (tree, []))[1].append(month)
            self._groups = list(by_tree.values())
        return self._groups

    def current_years(self) -> set[int]:
        """The two years whose kept roll-up may be read (asked once per ledger)."""
        if self._current is None:
            self._current = current_years([self.year - 1, self.year], self.trees) if self.rollup else set()
        return self._current

    def _split(self) -> tuple[list[tuple[Tree, list[Month]]], list[tuple[Tree, list[Month]]]]:
        """The groups of months, as (read from the roll-up, summed from LedgerMonth)."""
        current = self.current_years()
        rolled, summed = [], []
        for tree, months in self.groups():
            kept = [m for m in months if m.year in current]
            rest = [m for m in months if m.year not in current]
            if kept:
                rolled.append((tree, kept))
            if rest:
                summed.append((tree, rest))
        return rolled, summed

    def _tops(self, tree: Tree, units: list[str]) -> list[str]:
        chosen = set(units)
        return [u for u in units if not any(a in chosen for a in tree.ancestors(u))]

    def _members(self, tree: Tree, units: list[str]) -> set[str]:
        """The units whose lines make up `units` in `tree`: each top unit and everything below it."""
        members: set[str] = set()
        for unit in self._tops(tree, units):
            members |= tree.subtree(unit) if unit in tree else {unit}
        return members

    def series(self, units: list[str], *, accounts: Iterable[str] | None = None) -> Series:
        """kind -> month -> amount, for this year and last year, over `units` counted once."""
        return self.series_each([units], accounts=accounts)[0]

    def series_each(self, unit_sets: list[list[str]], *, accounts: Iterable[str] | None = None) -> list[Series]:
        """`series` of each set of units, from the roll-up in one query (or, for years without a
        current roll-up, sets whose units do not overlap summed from LedgerMonth by the same query)."""
        chosen = self.accounts if accounts is None else sorted(set(accounts))
        key_accounts = None if chosen is None else tuple(chosen)
        keys = [(tuple(units), key_accounts) for units in unit_sets]
        wanted = list(dict.fromkeys(k for k in keys if k not in self._kept))
        for key in wanted:
            self._kept[key] = {ORIGINAL: {}, SUPPLEMENTARY: {}, SPENT: {}}
        if wanted:
            rolled, summed = self._split()
            if rolled:
                self._sum_rolled(wanted, rolled, chosen)
            for tree, months in summed:
                for batch in _disjoint_batches([(key, self._members(tree, list(key[0]))) for key in wanted]):
                    self._sum_batch(batch, months, chosen)
        return [self._kept[key] for key in keys]

    def _sum_rolled(
        self, wanted: list[tuple[tuple[str, ...], tuple[str, ...] | None]], groups: list[tuple[Tree, list[Month]]],
        accounts: list[str] | None,
    ) -> None:  # fmt: skip
        """Each set's series from the rolled-up rows of its top units in each month's tree."""
        owners: dict[Any, dict[str, list[tuple[tuple[str, ...], tuple[str, ...] | None]]]] = {}
        tops: set[str] = set()
        for tree, months in groups:
            by_unit: dict[str, list[tuple[tuple[str, ...], tuple[str, ...] | None]]] = defaultdict(list)
            for key in wanted:
                for unit in self._tops(tree, list(dict.fromkeys(key[0]))):
                    by_unit[unit].append(key)
            tops |= by_unit.keys()
            for month in months:
                owners[month.first] = by_unit
        if not tops:
            return
        rows = LedgerRollup.objects.filter(
            year__in=sorted({first.year for first in owners}), period__in=list(owners), unit_id__in=sorted(tops)
        )
        if accounts is not None:
            rows = rows.filter(account_id__in=accounts)
        totals = rows.values_list("unit_id", "period", "kind").annotate(total=Sum("amount")).order_by()
        for unit, first, kind, total in totals:
            month = Month.of(first)
            for key in owners[first].get(unit, ()):
                series = self._kept[key][kind]
                series[month] = series.get(month, ZERO) + Decimal(total)

    def _sum_batch(
        self, batch: list[tuple[tuple[tuple[str, ...], tuple[str, ...] | None], set[str]]], months: list[Month],
        accounts: list[str] | None,
    ) -> None:  # fmt: skip
        everyone = set().union(*(members for _key, members in batch))
        rows = LedgerMonth.objects.filter(
            year__in=[self.year - 1, self.year], period__in=[m.first for m in months], unit_id__in=sorted(everyone)
        )
        if accounts is not None:
            rows = rows.filter(account_id__in=accounts)
        if len(batch) == 1:
            rows = rows.annotate(bucket=Value(0))
        else:
            whens = [When(unit_id__in=sorted(members), then=Value(i)) for i, (_key, members) in enumerate(batch)]
            rows = rows.annotate(bucket=Case(*whens, output_field=IntegerField()))
        totals = rows.values_list("bucket", "period", "kind").annotate(total=Sum("amount")).order_by()
        for bucket, first, kind, total in totals:
            self._kept[batch[bucket][0]][kind][Month.of(first)] = Decimal(total)

    def by_account(self, unit_id: str, accounts: Iterable[str], *, kind: str) -> dict[str, dict[Month, Decimal]]:
        """account -> month -> amount of one kind at the unit (rolled up): the unit's rolled-up rows
        in one query, or for years without a current roll-up one query per tree."""
        result: dict[str, dict[Month, Decimal]] = defaultdict(dict)
        codes = sorted(set(accounts))
        rolled, summed = self._split()
        firsts = [m.first for _tree, months in rolled for m in months]
        if firsts:
            rows = LedgerRollup.objects.filter(
                unit_id=unit_id,
                year__in=sorted({first.year for first in firsts}),
                period__in=firsts,
                account_id__in=codes,
                kind=kind,
            )
            for account, first, amount in rows.values_list("account_id", "period", "amount"):
                result[account][Month.of(first)] = Decimal(amount)
        for tree, months in summed:
            rows = LedgerMonth.objects.filter(
                year__in=[self.year - 1, self.year],
                period__in=[m.first for m in months],
                unit_id__in=sorted(self._members(tree, [unit_id])),
                account_id__in=codes,
                kind=kind,
            )
            for account, first, total in (
                rows.values_list("account_id", "period").annotate(total=Sum("amount")).order_by()
            ):
                result[account][Month.of(first)] = Decimal(total)
        return dict(result)


def _disjoint_batches(items: list[tuple[Any, set[str]]]) -> list[list[tuple[Any, set[str]]]]:
    """The items in batches whose member sets do not overlap (a ledger row counts in one bucket)."""
    batches: list[tuple[set[str], list[tuple[Any, set[str]]]]] = []
    for item in items:
        for taken, batch in batches:
            if taken.isdisjoint(item[1]):
                taken |= item[1]
                batch.append(item)
                break
        else:
            batches.append((set(item[1]), [item]))
    return [batch for _taken, batch in batches]


def _months(year: int, last: int = 12) -> list[Month]:
    return [Month(year, m) for m in range(1, last + 1)]


def figures_of(
    series: dict[str, dict[Month, Decimal]], *, unit_id: str, label: str, year: int, through: Month
) -> BudgetFigures:
    """The follow-up of one series (see the module docstring for every definition)."""
    if through.year != year:
        raise ValueError(f"{through} is not in the budget year {year}")
    this = _months(year, through.month)
    last = _months(year - 1)
    original = sum(series[ORIGINAL].get(m, ZERO) for m in _months(year))
    corrected = original + sum(series[SUPPLEMENTARY].get(m, ZERO) for m in this)
    spending = series[SPENT]
    spent = sum(spending.get(m, ZERO) for m in this)
    has_data = any(m in series[k] for k in series for m in _months(year))
    ly_total = sum(spending.get(m, ZERO) for m in last)
    ly_to_date = sum(spending.get(m, ZERO) for m in last[: through.month])
    last_complete = all(m in spending for m in last)
    values = {"through": through.label_da, "months": through.month}
    if last_complete and ly_total > 0 and ly_to_date > 0:
        share = ly_to_date / ly_total
        forecast = spent / share
        kind = "seasonal"
        values["share"] = f"{share * 100:.1f}".replace(".", ",")
        method = (
            _(
                "Spending through %(through)s divided by the share of last year's spending that fell in the "
                "same months (%(share)s %%): last year's monthly spending profile."
            )
            % values
        )
    elif spent:
        forecast = spent * 12 / through.month
        kind = "linear"
        method = (
            _(
                "Spending through %(through)s times 12/%(months)s (an even spread over the year), because "
                "there is no complete spending for last year to show the profile over the months."
            )
            % values
        )
    else:
        forecast = corrected
        kind = "none"
        method = _("No spending booked through %(through)s: the forecast is the corrected budget.") % values
    forecast = forecast.quantize(CENT)
    deviation = forecast - corrected
    return BudgetFigures(
        unit_id=unit_id,
        label=label,
        original=original,
        corrected=corrected,
        spent=spent,
        forecast=forecast,
        deviation=deviation,
        deviation_pct=(deviation * 100 / corrected).quantize(Decimal("0.1")) if corrected else None,
        status=budget_status(forecast, corrected) if has_data else None,
        method=method,
        year=year,
        through=through,
        forecast_kind=kind,
        last_year_spent=ly_total if last_complete else None,
        last_year_spent_to_date=ly_to_date if last_complete else None,
        has_data=has_data,
    )


def monthly_profile(series: dict[str, dict[Month, Decimal]], *, year: int, through: Month) -> list[dict]:
    """Month by month, for a chart: spending and last year's, cumulated, and the corrected budget spread.

    corrected_budget is the corrected budget as booked up to the month (months after `through`
    keep the figure at `through`); corrected_budget_cumulative spreads it over the months by last
    year's spending profile when last year is complete, evenly otherwise.
    """
    spending = series[SPENT]
    last = _months(year - 1)
    ly_total = sum(spending.get(m, ZERO) for m in last)
    profile_known = all(m in spending for m in last) and ly_total > 0
    original = sum(series[ORIGINAL].get(m, ZERO) for m in _months(year))
    rows, spent_sum, ly_sum, supplementary = [], ZERO, ZERO, ZERO
    for month in _months(year):
        before = month.shift(-12)
        if month <= through:
            supplementary += series[SUPPLEMENTARY].get(month, ZERO)
        ly_month = spending.get(before)
        ly_sum += ly_month or ZERO
        share = ly_sum / ly_total if profile_known else Decimal(month.month) / 12
        spent_month = spending.get(month, ZERO) if month <= through else None
        if spent_month is not None:
            spent_sum += spent_month
        corrected = original + supplementary
        rows.append(
            {
                "month": month,
                "spent": spent_month,
                "spent_cumulative": spent_sum if month <= through else None,
                "last_year_spent": ly_month,
                "last_year_cumulative": ly_sum if ly_month is not None or ly_sum else None,
                "corrected_budget": corrected,
                "corrected_budget_cumulative": (corrected * share).quantize(CENT),
            }
        )
    return rows


# visibility and labels ----------------------------------------------------------------------


def _visible(user: User | None) -> dict[str, Access] | None:
    return None if user is None else visible_units(user)


def _label(unit_id: str, tree: Tree) -> str:
    name = tree.name.get(unit_id)
    if name is None:
        name = UnitSpan.objects.filter(unit_id=unit_id).order_by("-valid_from").values_list("name", flat=True).first()
    return name or unit_id


def _check_unit(user: User | None, unit_id: str, visible: dict[str, Access] | None, tree: Tree) -> None:
    if visible is None:
        if unit_id not in tree and not UnitSpan.objects.filter(unit_id=unit_id).exists():
            raise Http404("No such unit")
        return
    access_or_404(user, unit_id, visible)  # type: ignore[arg-type]


# the interface ------------------------------------------------------------------------------


def unit_budget(
    *, user: User | None, unit_id: str, year: int, through: Month, ledger: Ledger | None = None
) -> BudgetFigures:
    """The unit's follow-up, rolled up the chain; Http404 when the unit is outside the person's view."""
    ledger = ledger or Ledger(year)
    tree = ledger.trees.on(today())
    _check_unit(user, unit_id, _visible(user), tree)
    return figures_of(
        ledger.series([unit_id]), unit_id=unit_id, label=_label(unit_id, tree), year=year, through=through
    )


def children_budget(
    *, user: User | None, unit_id: str, year: int, through: Month, ledger: Ledger | None = None
) -> list[BudgetFigures]:
    """The follow-up of the unit's children in today's tree that the person sees (Http404 for the unit)."""
    ledger = ledger or Ledger(year)
    tree = ledger.trees.on(today())
    visible = _visible(user)
    _check_unit(user, unit_id, visible, tree)
    children = [c for c in tree.children.get(unit_id, []) if visible is None or c in visible]
    series = ledger.series_each([[c] for c in children])
    return [
        figures_of(s, unit_id=c, label=tree.name[c], year=year, through=through)
        for c, s in zip(children, series, strict=True)
    ]


def committee_budget(
    *, user: User | None, committee: Committee, year: int, through: Month, ledger: Ledger | None = None
) -> CommitteeBudget:
    """A committee's follow-up over the units of its task areas (each unit counted once).

    For a person, only the units they see count (the system sees all); Http404 when they see none.
    """
    ledger = ledger or Ledger(year)
    tree = ledger.trees.on(today())
    visible = _visible(user)
    areas = list(committee.task_areas.prefetch_related("units").order_by("code"))
    area_units: dict[str, list[str]] = {}
    for area in areas:
        area_units[area.code] = [u.id for u in area.units.all() if visible is None or u.id in visible]
    every = sorted({u for units in area_units.values() for u in units})
    if visible is not None and not every and any(a.units.exists() for a in areas):
        raise Http404("No such committee")
    tops = ledger._tops(tree, every)
    total_series = ledger.series(every)
    total = figures_of(total_series, unit_id=committee.code, label=committee.name, year=year, through=through)
    area_series = ledger.series_each([area_units[a.code] for a in areas])
    task_areas = [
        figures_of(s, unit_id=a.code, label=a.name, year=year, through=through)
        for a, s in zip(areas, area_series, strict=True)
    ]
    ordered = sorted(tops, key=lambda u: (_label(u, tree), u))
    units = [
        figures_of(s, unit_id=u, label=_label(u, tree), year=year, through=through)
        for u, s in zip(ordered, ledger.series_each([[u] for u in ordered]), strict=True)
    ]
    return CommitteeBudget(
        committee=committee,
        year=year,
        through=through,
        total=total,
        task_areas=task_areas,
        units=units,
        monthly=monthly_profile(total_series, year=year, through=through),
    )


def unit_monthly(
    *, user: User | None, unit_id: str, year: int, through: Month, ledger: Ledger | None = None
) -> list[dict]:
    """The unit's month-by-month profile (see `monthly_profile`); Http404 outside the person's view."""
    ledger = ledger or Ledger(year)
    _check_unit(user, unit_id, _visible(user), ledger.trees.on(today()))
    return monthly_profile(ledger.series([unit_id]), year=year, through=through)


def latest_ledger_month() -> Month | None:
    """The latest month with spending booked, the default month of the follow-up."""
    first = LedgerMonth.objects.filter(kind=SPENT).order_by("-period").values_list("period", flat=True).first()
    return Month.of(first) if first else None
