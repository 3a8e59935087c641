"""Every setting and every `driftsblik` verb is documented in the operator guide."""

from pathlib import Path

import pytest
from django.core.management import get_commands

from driftsblik.conf import SETTINGS

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in (DOCS / "operator.md").read_text()


def test_every_driftsblik_command_is_documented():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("driftsblik"))
    assert ours, "no driftsblik commands found"
    guide = (DOCS / "operator.md").read_text()
    missing = [name for name in ours if f"`driftsblik {name}" not in guide]
    assert not missing, f"undocumented commands: {missing}"


def test_settings_have_descriptions():
    for setting in SETTINGS:
        assert len(setting.description) > 20, setting.name
