"""Efforts are written through services that refuse bad input with a clear message and store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from driftsblik.efforts.models import Effort, EffortTarget, Method, MethodUse, Milestone, Participant
from driftsblik.efforts.services import (
    effort_create,
    effort_phase_set,
    goal_indicator_add,
    method_define,
    method_use_add,
    milestone_add,
    participant_add,
    target_set,
)
from driftsblik.efforts.tests.helpers import build_effort
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit
from driftsblik.organisation.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_effort_holds_its_goal_participants_targets_and_milestones():
    effort = build_effort(with_figures=False)
    assert [g.indicator_id for g in effort.goal_indicators.all()] == ["in_work", "neet"]
    assert sorted(str(p.unit_id or p.partner) for p in effort.participants.all()) == ["EUC Nord", "J1", "J2", "U1"]
    assert EffortTarget.objects.get(effort=effort, unit=None).value == Decimal(50)
    milestone_add(effort=effort, phase="results", title="Første resultater", due=dt.date(2025, 6, 30), status="done")
    assert effort.milestones.get().status == "done"


def test_a_unit_added_twice_is_refused():
    effort = build_effort(with_figures=False)
    with pytest.raises(ValidationError, match="the unit J1 already takes part in ungegaranti"):
        participant_add(effort=effort, unit=Unit.objects.get(id="J1"), contact_name="Anden", role="Udfører")
    assert Participant.objects.filter(effort=effort, unit_id="J1").count() == 1


def test_a_partner_added_twice_is_refused_whatever_the_case():
    effort = build_effort(with_figures=False)
    with pytest.raises(ValidationError, match="the partner 'euc nord' already takes part"):
        participant_add(effort=effort, partner="euc nord", contact_name="Anden", role="Uddannelse")
    assert Participant.objects.filter(effort=effort, unit=None).count() == 1


def test_a_participant_is_a_unit_or_a_partner_with_a_contact_and_a_role():
    effort = build_effort(with_figures=False)
    with pytest.raises(ValidationError, match="either an internal unit or an external partner"):
        participant_add(effort=effort, unit=Unit.objects.get(id="S1"), partner="X", contact_name="A", role="B")
    with pytest.raises(ValidationError, match="either an internal unit or an external partner"):
        participant_add(effort=effort, contact_name="A", role="B")
    with pytest.raises(ValidationError, match="named contact"):
        participant_add(effort=effort, unit=Unit.objects.get(id="S1"), contact_name=" ", role="B")
    with pytest.raises(ValidationError, match="role"):
        participant_add(effort=effort, unit=Unit.objects.get(id="S1"), contact_name="A", role="")


def test_a_milestone_after_the_effort_ends_is_refused():
    effort = build_effort(with_figures=False)
    with pytest.raises(ValidationError, match=r"is due 2028-01-01, after the effort ends \(2027-12-31\)"):
        milestone_add(effort=effort, phase="results", title="Evaluering", due=dt.date(2028, 1, 1))
    with pytest.raises(ValidationError, match="before the effort starts"):
        milestone_add(effort=effort, phase="development", title="Forarbejde", due=dt.date(2023, 12, 31))
    with pytest.raises(ValidationError, match="phase 'later'"):
        milestone_add(effort=effort, phase="later", title="Noget", due=dt.date(2025, 1, 1))
    assert not Milestone.objects.exists()
    milestone_add(effort=effort, phase="results", title="Slut", due=dt.date(2027, 12, 31))
    assert Milestone.objects.count() == 1


def test_a_target_for_a_unit_that_is_not_a_participant_is_refused():
    effort = build_effort(with_figures=False)
    share = Indicator.objects.get(code="in_work")
    with pytest.raises(ValidationError, match="the unit S2 is not a participant of ungegaranti"):
        target_set(effort=effort, indicator=share, year=2025, value=Decimal(45), unit=Unit.objects.get(id="S2"))
    assert not EffortTarget.objects.filter(unit_id="S2").exists()
    target_set(effort=effort, indicator=share, year=2025, value=Decimal(45), unit=Unit.objects.get(id="J1"))
    target_set(effort=effort, indicator=share, year=2025, value=Decimal(46), unit=Unit.objects.get(id="J1"))
    assert EffortTarget.objects.get(unit_id="J1").value == Decimal(46)


def test_a_target_for_an_indicator_outside_the_shared_goal_is_refused():
    effort = build_effort(with_figures=False)
    other = Indicator.objects.create(
        code="other", name="Andet", kind="result", measure="count", temporal="flow", direction="higher"
    )
    with pytest.raises(ValidationError, match="other is not part of the shared goal"):
        target_set(effort=effort, indicator=other, year=2025, value=Decimal(1))
    with pytest.raises(ValidationError, match="in_work is already part of the shared goal"):
        goal_indicator_add(effort=effort, indicator=Indicator.objects.get(code="in_work"))


def test_the_owner_is_in_the_directorate_and_the_dates_are_in_order():
    build_effort(with_figures=False)
    outsider = make_user("leder@example.dk")
    with pytest.raises(ValidationError, match="not a member of the directorate"):
        effort_create(code="x", name="X", owner=outsider, start=dt.date(2025, 1, 1))
    owner = Effort.objects.get().owner
    with pytest.raises(ValidationError, match="ends .* before it starts"):
        effort_create(code="x", name="X", owner=owner, start=dt.date(2025, 1, 1), end=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="exists already"):
        effort_create(code="ungegaranti", name="X", owner=owner, start=dt.date(2025, 1, 1))
    effort = Effort.objects.get()
    effort_phase_set(effort=effort, phase="results")
    assert Effort.objects.get().phase == "results"


def test_methods_are_used_once_per_participant():
    effort = build_effort(with_figures=False)
    ips = method_define(code="ips", name="IPS", description="Individuelt planlagt job med støtte")
    assert method_define(code="ips", name="IPS", description="Ny tekst").pk == ips.pk
    participant = effort.participants.get(unit_id="J1")
    method_use_add(participant=participant, method=ips, since=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="already uses the method ips"):
        method_use_add(participant=participant, method=ips, since=dt.date(2024, 4, 1))
    assert MethodUse.objects.count() == 1 and Method.objects.get().description == "Ny tekst"


def test_milestones_not_done_after_their_due_date_read_as_late():
    effort = build_effort(with_figures=False)
    m = milestone_add(effort=effort, phase="development", title="Plan", due=dt.date(2025, 1, 31), status="under_way")
    assert m.status_on(dt.date(2025, 1, 31)) == "under_way"
    assert m.status_on(dt.date(2025, 2, 1)) == "late"
    m.status = "done"
    assert m.status_on(dt.date(2025, 2, 1)) == "done"


def test_the_next_milestone_is_ahead_and_one_past_its_date_is_late_not_next():
    from django.utils import timezone

    from driftsblik.core.periods import Month, Period
    from driftsblik.efforts.selectors import effort_summary

    effort = build_effort(with_figures=False)
    day = timezone.localdate()
    common = {"effort": effort, "phase": "development", "status": "under_way"}
    Milestone.objects.create(title="Forbi", due=day - dt.timedelta(days=10), **common)
    Milestone.objects.create(title="Forude", due=day + dt.timedelta(days=10), **common)
    summary = effort_summary(user=None, effort=effort, period=Period.month(Month.of(day)))
    assert summary.milestones_late == 1
    assert summary.next_milestone is not None and summary.next_milestone.title == "Forude"
    Milestone.objects.filter(title="Forude").delete()
    assert effort_summary(user=None, effort=effort, period=Period.month(Month.of(day))).next_milestone is None
