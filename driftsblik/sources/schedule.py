"""The sources' part of `driftsblik tick`: fetch every source whose schedule says it is due.

A source is due when it has a schedule and no successful fetch since its most recent scheduled
day; a failed fetch is tried again at the next tick. One failing source does not stop the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from driftsblik.sources.mapping import MappingError, Source, configured_sources
from driftsblik.sources.models import RunStatus, SourceRun
from driftsblik.sources.services import FetchFailed, source_fetch

log = logging.getLogger("driftsblik.sources")


def is_due(source: Source, today: dt.date) -> bool:
    schedule = source.mapping.schedule
    if schedule is None:
        return False
    last_ok = (
        SourceRun.objects.filter(name=source.name, status=RunStatus.OK)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return last_ok is None or timezone.localdate(last_ok) < schedule.last_due(today)


def fetch_due(*, today: dt.date, say: Callable[[str], object]) -> str:
    """Fetch the due sources; a summary line for the tick's log."""
    try:
        sources = configured_sources()
    except MappingError as exc:
        say(str(exc))
        return f"the sources folder cannot be read: {exc}"
    fetched, failed = 0, []
    for source in sources:
        if isinstance(source, MappingError):
            say(f"{source} (not fetched)")
            continue
        if not is_due(source, today):
            continue
        try:
            report = source_fetch(source=source, today=today)
        except FetchFailed as exc:
            failed.append(source.name)
            say(str(exc))
            continue
        fetched += 1
        for line in report.lines():
            say(line)
    if not (fetched or failed):
        return ""  # nothing was due: the tick prints no line
    return f"{fetched} source(s) fetched, {len(failed)} failed" + (f" ({', '.join(failed)})" if failed else "")


def tick(*, today: dt.date) -> str:
    """The sources' tick job: fetch what is due; each source's lines go to the log."""
    return fetch_due(today=today, say=log.info)


def fetch_connector_sources(kind: str, *, say: Callable[[str], object] = print, **options: Any) -> str:
    """Fetch every configured source of one connector now (the data-source hook's `load`);
    `options` are those of `source_fetch` (first, last, dry_run)."""
    fetched, failed = 0, []
    for source in configured_sources():
        if isinstance(source, MappingError) or source.connector.kind != kind:
            continue
        try:
            report = source_fetch(source=source, **options)
        except FetchFailed as exc:
            failed.append(source.name)
            say(str(exc))
            continue
        fetched += 1
        for line in report.lines():
            say(line)
    return f"{fetched} source(s) fetched" + (f", failed: {', '.join(failed)}" if failed else "")
