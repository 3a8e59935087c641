#!/usr/bin/env python3
"""The two commands of the README, on a fresh machine with nothing but Python 3.11 and this checkout.

    python3 tasks.py demo     install Driftsblik into .venv, build the demo municipality and serve it
    python3 tasks.py test     install what the tests need into .venv and run the quality gate:
                              ruff, mypy (strict for the engine), Django's checks, migrations, pytest

Extra arguments after `test` go to pytest (`python3 tasks.py test -- -k rollup`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    printable = " ".join(str(a) for a in args)
    print(f"+ {printable}", flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {printable}")


def install(extra: str = "") -> None:
    if not PY.exists():
        print(f"+ creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extra}]" if extra else "."
    run(PY, "-m", "pip", "install", "--quiet", "-e", target)


def demo(args: list[str]) -> None:
    install()
    run(BIN / "driftsblik", "demo", *args)


def test(args: list[str]) -> None:
    install("test")
    env = {**os.environ, "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", "")}
    env.setdefault("DRIFTSBLIK_VAR_DIR", str(ROOT / "var" / "test"))
    run(BIN / "ruff", "check", "driftsblik", "bench", "tasks.py")
    run(BIN / "ruff", "format", "--check", "driftsblik", "bench", "tasks.py")
    run(BIN / "mypy", "driftsblik/engine")
    run(BIN / "driftsblik", "check", env=env)
    run(BIN / "driftsblik", "makemigrations", "--check", "--dry-run", env=env)
    pytest_args = [a for a in args if a != "--"]
    print(f"+ pytest {' '.join(pytest_args)}", flush=True)
    code = subprocess.run([str(PY), "-m", "pytest", *pytest_args], cwd=ROOT, env=env).returncode
    if code == 5:
        sys.exit("pytest collected no tests: that is a failure")
    if code != 0:
        sys.exit(f"pytest failed ({code})")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        sys.exit(__doc__)
    {"demo": demo, "test": test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
