"""The budget page reads a fixed number of queries, however many units and months it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from driftsblik.budget.services import ledger_import
from driftsblik.budget.tests.helpers import write_ledger
from driftsblik.organisation.models import User
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db


ACCOUNTS = ("5.30.26", "5.30.27", "3.22.01", "5.25.14", "2.28.11")


def queries_of_the_page(client, tmp_path, institutions: int, teams: int, accounts: int = 1, lines: int = 1) -> int:
    units = build_municipality(institutions=institutions, teams=teams)
    people()
    rows = []
    for year, last in ((2024, 12), (2025, 3)):
        for team in units["team"]:
            rows = [
                [f"{year}-{m:02d}", team, account, 1, f"{line + 1}.0", "forbrug", 1000]
                for m in range(1, last + 1)
                for account in ACCOUNTS[:accounts]
                for line in range(lines)
            ]
            rows.append([f"{year}-01", team, "5.30.26", 1, "1.0", "oprindeligt budget", 12000])
            ledger_import(path=write_ledger(tmp_path / f"{year}-{team}.csv", rows))
    client.force_login(User.objects.get(email="kd@example.dk"))
    client.get(reverse("budget:overview"))  # sessions and caches warmed
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("budget:overview")).status_code == 200
        assert client.get(reverse("budget:unit", args=["S1"])).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("institutions", "teams"), [(1, 1), (3, 3)])
def test_query_count_does_not_grow_with_the_organisation(client, tmp_path, institutions, teams):
    # the header's units come from the page's viewer; one query a page: sits the person on a committee?
    # and, for the unit costs' person-based volumes, the suppression pattern's reads (once a page)
    assert queries_of_the_page(client, tmp_path, institutions, teams) == 44


@pytest.mark.parametrize(("accounts", "lines"), [(1, 1), (5, 4)])
def test_query_count_does_not_grow_with_the_ledger(client, tmp_path, accounts, lines):
    # the follow-up reads the rolled-up sums once per request (unit, children, unit costs) whatever the ledger
    # holds, after one look at which years are rolled up
    assert queries_of_the_page(client, tmp_path, 2, 2, accounts=accounts, lines=lines) == 44
