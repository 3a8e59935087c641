"""`driftsblik demo [--seed N] [--no-serve] [--port P]`: build the demo municipality and serve it."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from driftsblik.core import hooks
from driftsblik.core.periods import Month, PeriodError
from driftsblik.core.tabular import ImportRejected
from driftsblik.demo.build import (
    DEFAULT_SEED,
    DemoFiles,
    check_scale,
    demo_users_only,
    last_complete_month,
    load_demo_files,
    write_demo_files,
)
from driftsblik.demo.extras import load_demo_extras
from driftsblik.demo.registers import load_register_indicators
from driftsblik.indicators import suppression

HELP = """Build the demo municipality (Hjørring Kommune (demo)) and serve it in demo mode.

The demo is rebuilt from scratch every time, in the database the other commands use (the SQLite
file var/driftsblik.sqlite3, or DATABASE_URL): the schema is migrated, then every row is deleted
(`flush`), then the demo is loaded. Because of that the command refuses a database that holds
users or an organisation that are not the demo's, unless --force is given.

The generated files (organisation, committees, groups, indicators, targets, observations, and the
registers for the register indicators) are kept in var/demo-data/ (--data-dir) so they can be
opened and re-imported with `driftsblik org import`, `indicators define`, `targets import` and
`observations import`. The same --seed and --until give identical files.

Serving sets demo mode (DRIFTSBLIK_DEMO=true: the login page lists the demo leaders) for this
process only; it is never written anywhere."""


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except PeriodError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: object):  # type: ignore[no-untyped-def]
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED}).")
        parser.add_argument("--no-serve", action="store_true", help="Build the demo without serving it.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument(
            "--until",
            type=_month,
            default=None,
            metavar="YYYY-MM",
            help="Last month with figures (default: the last complete month).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=(
                "Size of the municipality (default 1: Hjørring, about 330 units and 64,000 residents). "
                "A whole number S from 2 to 15 copies every institution and team S times under the same "
                "sectors, with S times the residents (10: Copenhagen size); below 1 shrinks it for quick tests."
            ),
        )
        parser.add_argument(
            "--data-dir", type=Path, default=None, help="Folder for the generated files (default var/demo-data)."
        )
        parser.add_argument(
            "--no-registers", action="store_true", help="Leave out the register indicators (the register engine run)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Rebuild even when the database holds data that is not the demo's (it is erased).",
        )

    def handle(self, *args: object, **options: object) -> None:
        seed = int(options["seed"])  # type: ignore[call-overload]
        scale = float(options["scale"])  # type: ignore[arg-type]
        try:
            check_scale(scale)
        except ValueError as exc:
            raise CommandError(f"--{exc}") from None
        until: Month = options["until"] or last_complete_month(dt.date.today())  # type: ignore[assignment]
        directory: Path = options["data_dir"] or Path(settings.VAR_DIR) / "demo-data"  # type: ignore[assignment]
        started = time.perf_counter()

        self.stdout.write(
            f"Building the demo municipality (seed {seed}, figures up to {until}) "
            f"in {connection.vendor} database {connection.settings_dict['NAME']}"
        )
        call_command("migrate", interactive=False, verbosity=0)
        refusal = demo_users_only()
        if refusal and not options["force"]:
            raise CommandError(
                f"{refusal}; `driftsblik demo` erases the database. Use --force to erase it "
                "anyway, or point DATABASE_URL / DRIFTSBLIK_VAR_DIR somewhere else."
            )
        call_command("flush", interactive=False, verbosity=0)

        step = time.perf_counter()
        files = write_demo_files(directory, seed=seed, last_month=until, scale=scale)
        self.stdout.write(f"Generated the files in {directory} ({time.perf_counter() - step:.1f} s); loading:")
        with suppression.deferred():  # the imports leave the patterns: every one is computed once, below
            try:
                load_demo_files(files, say=self.stdout.write)
                if options["no_registers"]:
                    notice = "register indicators left out (--no-registers)"
                else:
                    notice = load_register_indicators(
                        directory=directory,
                        organisation=files.organisation,
                        persons=files.residents,
                        first_month=str(files.first_month),
                        last_month=str(files.last_month),
                        seed=seed,
                        say=self.stdout.write,
                    )
                load_demo_extras(files, say=self.stdout.write)
            except ImportRejected as exc:
                raise CommandError(f"the demo files did not load (a bug in the demo generator): {exc}") from exc
        if notice:
            self.stdout.write(self.style.WARNING(f"Notice: {notice}"))
        step = time.perf_counter()
        for job in hooks.entries(hooks.TickJob):  # what `driftsblik tick` does after an import
            if job.name == "suppression":
                self.stdout.write(f"  {job.run(today=files.last_month.first)} ({time.perf_counter() - step:.1f} s)")
        self._summary(files, time.perf_counter() - started)

        if not options["no_serve"]:
            os.environ["DRIFTSBLIK_DEMO"] = "true"
            settings.DEMO_MODE = True
            call_command("serve", port=options["port"], open=True)

    def _summary(self, files: DemoFiles, seconds: float) -> None:
        org = files.organisation
        kinds: dict[str, int] = {}
        for unit in org.units.values():
            kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
        out = self.stdout.write
        out(
            self.style.SUCCESS(
                f"Demo built in {seconds:.1f} s: {kinds.get('area', 0)} directorate areas, {kinds.get('sector', 0)} "
                f"sectors, {kinds.get('institution', 0)} institutions, {kinds.get('team', 0)} teams; "
                f"{len(files.figures.observations):,} monthly figures, {len(files.figures.targets):,} targets "
                f"({files.first_month}..{files.last_month})."
            )
        )
        out("Log in as (demo mode lists every leader):")
        root = org.units["HJK"]
        out(f"  Kommunaldirektør  {root.leader.name} <{root.leader.email}>")
        for area in org.of_kind("area"):
            out(f"  Direktør          {area.leader.name} <{area.leader.email}> ({area.name})")
        out("Clearly off target (worse than planned since last summer):")
        for item in files.figures.off_target:
            actual, target = _year_to_date(files, item.indicator.code, item.unit.id)
            label = item.indicator.unit_label
            out(
                f"  {item.unit.name} ({item.unit.id}): {item.indicator.name} {files.last_month.year} so far "
                f"{actual} {label}, target {target} {label}"
            )


def _year_to_date(files: DemoFiles, code: str, unit_id: str) -> tuple[str, str]:
    """An off-target unit's figure this year to date and its target, from the generated rows."""
    from driftsblik.demo.indicators import INDICATORS

    ind = next(i for i in INDICATORS if i.code == code)
    year = str(files.last_month.year)
    num = den = 0.0
    for c, unit, period, n, d in files.figures.observations:
        if c == code and unit == unit_id and period.startswith(year):
            num += float(n)
            den += float(d or 0)
    scale = 100.0 if ind.model in {"share", "staff"} else 1.0
    value = scale * num / den if den else num
    target = next((t for c, u, y, t in files.figures.targets if c == code and u == unit_id and y == int(year)), "-")
    return f"{value:.1f}", target
