"""The ledger: the municipal chart of accounts, monthly ledger lines per unit, and their monthly totals.

A ledger line is an amount in DKK booked on a unit, a function of the chart of accounts
(hovedkonto.hovedfunktion.funktion, e.g. 5.57.73) and a month, of one kind: the original budget
(oprindeligt budget), a supplementary appropriation (tillægsbevilling) or spending (forbrug).
The follow-up (selectors.py) reads `LedgerRollup`, the monthly sums rolled up the tree, or
`LedgerMonth`, the lines summed per month, unit, account and kind, both kept in step with the lines
by every import.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from driftsblik.organisation.models import Unit, User


class LedgerKind(models.TextChoices):
    ORIGINAL = "original", _("original budget")
    SUPPLEMENTARY = "supplementary", _("supplementary appropriation")
    SPENT = "spent", _("spending")


class Account(models.Model):
    """A function of the municipal chart of accounts (Indenrigs- og Sundhedsministeriets kontoplan).

    The code is hovedkonto.hovedfunktion.funktion, e.g. `5.30.26` Personlig og praktisk hjælp og
    madservice (hjemmehjælp) til ældre. The common functions ship with Driftsblik
    (budget/data/kontoplan.csv); `driftsblik budget accounts import FILE` adds more.
    """

    code = models.CharField(_("function"), primary_key=True, max_length=8)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LedgerLine(models.Model):
    """One line of an imported ledger file: an amount of one kind on a unit, account and month.

    dranst (1 drift, 2 statsrefusion, 3 anlæg, 4 renter) and art (e.g. 1.0 salaries) are kept
    when the file has them. Unit and account are checked by the import (2 million lines a year
    would otherwise be checked once more by the database), hence no database constraint.
    """

    year = models.PositiveSmallIntegerField(_("budget year"))
    period = models.DateField(_("month"))
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    dranst = models.PositiveSmallIntegerField(_("dranst"), null=True, blank=True)
    art = models.CharField(_("art"), max_length=8, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=15, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["period", "kind", "unit"], name="budget_line_cell")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.unit_id} {self.account_id} {self.kind} {self.amount}"


class LedgerMonth(models.Model):
    """The ledger lines of one month, unit, account and kind, summed: what the follow-up reads."""

    year = models.PositiveSmallIntegerField(_("budget year"))
    period = models.DateField(_("month"))
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=17, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["year", "kind"], name="budget_month_year")]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "account", "kind"], name="budget_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.unit_id} {self.account_id} {self.kind} {self.amount}"


class LedgerRollup(models.Model):
    """`LedgerMonth` rolled up the leadership chain: a unit's amount for a month, account and kind is
    its own ledger lines plus those of every unit below it in the tree valid at that month's end.

    Kept per budget year by `budget.services.rollup`: every ledger import refreshes the years it
    loaded, every organisation change every year, each inside its transaction. A year is used only
    while its `LedgerRollupState` says it was rolled up through today's unit spans; otherwise the
    follow-up sums `LedgerMonth` over the subtree itself.
    """

    year = models.PositiveSmallIntegerField(_("budget year"))
    period = models.DateField(_("month"))
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=17, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["unit", "year"], name="budget_rollup_unit")]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "account", "kind"], name="budget_rollup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.unit_id} {self.account_id} {self.kind} {self.amount}"


class LedgerRollupState(models.Model):
    """A budget year whose `LedgerRollup` rows are kept, stamped with the fingerprint of the unit
    spans they were rolled up through (a year without a state, or with another fingerprint, is not
    read: the follow-up sums `LedgerMonth` itself)."""

    year = models.PositiveSmallIntegerField(_("budget year"), primary_key=True)
    spans = models.CharField(max_length=64)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.year} ({self.computed_at:%Y-%m-%d %H:%M})"


class LedgerImport(models.Model):
    """A ledger file loaded: which budget year, how many lines, when and by whom."""

    year = models.PositiveSmallIntegerField(_("budget year"))
    file_name = models.CharField(_("file"), max_length=300)
    rows = models.PositiveIntegerField(_("rows"))
    replaced = models.PositiveIntegerField(_("lines replaced"), default=0)
    created_at = models.DateTimeField(_("loaded at"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.year}, {self.rows} rows)"
