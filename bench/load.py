"""Load benchmark: leaders reading Driftsblik at once, with a pause to read each page (locust).

    pip install -c requirements.lock -e ".[bench]"
    locust -f bench/load.py --headless --host http://127.0.0.1:8000 -u 50 -r 5 -t 5m

against a running demo (demo mode: `driftsblik demo`, or `DRIFTSBLIK_DEMO=true` with gunicorn and
the documented configuration, docs/operator.md). Each simulated leader signs in as one of the
demo's leaders (the sign-in page's list; the first LOAD_LEADERS of them, default 60: the
kommunaldirektør, the directors, the sector heads and the first institution leaders, whose
pages roll up the most), then walks the main pages as a leader does, reading each for 1 to 3
seconds: the overview, a unit page (a link from the overview), an indicator page (a link from
the unit page), the budget follow-up, the dialogue inbox, the cross-cutting efforts and the
committee reports. Requests are named by page, so the summary printed at the end gives each
page's count, failures, p50 and p95 in milliseconds (and locust's own table above it).
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, events, task

EMAIL = re.compile(r'name="email" value="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNIT_LINK = re.compile(r'href="(/enhed/[^/"?]+/)')
INDICATOR_LINK = re.compile(r'href="(/indikator/[^/"?]+/[^/"?]+/)')
LEADERS = int(os.environ.get("LOAD_LEADERS", "60"))


class Leader(HttpUser):
    """One leader: signs in once, then reads page after page."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        page = self.client.get("/login/", name="sign-in page")
        emails = list(dict.fromkeys(EMAIL.findall(page.text)))[:LEADERS]
        token = TOKEN.search(page.text)
        if not emails or token is None:
            raise RuntimeError("the sign-in page lists no demo leaders: is the server in demo mode?")
        self.email = random.choice(emails)
        self.client.post(
            "/login/demo/",
            data={"email": self.email, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": self.host + "/login/"},
            name="sign in",
        )
        self.units: list[str] = []
        self.indicators: list[str] = []

    def _get(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
                return ""
            if "/login/" in response.url:
                response.failure(f"signed out: {url} went to {response.url}")
                return ""
            return response.text

    @task(4)
    def overview(self) -> None:
        self.units = UNIT_LINK.findall(self._get("/", "overview /")) or self.units

    @task(3)
    def unit(self) -> None:
        if self.units:
            text = self._get(random.choice(self.units), "unit /enhed/[unit]/")
            self.indicators = INDICATOR_LINK.findall(text) or self.indicators

    @task(3)
    def indicator(self) -> None:
        if self.indicators:
            self._get(random.choice(self.indicators), "indicator /indikator/[code]/[unit]/")

    @task(2)
    def budget(self) -> None:
        self._get("/budget/", "budget /budget/")

    @task(1)
    def dialogue(self) -> None:
        self._get("/dialog/", "dialogue /dialog/")

    @task(1)
    def efforts(self) -> None:
        self._get("/indsatser/", "efforts /indsatser/")

    @task(1)
    def reports(self) -> None:
        self._get("/rapporter/", "reports /rapporter/")


@events.quitting.add_listener
def _summary(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    """Each page's requests, failures, p50 and p95 (ms), and the total, as a Markdown table."""
    stats = environment.runner.stats if environment.runner else None
    if stats is None:
        return
    lines = ["", "| page | requests | failures | p50 ms | p95 ms |", "| --- | --- | --- | --- | --- |"]
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        lines.append(
            f"| {entry.name} | {entry.num_requests} | {entry.num_failures} | "
            f"{entry.get_response_time_percentile(0.5):.0f} | {entry.get_response_time_percentile(0.95):.0f} |"
        )
    total = stats.total
    lines.append(
        f"| all | {total.num_requests} | {total.num_failures} | {total.get_response_time_percentile(0.5):.0f} | "
        f"{total.get_response_time_percentile(0.95):.0f} |"
    )
    lines.append(f"requests/s: {total.total_rps:.1f}")
    print("\n".join(lines))
