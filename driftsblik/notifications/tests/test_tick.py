"""`driftsblik tick` runs every registered job on its own: a failing one is reported, the rest still run."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core import hooks

pytestmark = pytest.mark.django_db


def _broken(*, today: dt.date) -> str:
    raise RuntimeError(f"the source is down on {today}")


def test_a_failing_job_is_reported_and_the_others_still_run(caplog):
    out, err = io.StringIO(), io.StringIO()
    with (
        hooks.registered(hooks.TickJob("broken", _broken, order=15)),
        caplog.at_level(logging.ERROR),
        pytest.raises(CommandError) as failed,
    ):
        call_command("tick", "--today", "2025-04-01", stdout=out, stderr=err)
    assert failed.value.returncode != 0
    jobs = len(hooks.entries(hooks.TickJob)) + 2  # the registered ones, the broken one, the e-mail
    assert f"1 of {jobs} tick jobs failed: broken" in str(failed.value)
    assert "  broken: FAILED: RuntimeError: the source is down on 2025-04-01" in err.getvalue()
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["suppression", "dialogue", "reports", "efforts"]
    record = next(r for r in caplog.records if r.name == "driftsblik.tick")
    assert "broken" in record.getMessage() and record.exc_info and record.exc_info[0] is RuntimeError


def test_every_job_runs_and_the_tick_succeeds():
    out = io.StringIO()
    call_command("tick", "--today", "2025-04-01", stdout=out)
    assert [line.split(":")[0].strip() for line in out.getvalue().splitlines()[1:]] == [
        "suppression",
        "dialogue",
        "reports",
        "efforts",
    ]
