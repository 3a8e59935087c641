"""Declared extension points: what one app adds to the pages, commands and documents of another.

Driftsblik's apps meet at a few seams, each declared here as a kind of record (a frozen dataclass).
An app contributes by registering records from its `AppConfig.ready()`; the app that owns the
seam reads them with `entries(Kind)`. No app looks for another app's module or attribute, so a
renamed function fails at start-up or in `core/tests/test_hooks.py` (which lists what is
registered), never by silently dropping a report section or a tick job.

| record            | read by                              | what it adds                                      |
| ----------------- | ------------------------------------ | ------------------------------------------------- |
| `TickJob`         | `driftsblik tick` (notifications)    | scheduled work: reminders, escalations, rounds    |
| `ReportSection`   | the committee report (reports)       | a part of the report snapshot (budget, efforts...) |
| `DemoLoader`      | `driftsblik demo` (demo)             | an app's part of the demo municipality            |
| `OverviewSection` | the overview, unit and indicator pages | a block of another app on those pages            |
| `MenuEntry`       | the main menu (web's base template)  | a link in the menu, with an optional count        |
| `ExcelTable`      | the download routes, the tests       | a table a person can download as Excel            |
| `DataSource`      | data connectors                      | figures from outside (Statistikbanken, OS2mo...)  |
| `FigureExplanation` | the unit, indicator and overview pages | the unit's latest words beside a figure         |

How the three designs we read do it, and why this one:
- Datasette declares its hooks as pluggy hook specifications: one function signature each,
  implementations checked against it, all of them called and their results collected. Declared
  and checked, as we want; but pluggy is built for calling code, where ours are mostly data (a menu
  entry, a report section, a job with a name), read, ordered and listed by the app that owns the seam.
- Wagtail's hooks are named lists of callables (`@hooks.register("construct_main_menu")`), found
  by importing each app's `wagtail_hooks.py`. Simple, but a hook is only a string: a misspelled
  name registers into a list that nobody reads, the silent failure this module exists to end.
- NetBox keeps one application registry of stores declared up front that cannot be replaced,
  filled by each plugin's `PluginConfig.ready()` with typed objects (`PluginMenuItem`,
  `PluginTemplateExtension`).
We follow NetBox (one registry, declared slots, typed records, filled from `ready()`), keep
Datasette's habit of one documented specification per slot (the dataclasses below, checked by
mypy), and add no dependency. `register` refuses a record of an undeclared kind, a second record
with the same name in a slot, and a record whose fields do not fit the slot (an unknown place).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.utils.module_loading import import_string

from driftsblik.core.periods import Period, PeriodError

Say = Callable[[str], object]


class TickRun(Protocol):
    def __call__(self, *, today: dt.date) -> str: ...


@dataclass(frozen=True)
class TickJob:
    """Scheduled work of `driftsblik tick`: `run(today=...)` does it for that day and returns a
    one-line summary. Each job runs on its own: one that fails is reported and the others
    still run. A job must be safe to run twice for the same day (key what it sends by its event)."""

    name: str
    run: TickRun
    order: int = 0


REPORT, TASK_AREA = "report", "task_area"


@dataclass(frozen=True)
class ReportSection:
    """A part of a committee report's snapshot, made by the app whose data it shows.

    `scope` REPORT: `build(committee=, period=, kind=)` and the value is stored under
    `snapshot[name]`; `scope` TASK_AREA: `build(committee=, period=, kind=, task_area=, units=, tree=)`
    (the task area's units and the tree of the report's day) and the value is stored under
    `snapshot["task_areas"][i][name]`. The value must be JSON-able: issued reports keep it frozen.
    `kinds` names the kinds of report it belongs in (empty: every kind). The report's template
    shows the section by its name.
    """

    name: str
    build: Callable[..., Any]
    scope: str = REPORT
    kinds: frozenset[str] = frozenset()
    order: int = 0

    def __post_init__(self) -> None:
        if self.scope not in (REPORT, TASK_AREA):
            raise ValueError(f"report section {self.name}: scope {self.scope!r} is not {REPORT!r} or {TASK_AREA!r}")


class DemoLoad(Protocol):
    def __call__(self, files: Any, *, say: Say) -> str: ...


@dataclass(frozen=True)
class DemoLoader:
    """An app's part of the demo municipality: `load(files, say=...)` writes its files into
    `files.directory`, loads them through its own services and returns a one-line summary. Loaders
    run after the organisation, the figures and the register indicators, by `order` (the budget
    before the reports that show it)."""

    name: str
    load: DemoLoad
    order: int


OVERVIEW_FOR_ME = "overview.for_me"  # the "For me" strip at the top of "Mit overblik"
OVERVIEW_END = "overview.end"  # after the scorecards and tables of "Mit overblik"
UNIT_END = "unit.end"  # after a unit page's tables
INDICATOR_ASIDE = "indicator.aside"  # beside an indicator page's figures
PLACES = (OVERVIEW_FOR_ME, OVERVIEW_END, UNIT_END, INDICATOR_ASIDE)


@dataclass(frozen=True)
class OverviewSection:
    """A block of another app on the overview pages: `template` rendered with `context(page)`, where
    `page` is the page's template context (its `request`, `viewer`, `unit_id`, `period`...).
    `stylesheet` (a static path) is linked in the page's head when the section is on it."""

    name: str
    place: str
    template: str
    context: Callable[[Any], Mapping[str, Any]]
    stylesheet: str = ""
    order: int = 0

    def __post_init__(self) -> None:
        if self.place not in PLACES:
            raise ValueError(f"overview section {self.name}: no place {self.place!r} (one of {', '.join(PLACES)})")


