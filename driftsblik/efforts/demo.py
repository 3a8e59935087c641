"""The demo's three cross-cutting efforts: `driftsblik/demo/data/efforts.yaml`, loaded through `efforts_define`.

1. Færre langvarige kontanthjælpsmodtagere (jobcenter teams, Socialpsykiatrien, the a-kasser,
   employers, Region Nordjylland);
2. Ungegarantien (the youth unit's teams, the youth school, schools, EUC Nord, employers);
3. Det sammenhængende forløb for den ældre medicinske patient (home-care districts, the acute team,
   Visitationen, Regionshospital Nordjylland, the general practitioners).
The file is in the efforts contract with the values that depend on the build as tags (leaders,
dates relative to the day the demo is built; see `driftsblik.demo.templates`). Targets per budget
year are added from the first year's shared figure (lower is better: 5 % fewer a year; higher: 2
points more a year), and each milestone is kept within its effort's dates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from driftsblik.core.periods import Month, month_range
from driftsblik.demo.templates import DemoContext, read_template, write_yaml
from driftsblik.efforts.define import efforts_define
from driftsblik.efforts.selectors import Cells, top_units
from driftsblik.indicators.models import Direction, Indicator, Measure
from driftsblik.indicators.rollup import value_of
from driftsblik.organisation.tree import TreeCache

FILE_NAME = "efforts.yaml"


def _targets(efforts: list[dict[str, Any]], first: Month, last: Month) -> None:
    """Shared targets per year from the first year's shared figure; a unit target for the first team."""
    codes = {c for e in efforts for c in e["indicators"]}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    trees = TreeCache()
    for effort in efforts:
        effort["indicators"] = [c for c in effort["indicators"] if c in indicators]
        units = [p["unit"] for p in effort["participants"] if "unit" in p]
        wanted = [indicators[c] for c in effort["indicators"]]
        base_month = Month(first.year, 12) if Month(first.year, 12) <= last else last
        tops = top_units(units, trees.on(base_month.end))
        cells = Cells(wanted, units, month_range(Month(base_month.year, 1), base_month), trees)
        targets = []
        for indicator in wanted:
            total = cells.sum_months(indicator.code, tops)
            if not total:
                continue
            base = value_of(indicator, total[max(total)])
            if base is None:
                continue
            for step, year in enumerate(range(first.year, last.year + 1)):
                targets.append({"indicator": indicator.code, "year": year, "value": _target(indicator, base, step)})
            own = cells.unit_months(indicator.code, units[0])
            if own and (own_base := value_of(indicator, own[max(own)])) is not None:
                targets.append(
                    {
                        "indicator": indicator.code,
                        "year": last.year,
                        "value": _target(indicator, own_base, 1),
                        "unit": units[0],
                    }
                )
        effort["targets"] = targets


def _target(indicator: Indicator, base: Decimal, step: int) -> float:
    if indicator.measure == Measure.COUNT:
        factor = Decimal("0.95") ** step if indicator.direction == Direction.LOWER else Decimal("1.05") ** step
        return float(round(base * factor))
    shift = Decimal(2 * step) if indicator.direction == Direction.HIGHER else -Decimal(step) / 2
    value = base + shift * (Decimal(1) if indicator.measure == Measure.SHARE else base / 100)
    return float(round(min(value, Decimal(100)) if indicator.measure == Measure.SHARE else value, 1))


def load_demo(files: Any, *, say: Any) -> str:
    """Fill in the demo's efforts file, add targets, write it into the demo folder and load it (`efforts_define`)."""
    document = read_template(FILE_NAME, DemoContext.of(files))
    for effort in document["efforts"]:
        for milestone in effort["milestones"]:
            milestone["due"] = min(max(milestone["due"], effort["start"]), effort["end"])
    _targets(document["efforts"], files.first_month, files.last_month)
    return efforts_define(path=write_yaml(files.path(FILE_NAME), document))
