"""The `driftsblik` command as an operator meets it: on a database without tables, and `serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def fresh_environment(tmp_path: Path) -> dict[str, str]:
    """A new, empty SQLite file: what an operator has before `driftsblik migrate`."""
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}", "DRIFTSBLIK_VAR_DIR": str(tmp_path)}


def test_a_command_on_an_unmigrated_database_says_to_migrate(tmp_path):
    figures = tmp_path / "figures.csv"
    figures.write_text("indicator,unit_id,period,numerator,denominator\nvisits,U1,2025-01,4,\n")
    result = subprocess.run(
        [sys.executable, "-m", "driftsblik", "observations", "import", str(figures)],
        env=fresh_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "run `driftsblik migrate`" in result.stderr
    assert "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_says_it_is_the_development_server_and_names_the_production_one(tmp_path):
    from driftsblik.core.management.commands.serve import PRODUCTION_COMMAND, Command

    help_text = Command().create_parser("driftsblik", "serve").format_help()
    assert "development and demos" in help_text and "gunicorn" in help_text
    server = subprocess.Popen(
        [sys.executable, "-m", "driftsblik", "serve", "--port", str(free_port())],
        env=fresh_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stderr is not None
    try:
        first_line = server.stdout.readline()
        warning = server.stderr.readline()
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert "development and demo server" in first_line
    assert PRODUCTION_COMMAND in first_line
    assert "run `driftsblik migrate`" in warning
