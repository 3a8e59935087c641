"""Building the demo municipality the way a municipality would: files in the import contracts, then the imports.

`write_demo_files` puts the demo's files into the demo-data folder (kept there so a user can open
them): the committees and the indicator definitions as they are in `driftsblik/demo/data/`, and the
organisation, groups, targets and observations generated from one seed;
`load_demo_files` loads them through the same services as `driftsblik org import`,
`indicators define`, `targets import` and `observations import`; `load_register_indicators`
runs the register engine for the six register indicators when it is installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from driftsblik.core.periods import Month
from driftsblik.demo.figures import FigureSet, generate_figures
from driftsblik.demo.indicators import DATA_DIR
from driftsblik.demo.names import ANALYST_EMAIL, ANALYST_NAME, DEMO_DOMAIN
from driftsblik.demo.organisation import ORGANISATION_COLUMNS, DemoOrganisation, build_organisation, organisation_rows

DEFAULT_SEED = 2026
RESIDENTS = 64_000
BUDGET_YEARS = 3
MAX_SCALE = 15
"""The largest `scale`: about 15 times Hjørring's units (the demo's name list gives every leader their own name)."""

ORGANISATION_FILE = "organisation.csv"
COMMITTEES_FILE = "committees.csv"
GROUPS_FILE = "groups.csv"
MEMBERS_FILE = "committee_members.csv"
INDICATORS_FILE = "indicators.yaml"
TARGETS_FILE = "targets.csv"
OBSERVATIONS_FILE = "observations.csv"
REGISTERS_DIR = "registers"
REGISTER_OBSERVATIONS_FILE = "register_observations.csv"
REGISTER_TARGETS_FILE = "register_targets.csv"
DEMO_FILES = (
    ORGANISATION_FILE,
    COMMITTEES_FILE,
    GROUPS_FILE,
    MEMBERS_FILE,
    INDICATORS_FILE,
    TARGETS_FILE,
    OBSERVATIONS_FILE,
    REGISTER_OBSERVATIONS_FILE,
    REGISTER_TARGETS_FILE,
)
STATIC_FILES = (COMMITTEES_FILE, MEMBERS_FILE, INDICATORS_FILE)
"""Files the demo takes as they are from driftsblik/demo/data/ (they do not depend on the seed)."""

Say = Callable[[str], None]


def last_complete_month(today: dt.date) -> Month:
    """The month before today's: the latest month with complete figures."""
    return Month.of(today).shift(-1)


@dataclass
class DemoFiles:
    """The generated demo: where its files are and what is in them."""

    directory: Path
    seed: int
    first_month: Month
    last_month: Month
    organisation: DemoOrganisation
    figures: FigureSet
    residents: int

    def path(self, name: str) -> Path:
        return self.directory / name


@dataclass
class LoadReport:
    """What loading the demo stored, and how long each step took."""

    steps: list[tuple[str, float, str]] = field(default_factory=list)
    register_notice: str = ""

    def step(self, name: str, started: float, detail: str) -> None:
        self.steps.append((name, time.perf_counter() - started, detail))


def check_scale(scale: float) -> None:
    """Refuse a scale the demo cannot build: at most 0, a fraction above 1, or above MAX_SCALE."""
    if not 0 < scale <= MAX_SCALE or (scale > 1 and scale != int(scale)):
        raise ValueError(f"scale must be above 0 and at most 1, or a whole number from 2 to {MAX_SCALE}, not {scale:g}")


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object] | dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[c] for c in columns] if isinstance(row, dict) else row)


