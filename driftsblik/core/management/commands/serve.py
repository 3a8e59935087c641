"""`driftsblik serve`: run the web app with waitress, static files served by WhiteNoise."""

from __future__ import annotations

import webbrowser

from django.core.management.base import BaseCommand, CommandParser

from driftsblik.core.schema import MIGRATE_HINT, unapplied_migrations


class Command(BaseCommand):
    help = "Serve the web app (waitress). Behind a proxy in production; `gunicorn driftsblik.wsgi` works too."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument("--threads", type=int, default=4, help="Worker threads (default 4).")
        parser.add_argument("--open", action="store_true", help="Open the start page in a browser.")

    def handle(self, *args: object, host: str, port: int, threads: int, open: bool, **options: object) -> None:
        from waitress import serve

        from driftsblik.wsgi import application

        url = f"http://{host}:{port}/"
        self.stdout.write(f"Driftsblik answers on {url} (Ctrl+C stops it)")
        pending = unapplied_migrations()
        if pending:
            self.stderr.write(
                f"The database lacks Driftsblik's tables ({len(pending)} migrations not applied): {MIGRATE_HINT}; "
                "pages answer with errors until then."
            )
        if open:
            webbrowser.open(url)
        serve(application, host=host, port=port, threads=threads, ident="driftsblik")
