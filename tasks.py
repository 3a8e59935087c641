#!/usr/bin/env python3
"""The two commands of the README, on a fresh machine with nothing but Python 3.11 and this checkout.

    python3 tasks.py demo     install Driftsblik into .venv, build the demo municipality and serve it
    python3 tasks.py test     install what the tests need into .venv and run the quality gate:
                              ruff, mypy (strict for the packages in STRICTLY_TYPED),
                              Django's checks, migrations, pytest
    python3 tasks.py lock     compile requirements.lock again from pyproject.toml (after changing a
                              dependency; `--upgrade-package NAME` moves one package, `--upgrade` all)

Extra arguments after `test` go to pytest (`python3 tasks.py test -- -k rollup`).
Both `demo` and `test` install the versions in requirements.lock, and stop when the lock was
compiled from other requirements than pyproject.toml declares.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
LOCK_COMMAND = "python3 tasks.py lock"
UV = "uv==0.13.8"  # the lock's compiler, pinned so that the lock's format only changes on purpose
LOCK_HEADER = f"""\
# Driftsblik's application lock: the exact version of every package Driftsblik and each of its
# extras need, on Python 3.11 and later, on any platform. `python3 tasks.py demo` and
# `python3 tasks.py test` install from it (pip install -c requirements.lock -e .[extra]).
# After changing a dependency in pyproject.toml, compile it again with the one command
#     {LOCK_COMMAND}
# which keeps every other version as it is (`{LOCK_COMMAND} --upgrade-package NAME` moves one
# package, `--upgrade` all of them). On a merge conflict in this file, take either side and run
# the command again. The reasons for upper bounds are beside them in pyproject.toml.
"""
# mypy checks these, strictly (pyproject.toml [tool.mypy]), with the Django plugin
STRICTLY_TYPED = ("driftsblik/engine", "driftsblik/core", "driftsblik/organisation", "driftsblik/indicators")
FINGERPRINT = re.compile(r"^# compiled from pyproject\.toml requirements sha256:([0-9a-f]{64})$", re.MULTILINE)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    printable = " ".join(str(a) for a in args)
    print(f"+ {printable}", flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {printable}")


def requirements_fingerprint(pyproject_text: str) -> str:
    """A digest of what pyproject.toml requires (Python, dependencies, extras), whatever its layout."""
    project = tomllib.loads(pyproject_text)["project"]
    declared = {key: project.get(key) for key in ("requires-python", "dependencies", "optional-dependencies")}
    return hashlib.sha256(json.dumps(declared, sort_keys=True).encode()).hexdigest()


def lock_problem(pyproject_text: str, lock_text: str | None) -> str | None:
    """Why the lock cannot be installed from, or None when it was compiled from these requirements."""
    if lock_text is None:
        return f"{LOCK.name} is missing: run `{LOCK_COMMAND}`"
    recorded = FINGERPRINT.search(lock_text)
    if recorded is None or recorded.group(1) != requirements_fingerprint(pyproject_text):
        return (
            f"{LOCK.name} was compiled from other requirements than pyproject.toml declares now: "
            f"run `{LOCK_COMMAND}` and commit both files"
        )
    return None


def create_venv() -> None:
    if not PY.exists():
        print(f"+ creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")


def install(extra: str = "") -> None:
    problem = lock_problem(PYPROJECT.read_text(), LOCK.read_text() if LOCK.exists() else None)
    if problem:
        sys.exit(problem)
    create_venv()
    target = f".[{extra}]" if extra else "."
    run(PY, "-m", "pip", "install", "--quiet", "--constraint", LOCK, "-e", target)


def lock(args: list[str]) -> None:
    """Compile requirements.lock from pyproject.toml (all extras), keeping the locked versions."""
    create_venv()
    run(PY, "-m", "pip", "install", "--quiet", UV)
    # uv reads the current lock as the versions to keep, then writes the new one over it
    run(
        BIN / "uv", "pip", "compile", "--quiet", PYPROJECT.name, "--all-extras", "--universal",
        "--python-version", "3.11", "--custom-compile-command", LOCK_COMMAND, "--output-file", LOCK.name,
        *args,
    )  # fmt: skip
    digest = requirements_fingerprint(PYPROJECT.read_text())
    fingerprint = f"# compiled from pyproject.toml requirements sha256:{digest}\n"
    LOCK.write_text(LOCK_HEADER + fingerprint + LOCK.read_text())


def demo(args: list[str]) -> None:
    install()
    run(BIN / "driftsblik", "demo", *args)


def test(args: list[str]) -> None:
    install("test")
    env = {**os.environ, "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", "")}
    env.setdefault("DRIFTSBLIK_VAR_DIR", str(ROOT / "var" / "test"))
    run(BIN / "ruff", "check", "driftsblik", "bench", "tasks.py")
    run(BIN / "ruff", "format", "--check", "driftsblik", "bench", "tasks.py")
    run(BIN / "mypy", *STRICTLY_TYPED, env=env)
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
    commands = {"demo": demo, "test": test, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
