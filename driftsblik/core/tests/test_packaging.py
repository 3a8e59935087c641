"""The install is reproducible and says why: the lock matches pyproject.toml, every upper bound has
its reason beside it, and every declared dependency is used."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT = (ROOT / "pyproject.toml").read_text()


def _tasks():
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_lock_was_compiled_from_these_requirements():
    tasks = _tasks()
    assert tasks.lock_problem(PYPROJECT, (ROOT / "requirements.lock").read_text()) is None


def test_a_dependency_added_without_compiling_the_lock_stops_the_install():
    tasks = _tasks()
    changed = PYPROJECT.replace('"rich>=15.0",', '"rich>=15.0",\n  "humanize>=4.0",')
    assert changed != PYPROJECT
    problem = tasks.lock_problem(changed, (ROOT / "requirements.lock").read_text())
    assert problem is not None
    assert "`python3 tasks.py lock`" in problem
    assert tasks.lock_problem(PYPROJECT, None) == "requirements.lock is missing: run `python3 tasks.py lock`"


def test_layout_alone_does_not_invalidate_the_lock():
    tasks = _tasks()
    reformatted = PYPROJECT.replace('"rich>=15.0",', '"rich>=15.0",  # the progress bars')
    assert tasks.requirements_fingerprint(reformatted) == tasks.requirements_fingerprint(PYPROJECT)


def test_every_locked_requirement_is_pinned_exactly():
    lines = [line for line in (ROOT / "requirements.lock").read_text().splitlines() if line and line[0].isalnum()]
    assert lines
    loose = [line for line in lines if "==" not in line]
    assert not loose, loose


def _requirement_lines() -> list[tuple[int, str]]:
    """(line number, text) of every quoted requirement in [project] and its extras."""
    lines = PYPROJECT.splitlines()
    found, inside = [], False
    for number, line in enumerate(lines):
        if line.startswith("["):
            inside = line.strip() in {"[project]", "[project.optional-dependencies]"}
        elif inside and re.match(r'^\s*(\w[\w-]*\s*=\s*\[)?\s*"[A-Za-z]', line):
            found.append((number, line))
    return found


def test_every_upper_bound_says_why_beside_it():
    lines = PYPROJECT.splitlines()
    unexplained = []
    for number, line in _requirement_lines():
        for quoted in re.findall(r'"([^"]+)"', line.split("#")[0]):
            specifier = Requirement(quoted).specifier if not quoted.startswith("driftsblik[") else None
            if specifier and any(spec.operator in {"<", "<=", "==", "~=", "==="} for spec in specifier):
                reason_here = "#" in line
                reason_above = lines[number - 1].strip().startswith("#")
                if not (reason_here or reason_above):
                    unexplained.append(quoted)
    assert _requirement_lines()
    assert not unexplained, f"upper bounds without a reason beside them: {unexplained}"


def _imported_top_level_names() -> set[str]:
    """Every module named by an import or a dotted string ("whitenoise.middleware...") in the code."""
    names: set[str] = set()
    for path in (ROOT / "driftsblik").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)*", node.value)
            ):
                names.add(node.value.split(".")[0])
    return names


# Declared though no module of ours names them, each for a reason:
USED_WITHOUT_AN_IMPORT = {
    "psycopg": "Django's PostgreSQL backend imports it when DATABASE_URL points at PostgreSQL",
    "pandas": "ibis hands results to pandas; its floor keeps the warning filters of the test run true",
}


def test_every_declared_dependency_is_used():
    project = tomllib.loads(PYPROJECT)["project"]
    distributions = importlib.metadata.packages_distributions()
    names = _imported_top_level_names()
    unused = []
    for raw in project["dependencies"]:
        requirement = Requirement(raw)
        dist = requirement.name.lower()
        if dist in USED_WITHOUT_AN_IMPORT:
            continue
        modules = {module for module, dists in distributions.items() if dist in {d.lower() for d in dists}}
        if not modules & names:
            unused.append(requirement.name)
    assert not unused, f"declared in pyproject.toml and never imported: {unused}"


def test_pytest_collects_from_folders_that_exist():
    paths = tomllib.loads(PYPROJECT)["tool"]["pytest"]["ini_options"]["testpaths"]
    missing = [path for path in paths if not (ROOT / path).is_dir()]
    assert not missing


def test_gunicorn_is_installable_through_an_extra():
    requires = importlib.metadata.requires("driftsblik") or []
    assert any(Requirement(r).name == "gunicorn" and 'extra == "gunicorn"' in r for r in requires), requires
