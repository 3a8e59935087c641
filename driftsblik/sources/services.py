"""Fetching a source: ask the connector, then store what it answered through the checked imports.

`source_fetch` is all or nothing. The connector's answer is complete and in the documented format
before anything is written; then, in one transaction, the figures for the municipality's own units
go through the observation import (the same checks, revisions and all-or-nothing as a file), the
figures for every municipality become comparison figures, and an organisation answer goes through
the organisation import. A failure at any step changes no data; only a `SourceRun` records why.
A dry run does the same in a transaction that is rolled back, and reports what would change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import transaction
from django.utils import timezone

from driftsblik.core.periods import Month
from driftsblik.core.tabular import ImportRejected, Problem
from driftsblik.indicators.models import Indicator, Measure
from driftsblik.indicators.services import CellChange, ImportSummary, observations_load
from driftsblik.organisation.services import OrgImportSummary, org_import_tables
from driftsblik.sources.connectors.base import (
    Figure,
    FigureMapping,
    FigureResult,
    OrganisationResult,
)
from driftsblik.sources.http import SourceError
from driftsblik.sources.mapping import Source
from driftsblik.sources.models import ComparisonFigure, RunStatus, SourceRun

FOUR = Decimal("0.0001")
LARGEST = Decimal(10) ** 14


class FetchFailed(Exception):
    """A fetch that changed nothing: the source failed, or its answer did not pass the imports."""


@dataclass
class ComparisonSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class FetchReport:
    """What a fetch did (or, in a dry run, would do)."""

    name: str
    reference: str
    retrieved_at: dt.datetime
    dry_run: bool
    first: Month | None = None
    last: Month | None = None
    observations: ImportSummary | None = None
    changes: list[CellChange] = field(default_factory=list)
    compared: ComparisonSummary | None = None
    organisation: OrgImportSummary | None = None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would" if self.dry_run else "did"
        head = f"{self.name}: {self.reference}, retrieved {timezone.localtime(self.retrieved_at):%Y-%m-%d %H:%M}"
        if self.first and self.last:
            head += f", {self.first}..{self.last}"
        lines = [head + (" (dry run: nothing stored)" if self.dry_run else "")]
        if self.observations is not None:
            o = self.observations
            lines.append(
                f"  own units: {o.rows} figure(s): {verb} create {o.created}, change {o.updated}, "
                f"leave {o.unchanged} unchanged"
            )
            for c in self.changes:
                old = "new" if c.old_numerator is None else _pair(c.old_numerator, c.old_denominator)
                lines.append(
                    f"    {c.indicator} {c.unit_id} {c.period:%Y-%m}: {old} -> {_pair(c.numerator, c.denominator)}"
                )
        if self.compared is not None:
            c = self.compared
            lines.append(f"  comparison: {verb} create {c.created}, change {c.updated}, leave {c.unchanged} unchanged")
        if self.organisation is not None:
            lines.extend(f"  {line}" for line in self.organisation.lines())
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


def _pair(numerator: Decimal, denominator: Decimal | None) -> str:
    text = f"{numerator.normalize():f}"
    return text if denominator is None else f"{text}/{denominator.normalize():f}"


def default_months(mapping: FigureMapping, today: dt.date) -> tuple[Month, Month]:
    last = Month.of(today)
    return last.shift(1 - mapping.months_back), last


def _value(indicator: Indicator, numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
    if indicator.measure == Measure.COUNT:
        return numerator
    if not denominator:
        return None
    return (indicator.scale * numerator / denominator).quantize(FOUR, rounding=ROUND_HALF_EVEN)


def _check_figures(name: str, indicator: Indicator, figures: list[Figure]) -> None:
    problems = []
    for f in figures:
        for what, number in (("numerator", f.numerator), ("denominator", f.denominator)):
            if number is not None and not Decimal(0) <= number < LARGEST:
                problems.append(Problem(name, None, what, f"{f.area} {f.period}: {number} is out of range"))
        if indicator.measure != Measure.COUNT and not f.suppressed and f.denominator is None:
            problems.append(Problem(name, None, "denominator", f"{f.area} {f.period}: {indicator.code} needs one"))
    if problems:
        raise ImportRejected(problems)


def comparison_store(
    *, indicator: Indicator, figures: list[Figure], source: str, retrieved_at: dt.datetime, synthetic: bool = False
) -> ComparisonSummary:
    """Store every area's figure for the comparison: new ones created, changed ones replaced."""
    summary = ComparisonSummary()
    if not figures:
        return summary
    _check_figures(source, indicator, figures)
    periods = sorted({f.period.first for f in figures})
    stored = {
        (c.municipality, c.period): c for c in ComparisonFigure.objects.filter(indicator=indicator, period__in=periods)
    }
    new, changed = [], []
    for f in figures:
        value = None if f.suppressed or f.numerator is None else _value(indicator, f.numerator, f.denominator)
        numerator = f.numerator.quantize(FOUR) if f.numerator is not None else None
        denominator = f.denominator.quantize(FOUR) if f.denominator is not None else None
        current = stored.get((f.area, f.period.first))
        if current is None:
            new.append(
                ComparisonFigure(
                    indicator=indicator,
                    municipality=f.area,
                    period=f.period.first,
                    numerator=numerator,
                    denominator=denominator,
                    value=value,
                    suppressed=f.suppressed,
                    source=source,
                    retrieved_at=retrieved_at,
                    synthetic=synthetic,
                )
            )
        elif (current.numerator, current.denominator, current.suppressed, current.synthetic) == (
            numerator,
            denominator,
            f.suppressed,
            synthetic,
        ):
            summary.unchanged += 1
        else:
            current.numerator, current.denominator, current.value = numerator, denominator, value
            current.suppressed, current.source, current.retrieved_at = f.suppressed, source, retrieved_at
            current.synthetic = synthetic
            changed.append(current)
    ComparisonFigure.objects.bulk_create(new, batch_size=2000)
    ComparisonFigure.objects.bulk_update(
        changed,
        ["numerator", "denominator", "value", "suppressed", "source", "retrieved_at", "synthetic"],
        batch_size=2000,
    )
    summary.created, summary.updated = len(new), len(changed)
    return summary


