"""Dialogue benchmark: the dialogue's pages on the demo threads, and again with many more threads.

    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/driftsblik demo --no-serve --force
    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/dialogue.py --runs 30 --threads 5000

Single process, Django's test client (the whole request), the database of DRIFTSBLIK_VAR_DIR or
DATABASE_URL. For the director of Sundhed, Ældre og Handicap and the head of Hjemmepleje og
Sygepleje it times the inbox, the thread about home-care hours, the indicator page with the
threads beside the figure, the overview with the "Til mig" counts and the quality page; then it
adds `--threads` challenges (each with an action) spread over every unit, times the same pages
again, and rolls the additions back. The baseline in the same run is the overview as it was
before the additions: the ratio says what the dialogue costs as it grows. Queries per page are
counted: they must not grow with the number of threads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time


class Rollback(Exception):
    pass


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def measure(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    ordered = sorted(timings)
    return statistics.median(timings), ordered[max(0, round(0.95 * len(ordered)) - 1)], len(queries.captured_queries)


def add_threads(n: int) -> None:
    """n challenges at random units, each with one action, addressed to whoever leads the unit."""
    from django.utils import timezone

    from driftsblik.dialogue.models import Action, Challenge
    from driftsblik.indicators.models import Indicator
    from driftsblik.organisation.models import Leadership

    rng = random.Random(7)
    leaders = list(Leadership.objects.values_list("unit_id", "user_id"))
    codes = list(Indicator.objects.values_list("code", flat=True))
    now = timezone.now()
    today = timezone.localdate()
    challenges = []
    for i in range(n):
        unit_id, user_id = rng.choice(leaders)
        author_id = rng.choice(leaders)[1]
        challenges.append(
            Challenge(
                indicator_id=rng.choice(codes), unit_id=unit_id, period="2026-09", author_id=author_id,
                addressee_id=user_id, question=f"Spørgsmål {i}",
                answer_by=today + dt.timedelta(days=rng.randint(-20, 20)),
                status=rng.choice(["open", "answered", "closed"]), created_at=now - dt.timedelta(days=30),
            )
        )  # fmt: skip
    Challenge.objects.bulk_create(challenges, batch_size=1000)
    actions = [
        Action(challenge=c, title="Handling", owner_id=c.addressee_id, due=today, created_by_id=c.addressee_id)
        for c in Challenge.objects.filter(question__startswith="Spørgsmål ")
    ]
    Action.objects.bulk_create(actions, batch_size=1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=5000)
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction
    from django.test import Client

    from driftsblik.dialogue.models import Challenge
    from driftsblik.notifications.services import leader_of
    from driftsblik.organisation.visibility import today

    top = Challenge.objects.filter(unit_id="HJS", indicator_id="homecare_hours").first()
    if top is None:
        sys.exit("no demo thread about home-care hours: build the demo first (driftsblik demo --no-serve)")
    people = [("director", leader_of("SAEH", on=today())), ("sector head", leader_of("HJS", on=today()))]
    pages = [
        ("overview", "/"),
        ("inbox", "/dialog/"),
        ("thread", f"/dialog/{top.pk}/"),
        ("indicator", "/indikator/homecare_hours/HJS/"),
        ("quality", "/dialog/opfoelgning/"),
    ]
    print(f"database: {connection.vendor}; runs per page: {args.runs}; demo threads: {Challenge.objects.count()}")
    print("| person | page | threads | p50 ms | p95 ms | queries | p50 / overview before |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    baseline: dict[str, float] = {}

    def run(label: str) -> None:
        count = Challenge.objects.count()
        for role, user in people:
            client = Client()
            client.force_login(user)
            for page, url in pages:
                p50, p95, queries = measure(client, url, args.runs)
                if page == "overview" and role not in baseline:
                    baseline[role] = p50
                ratio = p50 / baseline[role]
                print(f"| {role} | {page} | {count} ({label}) | {p50:.0f} | {p95:.0f} | {queries} | {ratio:.2f} |")

    run("demo")
    try:
        with transaction.atomic():
            add_threads(args.threads)
            run("added")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
