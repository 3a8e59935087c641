"""The parts of the demo that other apps add on top of the organisation and the figures.

Each app with demo content registers a `DemoLoader` (`driftsblik.core.hooks`) whose

    load(files: DemoFiles, *, say: Say) -> str

writes its files into `files.directory` (in its import contract, where it has one), loads them
through its own services and returns a one-line summary. They run after the figures and the
register indicators, by their order: the budget first (reports show it), then the dialogue
threads, the cross-cutting efforts, and the committee reports last (they show all of it).
"""

from __future__ import annotations

import time

from driftsblik.core import hooks
from driftsblik.demo.build import DemoFiles, LoadReport, Say


def load_demo_extras(files: DemoFiles, *, say: Say = print, report: LoadReport | None = None) -> LoadReport:
    """Run every registered demo loader in order; each step is timed into the report. The people
    they bring are marked as the demo's."""
    from driftsblik.demo.build import mark_demo_people
    from driftsblik.organisation.models import User

    before = set(User.objects.values_list("pk", flat=True))
    report = report or LoadReport()
    for loader in hooks.entries(hooks.DemoLoader):
        started = time.perf_counter()
        detail = loader.load(files, say=say)
        report.step(loader.name, started, detail)
        say(f"  {loader.name:<13} {detail}")
    mark_demo_people(before)
    return report
