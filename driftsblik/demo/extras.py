"""The parts of the demo that other apps add on top of the organisation and the figures.

Each app with demo content has a module `driftsblik.<app>.demo` with

    def load_demo(files: DemoFiles, *, say: Say) -> str

which writes its files into `files.directory` (in its import contract, where it has one), loads
them through its own services and returns a one-line summary. They run after the figures and the
register indicators, in the order below: the budget first (reports show it), then the dialogue
threads, the cross-cutting efforts, and the committee reports last (they show all of it).
"""

from __future__ import annotations

import importlib
import time
from types import ModuleType

from driftsblik.demo.build import DemoFiles, LoadReport, Say

EXTRAS = (
    "driftsblik.budget.demo",
    "driftsblik.dialogue.demo",
    "driftsblik.efforts.demo",
    "driftsblik.sources.demo",
    "driftsblik.reports.demo",
)


def _module(dotted: str) -> ModuleType | None:
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as exc:
        if exc.name == dotted:
            return None
        raise


def load_demo_extras(files: DemoFiles, *, say: Say = print, report: LoadReport | None = None) -> LoadReport:
    """Run every app's demo loader in order; each step is timed into the report."""
    report = report or LoadReport()
    for dotted in EXTRAS:
        module = _module(dotted)
        if module is None:
            continue
        label = dotted.split(".")[1]
        started = time.perf_counter()
        detail = module.load_demo(files, say=say)
        report.step(label, started, detail)
        say(f"  {label:<13} {detail}")
    return report