@dataclass(frozen=True)
class MenuEntry:
    """A link in the main menu: `label` (translatable) to the URL named `url_name`, marked as the
    current page when the request's URL namespace (or, for a page without one, its URL name) is
    `current`. `badge(request)` gives a count shown beside it (nothing when 0), read out to screen
    readers with `badge_label` ("3 unread"). `shown(request)`, when given, says whether the person
    gets the entry at all (a page that would be a 404 to them is not offered)."""

    name: str
    label: Any  # a lazy translation
    url_name: str
    current: str
    order: int
    badge: Callable[[Any], int] | None = None
    badge_label: Any = ""
    shown: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class ExcelTable:
    """A table a person can download as an Excel workbook, holding the rows and columns of the page
    it comes from as that person sees them. `url_name` is the route that serves it; the shared
    download route (`export`, `/eksport/<name>/<unit>/`) serves the tables registered for it by
    name, and `indicator` says it needs `?indikator=`."""

    name: str
    url_name: str
    indicator: bool = False
    order: int = 0


@dataclass(frozen=True)
class DataSource:
    """A connector that brings figures from outside (Statistikbanken, Jobindsats, OS2mo, a data
    warehouse) into Driftsblik through the same import services as a file: `load(say=..., **options)`
    fetches, validates and loads, and returns a one-line summary."""

    name: str
    title: str
    load: Callable[..., str]
    order: int = 0


COMMENTARY, ANSWER = "kommentar", "svar"  # the kinds of a figure's explanation
EXPLANATION_KINDS = (COMMENTARY, ANSWER)

Pair = tuple[str, str]  # (indicator code, unit id)


@dataclass(frozen=True)
class Explanation:
    """What a unit has said about one of its figures: `text` by `author` at `written_at`, of `kind`
    COMMENTARY (a committee report's commentary round) or ANSWER (the answer to a challenge), and
    where the viewer may read the whole (`url`, empty when they may read only this text)."""

    text: str
    author: str
    written_at: dt.datetime
    kind: str
    url: str = ""

    def __post_init__(self) -> None:
        if self.kind not in EXPLANATION_KINDS:
            raise ValueError(f"explanation kind {self.kind!r} is not one of {', '.join(EXPLANATION_KINDS)}")


