"""The command line: imports report bad input on stderr with exit code 1; `observations show` prints figures()."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from driftsblik.core.periods import Period
from driftsblik.indicators.management.commands import indicators as indicators_command
from driftsblik.indicators.models import Indicator, Observation, Target
from driftsblik.indicators.selectors import figures, year_forecast
from driftsblik.indicators.tests.helpers import indicator, observe, person, small_tree, snapshot, write

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def figures_2025():
    small_tree()
    share = indicator("share", measure="share", temporal="flow", person_based=True)
    for month in range(1, 13):
        observe(share, "T11", f"2024-{month:02d}", 2, 10)
        observe(share, "T12", f"2024-{month:02d}", 30, 100)
    for month in (1, 2, 3):
        observe(share, "T11", f"2025-{month:02d}", 1, 3)
        observe(share, "T12", f"2025-{month:02d}", 40, 100)
    Target.objects.create(indicator=share, unit_id="I1", year=2025, value=35)
    return share


def expected_json(share, unit_id, period_text, user=None):
    period = Period.parse(period_text)
    figure = figures(user, [share], [unit_id], period)[(share.code, unit_id)]
    forecast = year_forecast(share, unit_id, period.stop)
    return figure, forecast


@pytest.mark.parametrize(("unit_id", "period"), [("I1", "2025Q1"), ("T12", "2025-02"), ("K", "2025"), ("I1", "2024")])
def test_show_json_is_exactly_what_figures_gives(figures_2025, unit_id, period):
    data = json.loads(
        run("observations", "show", "--indicator", "share", "--unit", unit_id, "--period", period, "--json")
    )
    figure, forecast = expected_json(figures_2025, unit_id, period)
    assert set(data) == {
        "indicator",
        "unit_id",
        "period",
        "numerator",
        "denominator",
        "value",
        "target",
        "target_method",
        "year_target",
        "months",
        "status",
        "suppressed",
        "forecast",
    }
    assert (data["indicator"], data["unit_id"], data["period"]) == ("share", unit_id, period)
    assert data["numerator"] == figure.numerator and data["denominator"] == figure.denominator
    assert data["value"] == float(figure.value)
    assert data["target"] == (None if figure.target is None else float(figure.target))
    assert data["year_target"] == (None if figure.year_target is None else float(figure.year_target))
    assert (data["months"], data["target_method"]) == (len(figure.months), figure.target_method)
    assert data["status"] == figure.status and data["suppressed"] is False
    assert data["forecast"] == {"value": float(forecast.value), "method": forecast.method}


def test_show_for_an_institution_by_hand(figures_2025):
    data = json.loads(
        run("observations", "show", "--indicator", "share", "--unit", "I1", "--period", "2025Q1", "--json")
    )
    # 3 x (1 + 40) over 3 x (3 + 100): sum over sum, never the mean of 33 % and 40 %.
    assert (data["numerator"], data["denominator"]) == (123, 309)
    assert data["value"] == float(100 * 123 / Decimal(309))
    assert (data["target"], data["status"]) == (35, "green")  # 39.8 % against 35 % (higher is better)


def test_show_as_text(figures_2025):
    text = run("observations", "show", "--indicator", "share", "--unit", "I1", "--period", "2025Q1")
    assert "numerator    123" in text and "denominator  309" in text
    assert "value        39.81 %" in text and "target       35.00 %" in text
    assert "status       green" in text and "forecast" in text and "seasonal" in text


def test_show_as_a_leader_applies_suppression_and_visibility(figures_2025):
    person("leader@example.dk", leads="I1")
    person("other@example.dk", leads="T21")
    data = json.loads(
        run(
            "observations",
            "show",
            "--indicator",
            "share",
            "--unit",
            "T11",
            "--period",
            "2025-01",
            "--json",
            "--as",
            "leader@example.dk",
        )
    )
    assert data["suppressed"] is True
    assert data["numerator"] is None and data["value"] is None and data["status"] is None
    assert data["forecast"]["value"] is None
    analyst = person("analyst@example.dk", analyst=True)
    data = json.loads(
        run(
            "observations",
            "show",
            "--indicator",
            "share",
            "--unit",
            "T11",
            "--period",
            "2025-01",
            "--json",
            "--as",
            analyst.email,
        )
    )
    assert (data["numerator"], data["denominator"], data["suppressed"]) == (1, 3, False)
    text = run(
        "observations",
        "show",
        "--indicator",
        "share",
        "--unit",
        "T11",
        "--period",
        "2025-01",
        "--as",
        "leader@example.dk",
    )
    assert "numerator    <5" in text
    # T21 leads only a team under I2: T11 is two levels away sideways, outside the view.
    with pytest.raises(CommandError, match="no such unit: T11"):
        run(
            "observations",
            "show",
            "--indicator",
            "share",
            "--unit",
            "T11",
            "--period",
            "2025-01",
            "--as",
            "other@example.dk",
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--indicator", "nope", "--unit", "I1", "--period", "2025"], "no such indicator: nope"),
        (["--indicator", "share", "--unit", "GHOST", "--period", "2025"], "no such unit: GHOST"),
        (["--indicator", "share", "--unit", "I1", "--period", "2025-13"], "is no period"),
        (["--indicator", "share", "--unit", "I1", "--period", "2025", "--as", "x@y.dk"], "no such person"),
    ],
)
def test_show_refuses_bad_arguments(figures_2025, args, message):
    with pytest.raises(CommandError, match=message):
        run("observations", "show", *args)


def test_imports_through_the_commands(tmp_path):
    small_tree()
    definitions = write(
        tmp_path,
        "ind.yaml",
        "- {code: visits, name: Besøg, kind: activity, measure: count, temporal: flow, direction: higher}\n",
    )
    assert "1 created" in run("indicators", "define", str(definitions))
    targets = write(tmp_path, "t.csv", "indicator,unit_id,year,target\nvisits,I1,2025,100\n")
    assert "1 created" in run("targets", "import", str(targets))
    obs = write(tmp_path, "o.csv", "indicator,unit_id,period,numerator,denominator\nvisits,T11,2025-01,7,\n")
    assert "1 created" in run("observations", "import", str(obs))
    assert Indicator.objects.count() == 1 and Target.objects.count() == 1 and Observation.objects.count() == 1


@pytest.mark.parametrize(
    ("command", "name", "text", "message"),
    [
        (
            ["indicators", "define"],
            "ind.yaml",
            "- {code: a, name: A, kind: x, measure: count, temporal: flow, direction: higher}\n",
            "ind.yaml, row 1, column kind",
        ),
        (
            ["targets", "import"],
            "t.csv",
            "indicator,unit_id,year,target\nnope,I1,2025,1\n",
            "t.csv, row 2, column indicator: unknown indicator 'nope'",
        ),
        (
            ["observations", "import"],
            "o.csv",
            "indicator,unit_id,period,numerator,denominator\nx,I1,2025-01,1,\n",
            "o.csv, row 2, column indicator: unknown indicator 'x'",
        ),
    ],
)
def test_bad_input_to_a_command_names_file_row_and_column(tmp_path, command, name, text, message):
    small_tree()
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        run(*command, str(write(tmp_path, name, text)))
    assert message in str(caught.value) and "nothing was stored" in str(caught.value)
    assert snapshot() == before


def test_compute_without_the_engine_says_so(monkeypatch):
    monkeypatch.setattr(indicators_command, "_engine_commands", lambda: None)
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("indicators", "compute", "--registers", "x", stdout=StringIO(), stderr=err)
    assert caught.value.code == 1
    assert "register engine" in err.getvalue() and "not available" in err.getvalue()


def test_compute_is_handed_to_the_engine_commands(monkeypatch):
    seen = {}

    class Engine:
        @staticmethod
        def add_compute_parser(subparsers):
            compute = subparsers.add_parser("compute")
            compute.add_argument("--registers", required=True)

        @staticmethod
        def handle_compute(options, stdout, stderr):
            seen.update(options)
            stdout.write("computed")
            return 3

    monkeypatch.setattr(indicators_command, "_engine_commands", lambda: Engine)
    out = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("indicators", "compute", "--registers", "regs", stdout=out, stderr=StringIO())
    assert caught.value.code == 3 and seen["registers"] == "regs" and "computed" in out.getvalue()


def test_a_bad_file_exits_1_with_the_reason_on_stderr(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DRIFTSBLIK_VAR_DIR"] = str(tmp_path / "var")
    bad = write(tmp_path, "o.csv", "indicator;unit_id;month\nx;y;z\n")
    done = subprocess.run(
        [sys.executable, "-m", "driftsblik", "observations", "import", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "o.csv, row 1: missing column(s) period, numerator, denominator" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    "command",
    [
        ["observations", "import"],
        ["targets", "import"],
    ],
)
def test_a_file_import_starts_without_the_register_engine(tmp_path, command):
    # Django's system checks would import every view, and with the pathway pages the register
    # engine's pandas, pyarrow and ibis (about 130 MB before the first row is read)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DRIFTSBLIK_VAR_DIR"] = str(tmp_path / "var")
    bad = write(tmp_path, "f.csv", "a;b\n1;2\n")
    script = (
        "import sys, atexit\n"
        "atexit.register(lambda: print(sorted(m for m in ('pandas', 'pyarrow', 'ibis') if m in sys.modules)))\n"
        "from driftsblik.cli import main\n"
        f"sys.argv = ['driftsblik', *{command!r}, {str(bad)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0 and done.stderr, done.stderr  # the bad file or the empty database
    assert done.stdout.strip().splitlines()[-1] == "[]"
