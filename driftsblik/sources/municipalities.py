"""The 98 municipalities: code, name and Danmarks Statistik's municipality group (kommunegruppe).

`data/municipalities.csv` holds Danmarks Statistik's classification "Kommunegrupper" (2018): five
groups (Hovedstadskommuner, Storbykommuner, Provinsbykommuner, Oplandskommuner, Landkommuner) by
the municipalities' urbanisation and commuting. A municipality's default peers are its group.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "municipalities.csv"


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    group: str
    group_name: str


@cache
def municipalities() -> dict[str, Municipality]:
    """Every municipality by its three-digit code, in code order."""
    with DATA.open(encoding="utf-8") as handle:
        return {row["code"]: Municipality(**row) for row in csv.DictReader(handle, delimiter=";")}


@cache
def by_name() -> dict[str, str]:
    """Code by name, lower-cased, also with " Kommune" after it (as Jobindsats and others write it)."""
    names: dict[str, str] = {}
    for m in municipalities().values():
        names[m.name.lower()] = m.code
        names[f"{m.name} kommune".lower()] = m.code
    names["københavns kommune"] = "101"
    names["frederiksberg kommune"] = "147"
    return names


def name_of(code: str) -> str:
    """The municipality's name ("Hele landet" for 000, the code itself when unknown)."""
    if code == "000":
        return "Hele landet"
    found = municipalities().get(code)
    return found.name if found else code


def dst_group(code: str) -> tuple[str, list[str]]:
    """The name and member codes of the Danmarks Statistik municipality group `code` belongs to."""
    own = municipalities().get(code)
    if own is None:
        return "", []
    return own.group_name, [m.code for m in municipalities().values() if m.group == own.group]
