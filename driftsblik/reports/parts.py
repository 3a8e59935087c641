"""A commentary writer's own part of a draft report: their task area at their unit, nothing else.

A leader of a task-area unit writes the commentary for that unit and reads the draft they write
for: the task area's figures at their unit (with its breakdown), their own commentary and the
dialogue counts at their unit. Other units, the directors' commentary and choices, the efforts
and the budget belong to the whole report, which only its whole writers read (`reports.access`).
"""

from __future__ import annotations

import copy
from typing import Any

from driftsblik.reports.access import Part
from driftsblik.ui import status as status_table

TARGET = status_table.TARGET
WHOLE_REPORT_ONLY = ("efforts", "budget")


def draft_part(snapshot: dict[str, Any], parts: frozenset[Part]) -> dict[str, Any]:
    """The snapshot cut down to the person's parts (marked `part`: the templates say so)."""
    r = copy.deepcopy(snapshot)
    areas = []
    used: set[str] = set()
    for area in r["task_areas"]:
        mine = {unit for code, unit in parts if code == area["code"]}
        if not mine:
            continue
        area["units"] = [u for u in area["units"] if u["id"] in mine]
        area["indicators"] = [b for b in area["indicators"] if b["unit_id"] in mine]
        area["commentary"] = [c for c in area.get("commentary", []) if c["unit_id"] in mine and c["level"] == "unit"]
        dialogue = area.get("dialogue")
        if dialogue:
            units = [u for u in dialogue.get("units", []) if u["unit_id"] in mine]
            dialogue.update(
                units=units,
                challenges=sum(u["challenges"] for u in units),
                actions=sum(u["actions"] for u in units),
            )
        area["chosen"] = []
        for key in [k for k in area if k not in _AREA_KEYS]:
            del area[key]  # another app's section over the whole task area
        area["status"] = TARGET.worst(b["status"] for b in area["indicators"])
        area["status_word"] = TARGET.word(area["status"])
        used.update(b["indicator"] for b in area["indicators"])
        areas.append(area)
    r["task_areas"] = areas
    r["status"] = TARGET.worst(a["status"] for a in areas)
    r["status_word"] = TARGET.word(r["status"])
    for key in [k for k in r if k not in _REPORT_KEYS]:
        r[key] = None  # the whole report's sections: efforts, budget and those of other apps
    r["appendix"] = [d for d in r["appendix"] if d["code"] in used]
    r["part"] = True
    return r


_AREA_KEYS = {"code", "name", "units", "status", "status_word", "indicators", "commentary", "dialogue", "chosen"}
_REPORT_KEYS = {
    "committee",
    "period",
    "period_label",
    "kind",
    "number",
    "title",
    "meeting",
    "built_at",
    "suppression_label",
    "status",
    "status_word",
    "task_areas",
    "appendix",
    "readers",
    "part",
}
