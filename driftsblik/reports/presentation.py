"""A committee report as slides for the meeting: one slide per indicator figure of the report, in the
report's order (task area, then its central indicators), made from the report's snapshot.

A draft's slides are today's figures as the person may read the draft (whole, or their own parts),
an issued report's slides its frozen figures; who may open them is `reports.access`, as for the
report itself (anyone else gets a 404).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from driftsblik.ui.presentation import Slide, projector_spec


def snapshot_slides(snapshot: dict[str, Any]) -> list[Slide]:
    """Every indicator block of the snapshot as a slide, in the report's order."""
    described = {entry["code"]: entry.get("description", "") for entry in snapshot.get("appendix", [])}
    year = str(snapshot["period"])[:4]
    slides = []
    for area in snapshot["task_areas"]:
        for block in area["indicators"]:
            slides.append(
                Slide(
                    heading=block["name"],
                    place=block["unit_name"]
                    if block["unit_name"].casefold() == area["name"].casefold()
                    else f"{block['unit_name']} · {area['name']}",
                    period_label=snapshot["period_label"],
                    value_text=block["value_text"],
                    target_label=_("Target for %(year)s") % {"year": year},
                    target_text=block["target_text"],
                    status=block["status"],
                    sentence=block["sentence"],
                    description=described.get(block["indicator"], ""),
                    chart=projector_spec(block.get("chart")),
                    note=_("%(label)s: a small number, hidden to protect the persons counted.")
                    % {"label": snapshot.get("suppression_label", "")}
                    if block.get("suppressed")
                    else "",
                )
            )
    return slides
