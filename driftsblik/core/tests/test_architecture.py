"""docs/architecture.md names every app and every extension point the code has, and no others."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from driftsblik.core import hooks

DOC = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def _first_column(section: str) -> list[str]:
    """The code names (`...`) in the first column of the table under the `## section` heading."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", body, flags=re.MULTILINE)


def test_the_map_lists_the_installed_apps():
    ours = [app for app in settings.INSTALLED_APPS if app.startswith("driftsblik.")]
    assert sorted(_first_column("Apps")) == sorted(ours)


def test_the_map_lists_the_extension_points():
    assert sorted(_first_column("Extension points")) == sorted(kind.__name__ for kind in hooks.SLOTS.values())
