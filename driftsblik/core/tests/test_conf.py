import pytest

from driftsblik.conf import SETTINGS, ConfigurationError, read_all, secret_key


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