def not_after(text: str, shown: Period | None) -> bool:
    """Whether an explanation about period `text` ("2026-03", "2026Q1") belongs beside the figures of
    the period `shown` (a `core.periods.Period`): it is not about a later period. Any period goes
    when nothing is shown; a period that cannot be read goes nowhere."""
    if shown is None:
        return True
    try:
        return bool(Period.parse(text).start.index <= shown.stop.index)
    except PeriodError:
        return False


class ExplainFigures(Protocol):
    def __call__(self, viewer: Any, pairs: Collection[Pair], *, period: Any = None) -> Mapping[Pair, Explanation]: ...


@dataclass(frozen=True)
class FigureExplanation:
    """A source of what units have said about their figures, shown beside the figure on the unit,
    indicator and overview pages. `explain(viewer, pairs, period=...)` takes the person looking (a
    `Viewer`), the (indicator code, unit id) pairs of the page and the period shown (None: any), and
    returns the latest explanation the viewer may read per pair (pairs without one left out), in a
    number of queries that does not grow with the number of pairs. A unit outside the viewer's view
    gets nothing. The page shows the latest of all sources' explanations."""

    name: str
    explain: ExplainFigures
    order: int = 0


SLOTS: dict[str, type] = {
    "tick_jobs": TickJob,
    "report_sections": ReportSection,
    "demo_loaders": DemoLoader,
    "overview_sections": OverviewSection,
    "menu_entries": MenuEntry,
    "excel_tables": ExcelTable,
    "data_sources": DataSource,
    "figure_explanations": FigureExplanation,
}

Record = (
    TickJob | ReportSection | DemoLoader | OverviewSection | MenuEntry | ExcelTable | DataSource | FigureExplanation
)
R = TypeVar(
    "R", TickJob, ReportSection, DemoLoader, OverviewSection, MenuEntry, ExcelTable, DataSource, FigureExplanation
)


@dataclass
class Registry:
    """The records of every slot, in the order they were registered."""

    slots: Mapping[str, type]
    _records: dict[type, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._records = {kind: {} for kind in self.slots.values()}

    def register(self, record: R) -> R:
        """Add a record to its slot; the same record again changes nothing, another with its name is refused."""
        kind = type(record)
        if kind not in self._records:
            raise TypeError(f"{kind.__name__} is not a declared extension point ({', '.join(self.slots)})")
        slot = self._records[kind]
        present = slot.get(record.name)
        if present is not None and present != record:
            raise ValueError(f"{kind.__name__} {record.name!r} is registered twice")
        slot[record.name] = record
        return record

    def unregister(self, record: Record) -> None:
        del self._records[type(record)][record.name]

    def entries(self, kind: type[R]) -> tuple[R, ...]:
        """The slot's records by `order`, those of equal order as registered."""
        return tuple(sorted(self._records[kind].values(), key=lambda r: r.order))

    def get(self, kind: type[R], name: str) -> R | None:
        return self._records[kind].get(name)

    def names(self) -> dict[str, list[str]]:
        """Every slot with the names registered in it: what `core/tests/test_hooks.py` holds the code to."""
        return {slot: [r.name for r in self.entries(kind)] for slot, kind in self.slots.items()}


registry = Registry(SLOTS)
register = registry.register
entries = registry.entries
get = registry.get


class Lazy:
    """A function named by its dotted path, imported on first call: for contributions whose module
    is heavy to import at start-up (the demo's generators). `resolve()` imports it, so a test can
    prove every registered path exists."""

    def __init__(self, dotted: str) -> None:
        self.dotted = dotted
        self._target: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        if self._target is None:
            self._target = import_string(self.dotted)
        return self._target

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lazy) and other.dotted == self.dotted

    def __hash__(self) -> int:
        return hash(self.dotted)

    def __repr__(self) -> str:
        return f"Lazy({self.dotted!r})"


@contextlib.contextmanager
def registered(record: R) -> Iterator[R]:
    """The record registered for the length of a `with` block (tests, a one-off command)."""
    registry.register(record)
    try:
        yield record
    finally:
        registry.unregister(record)
