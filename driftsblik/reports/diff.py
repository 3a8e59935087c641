"""What changed: an issued report's figures against today's, or against another issued version.

The comparison is a table of indicator x unit (the headline figures, the breakdown by unit, the
cross-cutting efforts' shared figures and the budget forecast) where the shown value differs,
read from the snapshots, so it is exactly what the reports show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    indicator: str
    unit: str
    before: str
    after: str


def shown_figures(snapshot: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(indicator code, unit id) -> (indicator name, unit name, value as shown) for every figure."""
    shown: dict[tuple[str, str], tuple[str, str, str]] = {}
    for area in snapshot.get("task_areas", []):
        for block in area.get("indicators", []):
            code = block["indicator"]
            shown[(code, block["unit_id"])] = (block["name"], block["unit_name"], block["value_text"])
            for row in block.get("breakdown", []):
                shown[(code, row["unit_id"])] = (block["name"], row["name"], row["value_text"])
    for effort in snapshot.get("efforts") or []:
        for goal in effort.get("goals", []):
            key = (f"effort:{effort['code']}:{goal['indicator']}", "")
            shown[key] = (f"{goal['name']} ({effort['name']})", "Deltagerne samlet", goal["value_text"])
    budget = snapshot.get("budget") or {}
    for row in [*(budget.get("areas") or []), *([budget["total"]] if budget.get("total") else [])]:
        shown[("budget", row["label"])] = ("Forventet regnskab (kr.)", row["label"], row.get("forecast_text") or "–")
    return shown


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every figure whose shown value differs between two snapshots (missing on one side reads '–')."""
    old, new = shown_figures(before), shown_figures(after)
    changes = []
    for key in sorted(set(old) | set(new)):
        o, n = old.get(key), new.get(key)
        if o is not None and n is not None and o[2] == n[2]:
            continue
        label = n or o
        assert label is not None
        changes.append(Change(label[0], label[1], o[2] if o else "–", n[2] if n else "–"))
    return changes
