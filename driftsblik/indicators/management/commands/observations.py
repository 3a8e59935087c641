"""`driftsblik observations import FILE` and `driftsblik observations show ...`.

`show` prints an indicator's rolled-up figure at a unit for a month, quarter or budget year,
read through `selectors.figures` and `selectors.year_forecast` only: the numbers the pages show,
with the visibility and small-number suppression of the person given with `--as`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from driftsblik.core.periods import Month, Period, PeriodError
from driftsblik.core.tabular import ImportRejected

LARGE_FILE = 10_000  # rows from which the import shows a progress bar


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _text(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return "-"
    if places is not None:
        return f"{value:.{places}f}"
    return format(value.normalize(), "f") if value == value.to_integral_value() else f"{value:.4f}".rstrip("0")


def _target_text(figure: Any, unit_label: str) -> str:
    """The target for the months shown, and how it was made from the year's: '290.00 (11 months, seasonal)'."""
    if figure.target is None:
        return "-"
    months = len(figure.months)
    return f"{_text(figure.target, 2)}{unit_label} ({months} month{'s' if months != 1 else ''}, {figure.target_method})"


class _ProgressBar:
    """A Rich progress bar on stderr, shown only for large files."""

    def __init__(self) -> None:
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < LARGE_FILE:
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import Progress

            self.progress = Progress(console=Console(stderr=True), transient=False)
            self.progress.start()
        if stage not in self.tasks:
            label = {"check": "Checking rows", "store": "Storing observations"}.get(stage, stage)
            self.tasks[stage] = self.progress.add_task(label, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


class Command(BaseCommand):
    help = "Monthly observations: import FILE (CSV or Excel), or show one rolled-up figure."
    # Django's system checks import every view (the URL configuration), the register engine's
    # pandas and pyarrow among them: a file import needs none of it (`driftsblik check` runs them)
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        load = subparsers.add_parser(
            "import", help="Import observations (indicator, unit_id, period, numerator, denominator)."
        )
        load.add_argument("file")
        show = subparsers.add_parser("show", help="Print a rolled-up figure, its target, status and forecast.")
        show.add_argument("--indicator", required=True, help="Indicator code.")
        show.add_argument("--unit", required=True, help="Unit id.")
        show.add_argument("--period", required=True, help="YYYY-MM, YYYYQn or YYYY.")
        show.add_argument("--json", action="store_true", help="Print JSON.")
        show.add_argument("--as", dest="as_email", metavar="EMAIL", help="Apply this person's view and suppression.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options["file"])
        else:
            self._show(options)

    def _import(self, file: str) -> None:
        from driftsblik.indicators.services import observations_import

        bar = _ProgressBar()
        try:
            summary = observations_import(path=file, progress=bar)
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.stop()
        self.stdout.write(f"observations: {summary}")

    def _show(self, options: dict[str, Any]) -> None:
        from driftsblik.indicators import suppression
        from driftsblik.indicators.models import Indicator
        from driftsblik.indicators.selectors import figures, forecast_mark, year_forecast
        from driftsblik.organisation.models import UnitSpan, User
        from driftsblik.organisation.tree import TreeCache

        indicator = Indicator.objects.filter(code=options["indicator"]).first()
        if indicator is None:
            raise CommandError(f"no such indicator: {options['indicator']}")
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        user = None
        if options["as_email"]:
            user = User.objects.filter(email__iexact=options["as_email"]).first()
            if user is None:
                raise CommandError(f"no such person: {options['as_email']}")
        unit_id = options["unit"]
        name = UnitSpan.objects.filter(unit_id=unit_id).order_by("-valid_from").values_list("name", flat=True).first()
        figure = figures(user, [indicator], [unit_id], period).get((indicator.code, unit_id)) if name else None
        if figure is None:
            raise CommandError(f"no such unit: {unit_id}")
        forecast_out: dict[str, Any] | None = None
        current = Month.of(timezone.localdate())
        if period.start.year <= current.year:
            through = min(period.stop, current)
            result = year_forecast(indicator, unit_id, through)
            if result is not None:
                hidden = bool(figure.suppressed) or bool(
                    forecast_mark(user, indicator, unit_id, through, result, TreeCache())
                )
                forecast_out = {"value": None if hidden else result.value, "method": result.method, "hidden": hidden}
        if options["json"]:
            data = {
                "indicator": indicator.code,
                "unit_id": unit_id,
                "period": str(period),
                "numerator": _number(figure.numerator),
                "denominator": _number(figure.denominator),
                "value": _number(figure.value),
                "target": _number(figure.target),
                "target_method": figure.target_method,
                "year_target": _number(figure.year_target),
                "months": len(figure.months),
                "status": figure.shown_status,
                "suppressed": figure.suppressed is not None,
                "forecast": None
                if forecast_out is None
                else {"value": _number(forecast_out["value"]), "method": forecast_out["method"]},
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        small = suppression.suppression_label()
        unit_label = " %" if indicator.measure == "share" else f" {indicator.unit_label}".rstrip()
        lines = [
            (
                "indicator",
                f"{indicator.code} ({indicator.name}): {indicator.measure}, {indicator.temporal}, "
                f"{indicator.get_direction_display()}",
            ),
            ("unit", f"{unit_id} ({name})"),
            ("period", f"{period} ({period.label_da})"),
            ("numerator", small if figure.suppressed else _text(figure.numerator)),
            ("denominator", small if figure.suppressed else _text(figure.denominator)),
            ("value", small if figure.suppressed else _text(figure.value, 2) + unit_label),
            ("target", _target_text(figure, unit_label)),
            ("year target", _text(figure.year_target, 2) + unit_label if figure.year_target is not None else "-"),
            ("status", figure.shown_status or "-"),
        ]
        if forecast_out is not None:
            shown = small if forecast_out["hidden"] else _text(forecast_out["value"], 2) + unit_label
            lines.append(("forecast", f"{shown} ({forecast_out['method']}, budget year {period.year})"))
        for label, text in lines:
            self.stdout.write(f"{label:<12} {text}")
