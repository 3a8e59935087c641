"""`driftsblik access show EMAIL [--json] [--on YYYY-MM-DD]`: what a person sees, and why.

It asks the visibility policy (`visibility.visible_units`) and prints its answer; it never
works the rule out itself. Units are listed by depth in the tree, then by name.
"""

from __future__ import annotations

import json
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from driftsblik.core.tabular import parse_date
from driftsblik.organisation.models import User
from driftsblik.organisation.tree import tree_on
from driftsblik.organisation.visibility import led_units, today, visible_units


def access_report(user: User, on: Any = None) -> dict[str, Any]:
    """The person and every unit they see on `on` (today by default), sorted by depth then name."""
    on = on or today()
    tree = tree_on(on)
    visible = visible_units(user, on=on, tree=tree)
    units = [
        {
            "unit_id": unit_id,
            "name": tree.name[unit_id],
            "kind": tree.kind[unit_id],
            "depth": tree.depth(unit_id),
            "relation": access.relation,
            "reason": access.reason,
        }
        for unit_id, access in visible.items()
    ]
    units.sort(key=lambda u: (u["depth"], u["name"], u["unit_id"]))
    return {
        "email": user.email,
        "name": user.name,
        "on": on.isoformat(),
        "leads": led_units(user, on),
        "units": units,
    }


class Command(BaseCommand):
    help = "Access: `show EMAIL [--json] [--on YYYY-MM-DD]` prints each unit a person sees, its relation and why."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        show = actions.add_parser("show", help="what a person sees, and why")
        show.add_argument("email", metavar="EMAIL")
        show.add_argument("--json", action="store_true", help="print JSON instead of a table")
        show.add_argument("--on", metavar="YYYY-MM-DD", help="the day whose tree decides (default today)")

    def handle(self, *args: object, **options: Any) -> None:
        email = options["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"no user with e-mail {email!r}")
        on = None
        if options["on"]:
            try:
                on = parse_date(options["on"])
            except ValueError as exc:
                raise CommandError(f"--on: {exc}") from None
        report = access_report(user, on)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
            return
        self._print_table(report)

    def _print_table(self, report: dict[str, Any]) -> None:
        from rich.console import Console
        from rich.table import Table

        # the stream behind Django's wrapper, which would end each of Rich's writes with a newline
        console = Console(file=cast("IO[str]", self.stdout._out), width=160)
        leads = ", ".join(report["leads"]) or "no unit"
        title = f"{report['name'] or report['email']} <{report['email']}> on {report['on']}: leads {leads}"
        console.print(title, highlight=False)
        if not report["units"]:
            console.print("sees no unit")
            return
        table = Table()
        for column in ("unit", "name", "kind", "depth", "relation", "why"):
            table.add_column(column, justify="right" if column == "depth" else "left")
        for unit in report["units"]:
            table.add_row(
                unit["unit_id"], unit["name"], unit["kind"], str(unit["depth"]), unit["relation"], unit["reason"]
            )
        console.print(table)
