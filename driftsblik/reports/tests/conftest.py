"""A committee over the test municipality: AUU with two task areas on the sectors S1 and S2 of area A1.

    K ── A1 (director a1@) ── S1 (s1@) ── S1I1, S1I2 ── teams      task area BES: visits, in_job
                          └── S2 (s2@) ── S2I1, S2I2 ── teams      task area UNG: clients
Figures run 2024-01..2025-03, so 2025Q1 is the last complete quarter.
"""

from __future__ import annotations

import pytest

from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import TaskArea
from driftsblik.organisation.tests.factories import make_committee, make_user
from driftsblik.reports.access import SECRETARY_GROUP
from driftsblik.reports.models import ReportSchedule
from driftsblik.web.tests.helpers import build_municipality, leader, people


@pytest.fixture
def town(db):
    build_municipality()
    who = people()
    who["sector2"] = leader("s2@example.dk", "S2", "Svend Sektor")
    who["secretary"] = make_user("sekretaer@example.dk", name="Sara Sekretær", groups=[SECRETARY_GROUP])
    who["secretary"].set_password("a-long-test-password-42")
    who["secretary"].save()
    who["politician"] = make_user("politiker@example.dk", name="Poul Politiker")
    who["politician"].set_password("a-long-test-password-42")
    who["politician"].save()
    committee = make_committee(
        "AUU",
        "Arbejdsmarkeds- og Uddannelsesudvalget",
        task_areas={"BES": ("Beskæftigelse", ["S1"]), "UNG": ("Unge og uddannelse", ["S2"])},
    )
    Indicator.objects.filter(code__in=["visits", "in_job"]).update(task_area=TaskArea.objects.get(code="BES"))
    Indicator.objects.filter(code="clients").update(task_area=TaskArea.objects.get(code="UNG"))
    schedule = ReportSchedule.objects.create(
        committee=committee,
        meeting_offset_weeks=6,
        unit_deadline_days=21,
        director_deadline_days=14,
        budget_months=[3, 6, 9],
        recipients="udvalg@example.dk, formand@example.dk",
    )
    committee.members.add(who["politician"])
    return {"committee": committee, "schedule": schedule, **who}
