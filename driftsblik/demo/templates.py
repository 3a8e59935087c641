"""Demo data files whose values depend on the build, marked with YAML tags.

The demo's efforts and dialogue threads in `driftsblik/demo/data/` are written in their import
contracts (docs/data-contracts.md), except that a value which depends on the build (who leads a
unit under this seed, the day the demo is built, its months) is a tag. The demo fills the tags in,
writes the result into the demo-data folder as a plain file of the contract, and loads that file
through the app's import service, as a municipality would.

| tag | becomes |
| --- | --- |
| `!leader UNIT` | the e-mail of the unit's leader |
| `!leader_name UNIT` | the name of the unit's leader |
| `!day N` | the day the demo is built, plus N days (a date; N may be negative) |
| `!at N HH:MM` | that day plus N days at HH:MM, local time (a date-time) |
| `!month` | the demo's last month (`2026-10`) |
| `!quarter` | the quarter of the demo's last month (`2026Q4`) |
| `!first_day N` | the first day of the demo's first month plus N days, at the latest the build day |
| `!year_end N` | 31 December of the year of the demo's last month, plus N years |

An unknown unit or a malformed value is refused with the file, line and reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from driftsblik.core.periods import Month
from driftsblik.core.tabular import ImportRejected, Problem
from driftsblik.demo.indicators import DATA_DIR
from driftsblik.demo.organisation import DemoOrganisation


@dataclass(frozen=True)
class DemoContext:
    """What a tag is filled in from: the demo's organisation, its months and the day it is built."""

    organisation: DemoOrganisation
    first_month: Month
    last_month: Month
    today: dt.date

    @classmethod
    def of(cls, files: Any) -> DemoContext:
        """The context of a generated demo (`DemoFiles`), built today."""
        return cls(files.organisation, files.first_month, files.last_month, timezone.localdate())

    def leader(self, unit_id: str) -> Any:
        unit = self.organisation.units.get(unit_id)
        if unit is None:
            raise ValueError(f"no unit {unit_id!r} in the demo organisation")
        return unit.leader

    def at(self, text: str) -> dt.datetime:
        days, _, clock = text.partition(" ")
        moment = dt.datetime.combine(self.today + dt.timedelta(days=int(days)), dt.time.fromisoformat(clock))
        return timezone.make_aware(moment)

    def first_day(self, days: str) -> dt.date:
        return min(self.first_month.first + dt.timedelta(days=int(days)), self.today)


_TAGS: dict[str, Callable[[DemoContext, str], object]] = {
    "!leader": lambda c, v: c.leader(v).email,
    "!leader_name": lambda c, v: c.leader(v).name,
    "!day": lambda c, v: c.today + dt.timedelta(days=int(v)),
    "!at": DemoContext.at,
    "!month": lambda c, v: str(c.last_month),
    "!quarter": lambda c, v: f"{c.last_month.year}Q{(c.last_month.month + 2) // 3}",
    "!first_day": DemoContext.first_day,
    "!year_end": lambda c, v: dt.date(c.last_month.year + int(v), 12, 31),
}


def read_template(name: str, context: DemoContext, *, directory: Path = DATA_DIR) -> Any:
    """The YAML file `name` of the demo data with its tags filled in from `context`."""
    path = directory / name
    problems: list[Problem] = []

    class Loader(yaml.SafeLoader):
        pass

    def constructor(fill: Callable[[DemoContext, str], object]) -> Callable[[yaml.SafeLoader, yaml.Node], object]:
        def construct(loader: yaml.SafeLoader, node: yaml.Node) -> object:
            value = str(loader.construct_scalar(node)).strip()  # type: ignore[arg-type]
            try:
                return fill(context, value)
            except ValueError as exc:
                problems.append(Problem(path.name, node.start_mark.line + 1, None, f"{node.tag} {value}: {exc}"))
                return None

        return construct

    for tag, fill in _TAGS.items():
        Loader.add_constructor(tag, constructor(fill))
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a SafeLoader with our tags
    if problems:
        raise ImportRejected(problems)
    return data


def write_yaml(path: Path, data: Any) -> Path:
    """A filled-in template as a plain file of its contract, as a person would write it."""

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    text = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
    return path
