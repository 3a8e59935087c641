"""The chart of accounts: the functions shipped with Driftsblik and those a municipality adds."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from driftsblik.budget.models import Account
from driftsblik.core.tabular import ImportRejected, Problem, read_table

STANDARD_CHART = Path(__file__).resolve().parent.parent / "data" / "kontoplan.csv"
ACCOUNT_FORMAT = re.compile(r"^0?(\d)\.(\d{2})\.(\d{2})$")


def normalise_account(text: str) -> str | None:
    """`5.57.73` (also `05.57.73`) as stored, or None when it is no hovedkonto.hovedfunktion.funktion."""
    match = ACCOUNT_FORMAT.match(text.strip())
    return f"{match[1]}.{match[2]}.{match[3]}" if match else None


@transaction.atomic
def accounts_import(*, path: str | Path) -> tuple[int, int]:
    """Add or rename functions of the chart of accounts from a file (columns function, name).

    All or nothing: a function not written as hovedkonto.hovedfunktion.funktion, a missing name
    or a function twice refuses the file. Returns (created, renamed).
    """
    table = read_table(path)
    table.require_columns(("function", "name"))
    problems: list[Problem] = []
    names: dict[str, str] = {}
    first: dict[str, int] = {}
    for row in table.rows:
        raw = row.get("function")
        code = normalise_account(str(raw)) if raw is not None else None
        name = row.get("name")
        if code is None:
            problems.append(row.problem("function", f"{raw!r} is no function (expected e.g. 5.57.73)"))
        if not name:
            problems.append(row.problem("name", "name is missing"))
        if code is None or not name:
            continue
        if code in first:
            problems.append(row.problem("function", f"{code} appears twice (first at row {first[code]})"))
            continue
        first[code] = row.number
        names[code] = str(name)[:200]
    if problems:
        raise ImportRejected(problems)
    existing = dict(Account.objects.filter(code__in=list(names)).values_list("code", "name"))
    Account.objects.bulk_create([Account(code=c, name=n) for c, n in names.items() if c not in existing])
    renamed = [Account(code=c, name=n) for c, n in names.items() if c in existing and existing[c] != n]
    Account.objects.bulk_update(renamed, ["name"])
    return len(names) - len(existing), len(renamed)


def ensure_standard_accounts() -> None:
    """The shipped part of the chart of accounts: functions missing are created, names already stored kept."""
    table = read_table(STANDARD_CHART)
    Account.objects.bulk_create(
        [Account(code=str(row.get("function")), name=str(row.get("name"))) for row in table.rows],
        ignore_conflicts=True,
    )
