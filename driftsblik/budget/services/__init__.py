"""Services that change budget data: the chart of accounts and the ledger.

The names are imported when first asked for: the ledger import reads files with pyarrow, which
pages and other commands that only read the roll-up (`budget.services.rollup`) do not need."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from driftsblik.budget.services.accounts import accounts_import, ensure_standard_accounts
    from driftsblik.budget.services.ledger import LedgerSummary, ledger_import

_MODULE_OF = {
    "accounts_import": "accounts",
    "ensure_standard_accounts": "accounts",
    "LedgerSummary": "ledger",
    "ledger_import": "ledger",
}

__all__ = ["LedgerSummary", "accounts_import", "ensure_standard_accounts", "ledger_import"]


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