def write_demo_files(
    directory: Path,
    *,
    seed: int = DEFAULT_SEED,
    last_month: Month,
    scale: float = 1.0,
    budget_years: int = BUDGET_YEARS,
) -> DemoFiles:
    """Generate the demo municipality into `directory` (its previous demo files are replaced).

    Deterministic: the same seed, last month and scale give byte-identical files. `scale` below 1
    shrinks the repeated institutions and the residents for quick test builds; a whole number from
    2 to MAX_SCALE copies every institution and team that many times and the residents with them
    (a Copenhagen-size municipality at 10); `budget_years` is how many budget years of monthly
    figures, ending with `last_month`'s year.
    """
    check_scale(scale)
    if budget_years < 1:
        raise ValueError(f"budget_years must be at least 1, not {budget_years}")
    directory.mkdir(parents=True, exist_ok=True)
    for name in DEMO_FILES:
        (directory / name).unlink(missing_ok=True)
    shutil.rmtree(directory / REGISTERS_DIR, ignore_errors=True)

    org_seed, figure_seed = np.random.SeedSequence(seed).spawn(2)
    org = build_organisation(np.random.default_rng(org_seed), scale)
    first_year = last_month.year - budget_years + 1
    figures = generate_figures(org, np.random.default_rng(figure_seed), first_year=first_year, last_month=last_month)

    _write_csv(directory / ORGANISATION_FILE, ORGANISATION_COLUMNS, organisation_rows(org))
    for name in STATIC_FILES:
        shutil.copyfile(DATA_DIR / name, directory / name)
    groups = [(p.email, "directorate", p.name) for p in org.directorate] + [(ANALYST_EMAIL, "analysts", ANALYST_NAME)]
    _write_csv(directory / GROUPS_FILE, ("email", "group", "name"), groups)
    _write_csv(directory / TARGETS_FILE, ("indicator", "unit_id", "year", "target"), figures.targets)
    _write_csv(
        directory / OBSERVATIONS_FILE,
        ("indicator", "unit_id", "period", "numerator", "denominator"),
        figures.observations,
    )
    return DemoFiles(directory, seed, Month(first_year, 1), last_month, org, figures, round(RESIDENTS * scale))


def load_demo_files(files: DemoFiles, *, say: Say = print) -> LoadReport:
    """Load the demo's files through the import services; the people they bring are marked as the demo's."""
    from driftsblik.organisation.models import User

    before = set(User.objects.values_list("pk", flat=True))
    report = _load_demo_files(files, say=say)
    mark_demo_people(before)
    return report


def _load_demo_files(files: DemoFiles, *, say: Say = print) -> LoadReport:
    """Load the generated files through the import services, in the order a municipality would."""
    from driftsblik.indicators.services import indicators_define, observations_import, targets_import
    from driftsblik.organisation.services import org_import

    report = LoadReport()
    for label, name, service in (
        ("organisation", ORGANISATION_FILE, org_import),
        ("committees", COMMITTEES_FILE, org_import),
        ("groups", GROUPS_FILE, org_import),
        ("members", MEMBERS_FILE, org_import),
        ("indicators", INDICATORS_FILE, indicators_define),
        ("targets", TARGETS_FILE, targets_import),
    ):
        started = time.perf_counter()
        summary = service(path=files.path(name))
        report.step(label, started, _describe(summary))
        say(f"  {label:<13} {files.path(name)}")

    started = time.perf_counter()
    summary = observations_import(path=files.path(OBSERVATIONS_FILE))
    report.step("observations", started, _describe(summary))
    say(f"  {'observations':<13} {files.path(OBSERVATIONS_FILE)} ({len(files.figures.observations):,} rows)")
    return report


def _describe(summary: object) -> str:
    lines = getattr(summary, "lines", None)
    if callable(lines):
        return "; ".join(lines())
    return str(summary)


def mark_demo_people(before: set[int]) -> int:
    """Mark the people the demo made (every user not among the ids in `before`) as the demo's
    (`User.created_by_demo`): demo mode logs in only them, and `driftsblik serve` refuses demo mode
    on a database with anyone else. Never a superuser. Returns how many."""
    from driftsblik.organisation.models import User

    made = User.objects.exclude(pk__in=before).filter(is_superuser=False)
    return made.update(created_by_demo=True)


def demo_users_only() -> str | None:
    """None when the database is empty or holds only the demo; else why rebuilding it would destroy data."""
    from driftsblik.organisation.models import Unit, User

    foreign = User.objects.exclude(email__iendswith=f"@{DEMO_DOMAIN}").values_list("email", flat=True)[:3]
    if foreign:
        return f"the database has users outside the demo ({', '.join(foreign)})"
    from driftsblik.demo.organisation import ROOT_ID

    if Unit.objects.exists() and not Unit.objects.filter(id=ROOT_ID).exists():
        return "the database holds an organisation that is not the demo's"
    return None
