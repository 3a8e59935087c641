"""API benchmark: the flat table for a director's area, a whole budget year, against the page.

    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/driftsblik demo --no-serve --force
    DRIFTSBLIK_VAR_DIR=/tmp/bench-var .venv/bin/python bench/api_table.py --runs 20

Single process, the SQLite database of DRIFTSBLIK_VAR_DIR (or DATABASE_URL), Django's test client
(the whole request: middleware, token check, call log, view; no network). For the first director
it times `GET /api/v1/table?year=Y` (JSON and CSV, one page holding every row) for the budget
year of the latest month with data, and the director's overview for one month of it (the page
whose heat table and scorecard show the same figures; the table holds twelve months of them).
Requirement (issue 17): the table under 1 s at the 95th percentile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import people, percentile, setup  # noqa: E402  # the page benchmark's set-up


def timed(client, url: str, runs: int, **headers: str) -> tuple[float, float, int]:
    assert client.get(url, **headers).status_code == 200, url  # warm-up
    timings, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
        size = len(response.content)
    return statistics.median(timings), percentile(timings, 95), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from driftsblik.api.tokens import token_create
    from driftsblik.indicators.pages import latest_month
    from driftsblik.organisation.visibility import today

    settings.API_RATE = "100000/m"  # the benchmark calls faster than a pipeline may
    latest = latest_month()
    if latest is None:
        sys.exit("no figures: build the demo first (driftsblik demo --no-serve)")
    _role, user, unit = next(p for p in people() if p[0] == "director")
    secret = token_create(user=user, name="benchmark", scope="read", expires_on=today() + dt.timedelta(days=1)).secret
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; runs: {args.runs}; director of {unit}")
    print("| what | p50 ms | p95 ms | size |")
    print("| --- | --- | --- | --- |")
    for label, url in (
        ("table, JSON", f"/api/v1/table?year={latest.year}&limit=50000"),
        ("table, CSV", f"/api/v1/table?year={latest.year}&limit=50000&format=csv"),
    ):
        p50, p95, size = timed(client, url, args.runs, **auth)
        body = client.get(url, **auth)
        count = body.content.count(b"\n") - 1 if "csv" in url else len(body.json()["rows"])
        print(f"| {label} `{url}` | {p50:.0f} | {p95:.0f} | {count} rows, {size:,} bytes |", flush=True)
    page = Client()
    page.force_login(user)
    url = f"/?periode={latest}"
    p50, p95, size = timed(page, url, args.runs)
    print(f"| overview page, one month `{url}` | {p50:.0f} | {p95:.0f} | {size:,} bytes |", flush=True)


if __name__ == "__main__":
    main()
