"""Budget pages: the follow-up table, chart, method and unit costs for a person's units; 404 outside the view."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape

from driftsblik.budget.services import ledger_import
from driftsblik.budget.tests.helpers import small_org, write_ledger
from driftsblik.budget.unitcosts import unit_costs
from driftsblik.core.periods import Month
from driftsblik.indicators.tests.helpers import indicator, observe
from driftsblik.organisation.models import User
from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db


def municipality_ledger(tmp_path) -> None:
    """Spending at every team of S1 and S3 in 2024 and January-March 2025; budgets booked in January."""
    units = build_municipality()
    people()
    teams = [t for t in units["team"] if t.startswith(("S1", "S3"))]
    for year, last in ((2024, 12), (2025, 3)):
        rows = []
        for n, team in enumerate(teams):
            rows.append([f"{year}-01", team, "5.30.26", 1, "1.0", "oprindeligt budget", 1_200_000 + 10_000 * n])
            for month in range(1, last + 1):
                amount = 100_000 + 1_000 * n + (50_000 if month == 12 else 0) + (20_000 if team.startswith("S3") else 0)
                rows.append([f"{year}-{month:02d}", team, "5.30.26", 1, "1.0", "forbrug", amount])
        ledger_import(path=write_ledger(tmp_path / f"ledger_{year}.csv", rows))


@pytest.fixture
def client_of(client, tmp_path):
    municipality_ledger(tmp_path)

    def log_in(email):
        client.force_login(User.objects.get(email=email))
        return client

    return log_in


def test_overview_shows_the_leaders_unit_with_children_chart_and_method(client_of):
    client = client_of("s1@example.dk")
    response = client.get(reverse("budget:overview"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sektor S1" in text and "Institution S1I1" in text and "Institution S1I2" in text
    assert "Sektor S3" not in text
    assert response.context["through"] == Month(2025, 3)
    figures = response.context["figures"]
    assert figures.unit_id == "S1" and figures.forecast_kind == "seasonal"
    assert escape(figures.method) in text
    chart = response.context["chart"]
    assert chart["description"] and len(chart["data"]["values"]) == 36
    assert json.dumps(chart["description"])[1:-1] in text  # json_script writes \\uXXXX escapes
    # Danish formats: 4 teams x 1.2 million original budget etc. in thousand DKK
    assert "Forbrugt, % af budget" in text and "Forventet regnskab" in text  # the Danish catalogue
    assert "4.860" in text  # (1.200.000 + 1.210.000 + 1.220.000 + 1.230.000) / 1.000
    assert 'aria-current="page">Budget' in text or 'aria-current="page"' in text


def test_unit_page_and_period_choice(client_of):
    client = client_of("s1@example.dk")
    response = client.get(reverse("budget:unit", args=["S1I1"]), {"periode": "2024-06"})
    assert response.status_code == 200
    assert response.context["figures"].spent == sum(100_000 + 1_000 * n for n in (0, 1)) * 6
    assert response.context["figures"].forecast_kind == "linear"  # no 2023 to give a profile


def test_a_period_that_does_not_exist_is_a_notice_on_the_page_and_a_400_for_the_download(client_of):
    client = client_of("s1@example.dk")
    for url in (reverse("budget:unit", args=["S1I1"]), reverse("budget:overview")):
        response = client.get(url, {"periode": "2024-13"})
        assert response.status_code == 200
        assert response.context["through"] == Month(2025, 3)  # the latest month of the ledger
        text = response.content.decode()
        assert "driftsblik-period-notice" in text and "Perioden “2024-13” findes ikke" in text
    download = client.get(reverse("budget:export", args=["S1I1"]), {"periode": "2024-13"})
    assert download.status_code == 400
    assert "Ugyldig forespørgsel" in download.content.decode()


def test_a_quarter_or_a_year_means_its_last_month_with_spending(client_of):
    client = client_of("s1@example.dk")
    assert client.get(reverse("budget:unit", args=["S1"]), {"periode": "2024Q2"}).context["through"] == Month(2024, 6)
    assert client.get(reverse("budget:unit", args=["S1"]), {"periode": "2025"}).context["through"] == Month(2025, 3)


@pytest.mark.parametrize("unit_id", ["S3", "S3I1", "A2", "NOPE"])
def test_units_outside_the_view_are_404_in_page_and_download(client_of, unit_id):
    client = client_of("s1@example.dk")
    assert client.get(reverse("budget:unit", args=[unit_id])).status_code == 404
    assert client.get(reverse("budget:export", args=[unit_id])).status_code == 404


def test_overview_refuses_a_unit_the_person_does_not_lead(client_of):
    client = client_of("s1@example.dk")
    assert client.get(reverse("budget:overview"), {"enhed": "K"}).status_code == 404


def test_excel_download_holds_the_rows_of_the_page(client_of):
    client = client_of("s1@example.dk")
    response = client.get(reverse("budget:export", args=["S1"]), {"periode": "2025-03"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    values = list(sheet.iter_rows(values_only=True))
    names = [row[0] for row in values]
    assert "Sektor S1" in names and "Institution S1I1" in names and "Sektor S3" not in names
    row = values[names.index("Sektor S1")]
    assert Decimal(str(row[1])) == Decimal("4860")


def test_the_page_without_a_ledger_says_so(client, tmp_path):
    build_municipality()
    people()
    client.force_login(User.objects.get(email="s1@example.dk"))
    response = client.get(reverse("budget:overview"))
    assert response.status_code == 200
    assert "budget import" in response.content.decode()


def test_a_person_who_leads_nothing(client, tmp_path):
    municipality_ledger(tmp_path)
    client.force_login(User.objects.get(email="ingen@example.dk"))
    response = client.get(reverse("budget:overview"))
    assert response.status_code == 200 and "figures" not in response.context


def test_unit_cost_reads_money_and_the_indicators_roll_up_together(tmp_path):
    small_org()
    hours = indicator("homecare_hours")  # a flow count: hours add up over the months
    citizens = indicator("homecare_citizens", temporal="stock", person_based=True)
    observe(hours, "I1", "2025-01", 100)
    observe(hours, "I2", "2025-01", 300)
    observe(hours, "I1", "2025-02", 100)
    observe(citizens, "I1", "2025-02", 3)
    rows = [
        ["2025-01", "I1", "5.30.26", 1, "1.0", "forbrug", "40000"],
        ["2025-02", "I1", "5.30.26", 1, "1.0", "forbrug", "40000"],
        ["2025-01", "I2", "5.30.26", 1, "1.0", "forbrug", "60000"],
    ]
    ledger_import(path=write_ledger(tmp_path / "ledger.csv", rows))
    costs = {c.indicator.code: c for c in unit_costs(user=None, unit_id="A", year=2025, through=Month(2025, 2))}
    assert costs["homecare_hours"].spent == 140_000 and costs["homecare_hours"].volume == 500
    assert costs["homecare_hours"].cost == 280
    assert costs["homecare_citizens"].cost == Decimal(140_000) / 3  # the system sees small numbers
    from driftsblik.organisation.tests.factories import make_leader

    leader = make_leader("leder@example.org", "A")
    hidden = {c.indicator.code: c for c in unit_costs(user=leader, unit_id="A", year=2025, through=Month(2025, 2))}
    assert hidden["homecare_citizens"].suppressed and hidden["homecare_citizens"].cost is None
    january = {c.indicator.code: c for c in unit_costs(user=None, unit_id="I2", year=2025, through=Month(2025, 1))}
    assert january["homecare_hours"].cost == 200


def test_not_attached_among_the_units_gets_a_note_that_says_what_it_is(client_of):
    from driftsblik.indicators.services.observations import ensure_unassigned_unit

    ensure_unassigned_unit()
    text = client_of("kd@example.dk").get(reverse("budget:overview")).content.decode()
    assert "Ikke tilknyttet" in text and 'href="#unattached-note"' in text
    assert "er ikke en enhed i organisationen" in text and "administrator" in text
    assert 'id="unattached-note"' not in client_of("s1@example.dk").get(reverse("budget:overview")).content.decode()
