"""The `driftsblik` command as an operator meets it: on a database without tables, and `serve`."""

from __future__ import annotations

import os
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
