import ast
import subprocess
import sys
from pathlib import Path

import pytest

from driftsblik.conf import SETTINGS, ConfigurationError, email_settings, read_all, secret_key, value


def test_defaults_need_no_environment():
    values = read_all({})
    assert values["DRIFTSBLIK_VISIBILITY_RADIUS"] == 2
    assert values["DRIFTSBLIK_DEMO"] is False
    assert values["DATABASE_URL"] == ""


@pytest.mark.parametrize(("name", "raw"), [("DRIFTSBLIK_DEBUG", "maybe"), ("DRIFTSBLIK_VISIBILITY_RADIUS", "two")])
def test_bad_value_names_the_variable(name, raw):
    with pytest.raises(ConfigurationError, match=name):
        read_all({name: raw})


def test_secret_key_is_generated_once(tmp_path):
    first = secret_key(tmp_path, "")
    assert secret_key(tmp_path, "") == first
    assert secret_key(tmp_path, "configured") == "configured"
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_names_are_unique():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))


def test_the_email_password_is_percent_decoded():
    config = email_settings("smtp+tls://driftsblik%40kommune.dk:p%40ss%2Fw%3Ard@mail.example.dk:587")
    assert config["EMAIL_HOST_USER"] == "driftsblik@kommune.dk"
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss/w:rd"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == ("mail.example.dk", 587, True)


@pytest.mark.parametrize("url", ["smpt://mail.example.dk", "smtp://mail.example.dk:port"])
def test_a_bad_email_url_names_the_variable(url):
    with pytest.raises(ConfigurationError, match="DRIFTSBLIK_EMAIL_URL"):
        email_settings(url)


PACKAGE = Path(__file__).resolve().parents[2]
# Writes to the environment, not reads: the settings module for Django, and the demo's own
# server started in demo mode.
ENVIRONMENT_WRITES = {
    ("cli.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")'),
    ("wsgi.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")'),
    ("demo/management/commands/demo.py", 'os.environ["DRIFTSBLIK_DEMO"] = "true"'),
}


def test_the_environment_is_read_in_conf_only():
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "conf.py" or "/tests/" in f"/{relative}" or relative == "conftest.py":
            continue
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
                found.add((relative, lines[node.lineno - 1].strip()))
    assert found - ENVIRONMENT_WRITES == set()


def test_spark_settings_are_read_through_conf(monkeypatch):
    assert value("SPARK_SHUFFLE_PARTITIONS", {}) == 8
    assert value("SPARK_DRIVER_MEMORY", {"SPARK_DRIVER_MEMORY": "12g"}) == "12g"
    with pytest.raises(ConfigurationError, match="SPARK_SHUFFLE_PARTITIONS"):
        read_all({"SPARK_SHUFFLE_PARTITIONS": "many"})
    from driftsblik.engine.backends import postgres_url

    monkeypatch.setenv("DATABASE_URL", "postgres://engine@db.example.dk/registers")
    assert postgres_url() == "postgresql://engine@db.example.dk/registers"


def test_the_engine_and_conf_load_without_django():
    """The engine is a library: importing it, and the settings it reads, brings no Django along."""
    code = (
        "import sys, driftsblik.conf, driftsblik.engine.backends, driftsblik.engine.cli, driftsblik.engine.compute\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
