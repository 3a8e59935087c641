"""The LP audit prints nothing: a command's standard output holds only what the command says."""

from __future__ import annotations

import subprocess
import sys


def test_the_first_lp_model_prints_no_banner() -> None:
    script = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'driftsblik.settings')\n"
        "django.setup()\n"
        "from driftsblik.indicators import suppression\n"
        "print('before', flush=True)\n"
        "suppression.highs_model(None, [], [])\n"
        "suppression.highs_model(None, [], [])\n"
        "print('after', flush=True)\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "before\nafter\n"