def _store_figures(source: Source, result: FigureResult, report: FetchReport) -> None:
    mapping = source.mapping
    assert isinstance(mapping, FigureMapping)  # noqa: S101 - a figure result comes from a figure mapping
    indicator = Indicator.objects.filter(code=mapping.indicator).first()
    if indicator is None:
        raise ImportRejected(
            [Problem(source.path.name, None, "indicator", f"unknown indicator {mapping.indicator!r}: define it first")]
        )
    rows = []
    for f in result.figures:
        unit_id = mapping.units.get(f.area)
        if unit_id is None:
            continue
        if f.suppressed:
            report.notes.append(f"{f.area} {f.period}: withheld by the source, not loaded for {unit_id}")
            continue
        rows.append(
            {
                "indicator": indicator.code,
                "unit_id": unit_id,
                "period": str(f.period),
                "numerator": f.numerator,
                "denominator": f.denominator,
            }
        )
    if mapping.units:
        report.observations = observations_load(
            rows=rows, source=result.reference, retrieved_at=result.retrieved_at, changes=report.changes
        )
    if mapping.compare:
        report.compared = comparison_store(
            indicator=indicator, figures=result.figures, source=result.reference, retrieved_at=result.retrieved_at
        )


def _record(source: Source, started: dt.datetime, status: str, report: FetchReport | None, message: str) -> SourceRun:
    run = SourceRun(
        name=source.name,
        connector=source.connector.kind,
        label=source.connector.label,
        started_at=started,
        finished_at=timezone.now(),
        status=status,
        message=message[:10000],
    )
    if report is not None:
        run.retrieved_at = report.retrieved_at
        run.first_month = report.first.first if report.first else None
        run.last_month = report.last.first if report.last else None
        if report.observations is not None:
            run.created = report.observations.created
            run.updated = report.observations.updated
            run.unchanged = report.observations.unchanged
        if report.compared is not None:
            run.compared = report.compared.created + report.compared.updated
    run.save()
    return run


def _rows_named(result: OrganisationResult, rejected: ImportRejected) -> str:
    """Which unit and span each problem's row is: an organisation source has no file to open."""
    rows = {row.number: row.values for row in result.table.rows}
    named = sorted({p.row for p in rejected.problems if p.row in rows})  # type: ignore[misc]
    lines = [f"  row {n}: unit {rows[n]['unit_id']} from {rows[n]['valid_from']}" for n in named]
    return "\n" + "\n".join(lines) if lines else ""


def source_fetch(
    *,
    source: Source,
    first: Month | None = None,
    last: Month | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> FetchReport:
    """Fetch one source and store its answer, all or nothing (see the module's docstring).

    Raises FetchFailed, after recording the failure, when the source fails or its answer does not
    pass the checks; then nothing but the run record has changed.
    """
    started = timezone.now()
    mapping = source.mapping
    if isinstance(mapping, FigureMapping):
        default_first, default_last = default_months(mapping, today or timezone.localdate())
        first, last = first or default_first, last or default_last
        if first > last:
            raise FetchFailed(f"{source.name}: --from {first} is after --to {last}")
    else:
        first = last = None
    try:
        result = source.build().fetch(first=first or Month.of(started), last=last or Month.of(started))
    except SourceError as exc:
        _record(source, started, RunStatus.FAILED, None, str(exc))
        raise FetchFailed(str(exc)) from exc
    report = FetchReport(source.name, result.reference, result.retrieved_at, dry_run, first, last, notes=result.notes)
    try:
        with transaction.atomic():
            if isinstance(result, FigureResult):
                _store_figures(source, result, report)
            else:
                assert isinstance(result, OrganisationResult)  # noqa: S101 - the two kinds of answer
                report.organisation = org_import_tables(tables={"units": result.table}, name=result.reference)
            if dry_run:
                transaction.set_rollback(True)
    except ImportRejected as exc:
        message = f"{source.name}: the answer was not stored: {exc}"
        if isinstance(result, OrganisationResult):
            message += _rows_named(result, exc)
        _record(source, started, RunStatus.FAILED, report, message)
        raise FetchFailed(message) from exc
    _record(source, started, RunStatus.DRY_RUN if dry_run else RunStatus.OK, report, "")
    return report
