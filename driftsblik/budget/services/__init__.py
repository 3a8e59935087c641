"""Services that change budget data: the chart of accounts and the ledger."""

from driftsblik.budget.services.accounts import accounts_import, ensure_standard_accounts
from driftsblik.budget.services.ledger import LedgerSummary, ledger_import

__all__ = ["LedgerSummary", "accounts_import", "ensure_standard_accounts", "ledger_import"]
