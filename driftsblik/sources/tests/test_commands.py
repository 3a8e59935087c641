"""`driftsblik sources list | fetch`, the tick's scheduled fetches, and the source shown on the indicator page."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from driftsblik.core.periods import MONTH_NAMES_DA, Month
from driftsblik.indicators.models import Observation
from driftsblik.indicators.tests.helpers import person
from driftsblik.sources.connectors.base import Schedule
from driftsblik.sources.models import RunStatus, SourceRun
from driftsblik.sources.tests.test_statbank import folk1a

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("sources", *args, stdout=out)
    return out.getvalue()


def test_list_without_a_folder_points_to_the_examples(settings):
    settings.SOURCES_DIR = ""
    assert "No sources are configured" in run("list")


def test_list_shows_each_source_its_schedule_and_a_broken_file(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    (sources_dir / "broken.yaml").write_text("source: statbank\ntitle: x\nindicator: population\n", encoding="utf-8")
    run("fetch", "statbank-folk1a", "--from", "2024-01", "--to", "2024-03")
    text = run("list")
    assert (
        "statbank-folk1a: Danmarks Statistik (statbank): Befolkning den 1. i kvartalet (FOLK1A); every quarter (day 15)"
        in text
    )
    assert "last fetched" in text
    assert "broken: NOT USABLE: numerator: Field required" in text


def test_fetch_prints_what_it_did_and_a_dry_run_what_it_would_do(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    dry = run("fetch", "statbank-folk1a", "--from", "2024-01", "--to", "2024-03", "--dry-run")
    assert "(dry run: nothing stored)" in dry and "population K 2024-03: new -> 64000" in dry
    assert not Observation.objects.exists()
    done = run("fetch", "statbank-folk1a", "--from", "2024-01", "--to", "2024-03")
    assert "own units: 1 figure(s): did create 1" in done
    assert Observation.objects.count() == 1


def test_fetch_fails_with_the_reason_and_a_non_zero_exit(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    statbank.fail(times=10)
    with pytest.raises(CommandError, match="Danmarks Statistik: answered HTTP 503"):
        run("fetch", "statbank-folk1a", "--from", "2024-01", "--to", "2024-03")
    with pytest.raises(CommandError, match="no source called 'nope'"):
        run("fetch", "nope")
    with pytest.raises(CommandError, match="is no month"):
        run("fetch", "statbank-folk1a", "--from", "2024-13")


@pytest.mark.parametrize(
    ("every", "day", "today", "due"),
    [
        ("day", 1, dt.date(2026, 12, 7), dt.date(2026, 12, 7)),
        ("week", 1, dt.date(2026, 12, 9), dt.date(2026, 12, 7)),  # Wednesday -> Monday
        ("month", 10, dt.date(2026, 12, 7), dt.date(2026, 11, 10)),
        ("month", 10, dt.date(2026, 12, 10), dt.date(2026, 12, 10)),
        ("quarter", 15, dt.date(2026, 12, 7), dt.date(2026, 10, 15)),
        ("quarter", 15, dt.date(2026, 1, 14), dt.date(2025, 10, 15)),
    ],
)
def test_the_last_scheduled_day(every, day, today, due):
    assert Schedule(every=every, day=day).last_due(today) == due


def test_tick_fetches_a_due_source_once(statbank, sources_dir, municipality, settings):
    folk1a(sources_dir)
    today = timezone.localdate()
    out = StringIO()
    call_command("tick", "--today", today.isoformat(), stdout=out)
    assert "sources: 1 source(s) fetched, 0 failed" in out.getvalue()
    assert SourceRun.objects.filter(status=RunStatus.OK).count() == 1
    out = StringIO()
    call_command("tick", "--today", today.isoformat(), stdout=out)
    assert "sources:" not in out.getvalue()  # nothing was due


def test_tick_reports_a_failing_source_and_tries_again_next_time(statbank, sources_dir, municipality):
    folk1a(sources_dir)
    statbank.fail(times=3)
    out = StringIO()
    call_command("tick", stdout=out)
    assert "sources: 0 source(s) fetched, 1 failed" in out.getvalue()
    out = StringIO()
    call_command("tick", stdout=out)
    assert "sources: 1 source(s) fetched, 0 failed" in out.getvalue()


def test_the_indicator_page_says_where_and_when_the_figures_were_fetched(statbank, sources_dir, municipality, client):
    folk1a(sources_dir)
    run("fetch", "statbank-folk1a", "--from", "2024-01", "--to", "2024-03")
    retrieved = timezone.localtime(SourceRun.objects.get().retrieved_at)
    client.force_login(person("a@example.dk", analyst=True))
    page = client.get(f"/indikator/population/K/?periode={Month(2024, 3)}")
    assert page.status_code == 200
    day = f"{retrieved.day}. {MONTH_NAMES_DA[retrieved.month - 1]} {retrieved.year}"
    expected = f"Kilde: Danmarks Statistik, FOLK1A, hentet {day}"
    assert expected in page.content.decode(), re.findall(r"data-figure-source>[^<]*", page.content.decode())
