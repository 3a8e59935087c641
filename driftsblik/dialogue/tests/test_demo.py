"""The demo's dialogue: the home-care story across the chain, overdue items, and tick reminds them once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from driftsblik.dialogue.models import Action, Challenge

SMALL = ("--no-serve", "--no-registers", "--scale", "0.1", "--until", "2026-10")


@pytest.mark.django_db(transaction=True)
def test_the_demo_holds_the_home_care_story_and_overdue_threads(tmp_path):
    out = io.StringIO()
    call_command("demo", *SMALL, "--data-dir", str(tmp_path), stdout=out)
    assert "dialogue" in out.getvalue()
    top = Challenge.objects.get(unit_id="HJS", indicator_id="homecare_hours")
    assert top.author.leaderships.filter(unit_id="SAEH").exists()
    assert top.status == "answered" and top.answered_at.date() > top.answer_by  # answered late
    assert top.actions.get().owner.leaderships.filter(unit_id="HJP").exists()
    sub = top.sub_challenges.get()
    assert sub.unit_id == "HJP" and sub.status == "open" and sub.answer_by < timezone.localdate()
    assert Challenge.objects.count() >= 10
    assert set(Challenge.objects.values_list("status", flat=True)) == {"open", "answered", "closed"}
    assert Action.objects.filter(status="planned", due__lt=timezone.localdate()).exists()
    tick = io.StringIO()
    call_command("tick", stdout=tick)
    assert "2 overdue answer(s), 1 overdue action(s)" in tick.getvalue()
