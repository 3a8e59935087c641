"""The command-line plumbing: compute to CSV/Parquet/stdout, bad input, load callback, generate."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from driftsblik.engine.cli import run_compute, run_generate
from driftsblik.engine.tests.conftest import ENGINE_WARNINGS, EXAMPLES

pytestmark = ENGINE_WARNINGS
REGS = str(EXAMPLES / "registers-small")


def run(**options: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_compute(
        {"registers": REGS, "start": "2025-01", "end": "2025-02", **options}, out, err, load=options.pop("_load", None)
    )
    return code, out.getvalue(), err.getvalue()


def test_csv_and_parquet(tmp_path: Path) -> None:
    assert run(out=str(tmp_path / "o.csv"))[0] == 0
    assert (tmp_path / "o.csv").read_text().startswith("indicator,unit_id,period,numerator,denominator,value")
    assert run(out=str(tmp_path / "o.parquet"), indicator=["youth_neet_3m"])[0] == 0
    t = pq.read_table(tmp_path / "o.parquet")
    assert set(t.column("indicator").to_pylist()) == {"youth_neet_3m"}


def test_stdout_when_no_out() -> None:
    code, out, _ = run(indicator=["cash_benefit_long_term"])
    assert code == 0 and "cash_benefit_long_term,JC-A,2025-01,1,,1" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"start": "2025-13"}, "not a month"),
        ({"start": "2025-05", "end": "2025-01"}, "after"),
        ({"indicator": ["nope"]}, "unknown indicator"),
        ({"backend": "oracle"}, "unknown backend"),
        ({"out": "x.xlsx"}, ".csv or .parquet"),
        ({"param": ["weeks"]}, "NAME=VALUE"),
        ({"param": ["nope=3"]}, "unknown parameter"),
    ],
)
def test_bad_input(options: dict[str, Any], message: str) -> None:
    code, _, err = run(**options)
    assert code == 2 and message in err


def test_param_changes_threshold() -> None:
    code, out, _ = run(indicator=["cash_benefit_long_term"], param=["weeks_required=1"])
    assert code == 0
    code2, out2, _ = run(indicator=["cash_benefit_long_term"])
    assert out != out2


def test_load_gets_rows() -> None:
    seen: dict[str, Any] = {}

    def load(rows: list[dict[str, Any]], source: str) -> int:
        seen["rows"], seen["source"] = rows, source
        return len(rows)

    code, _, err = run(load=True, _load=load)
    assert code == 0 and "loaded" in err
    assert set(seen["rows"][0]) == {"indicator", "unit_id", "period", "numerator", "denominator"}
    assert seen["source"].startswith("engine:")


def test_generate_runner(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run_generate(
        {"out": str(tmp_path), "persons": 300, "start": "2025-01", "end": "2025-01", "seed": 1}, out, err
    )
    assert code == 0 and (tmp_path / "benefit_weeks.parquet").exists()


@pytest.mark.skipif(
    shutil.which("driftsblik", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}") is None,
    reason="the driftsblik console command is not installed",
)
def test_console_command(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    exe = shutil.which("driftsblik", path=f"{bin_dir}:{os.environ.get('PATH', '')}") or "driftsblik"
    r = subprocess.run(
        [
            exe,
            "registers",
            "generate",
            "--persons",
            "200",
            "--from",
            "2025-01",
            "--to",
            "2025-02",
            "--out",
            str(tmp_path / "r"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [
            exe,
            "indicators",
            "compute",
            "--registers",
            str(tmp_path / "r"),
            "--from",
            "2025-02",
            "--to",
            "2025-02",
            "--out",
            str(tmp_path / "o.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o.csv").exists()


def test_compute_without_load_starts_no_django(tmp_path: Path) -> None:
    """`driftsblik indicators compute` without --load runs the engine's own command line: no
    Django start-up, no database, the same output as through Django's command."""
    from driftsblik.cli import engine_only

    assert engine_only(["indicators", "compute", "--registers", "r"])
    assert not engine_only(["indicators", "compute", "--registers", "r", "--load"])
    assert not engine_only(["indicators", "define", "f.yaml"])
    assert not engine_only(["indicators", "compute", "--help"])
    script = (
        "import sys\n"
        "from driftsblik.cli import main\n"
        "try:\n"
        f"    main(['indicators', 'compute', '--registers', {REGS!r}, '--from', '2025-01', '--to', '2025-02',"
        f" '--out', {str(tmp_path / 'fast.csv')!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'Django was started'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env)
    assert r.returncode == 0, r.stderr
    assert run(out=str(tmp_path / "direct.csv"))[0] == 0
    assert (tmp_path / "fast.csv").read_text() == (tmp_path / "direct.csv").read_text()
    bad = subprocess.run(
        [sys.executable, "-m", "driftsblik", "indicators", "compute", "--registers", REGS]
        + ["--from", "2025-13", "--to", "2025-12"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert bad.returncode == 2 and "not a month" in bad.stderr
