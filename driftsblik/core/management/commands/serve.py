"""`driftsblik serve`: the development and demo server (waitress), static files served by WhiteNoise.

In production Driftsblik runs under gunicorn with the configuration in driftsblik/gunicorn_conf.py
(docs/operator.md, "Serving").
"""

from __future__ import annotations

import webbrowser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from driftsblik.core.schema import MIGRATE_HINT, unapplied_migrations

PRODUCTION_COMMAND = "gunicorn -c python:driftsblik.gunicorn_conf driftsblik.wsgi"


class Command(BaseCommand):
    help = (
        "Serve the web app for development and demos (waitress, one process). In production run "
        f"`{PRODUCTION_COMMAND}` behind a TLS proxy (docs/operator.md, Serving)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument("--threads", type=int, default=4, help="Worker threads (default 4).")
        parser.add_argument("--open", action="store_true", help="Open the start page in a browser.")

    def handle(self, *args: object, host: str, port: int, threads: int, open: bool, **options: object) -> None:
        from waitress import serve

        from driftsblik.wsgi import application

        url = f"http://{host}:{port}/"
        self.stdout.write(
            f"Driftsblik's development and demo server answers on {url} (Ctrl+C stops it); "
            f"in production use gunicorn: {PRODUCTION_COMMAND}"
        )
        pending = unapplied_migrations()
        if settings.DEMO_MODE and not pending:
            from django.contrib.auth import get_user_model

            people = get_user_model().objects.filter(created_by_demo=False).order_by("email")
            foreign = list(people.values_list("email", flat=True)[:3])
            if foreign:
                raise CommandError(
                    f"demo mode (DRIFTSBLIK_DEMO=true) lets anyone log in as the demo's people without a password, "
                    f"but this database holds people the demo did not create ({', '.join(foreign)}): refusing "
                    "to serve it in demo mode. Unset DRIFTSBLIK_DEMO, or point DATABASE_URL / DRIFTSBLIK_VAR_DIR "
                    "at a database built by `driftsblik demo`."
                )
        if pending:
            self.stderr.write(
                f"The database lacks Driftsblik's tables ({len(pending)} migrations not applied): {MIGRATE_HINT}; "
                "pages answer with errors until then."
            )
        if open:
            webbrowser.open(url)
        serve(application, host=host, port=port, threads=threads, ident="driftsblik")
