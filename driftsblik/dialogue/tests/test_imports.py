"""`driftsblik dialogue import FILE`: threads replayed through the services, all or nothing, once."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from driftsblik.core.tabular import ImportRejected
from driftsblik.dialogue.imports import threads_import
from driftsblik.dialogue.models import Action, Challenge, ChallengeEvent
from driftsblik.notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - dt.timedelta(days=30)


def _file(tmp_path, text: str):
    path = tmp_path / "threads.yaml"
    path.write_text(textwrap.dedent(text).format(day=DAY, later=DAY + dt.timedelta(days=5)), encoding="utf-8")
    return path


THREADS = """\
threads:
  - key: visits
    indicator: visits
    unit: S1
    period: 2025-03
    author: a1@example.dk
    raised: {day} 09:15
    question: Hvorfor faldt besøgene?
    answer_by: {later}
    steps:
      - answer: Sygefravær i to teams.
        at: {day} 14:00
        actions: [{{title: Plan for vikarer, owner: i1@example.dk, due: {later}}}]
      - {{action: 1, status: under_way, note: I gang., at: {day} 15:00}}
      - ask_again: Hvornår er I tilbage på niveau?
        at: {day} 16:00
      - answer: Til maj.
        at: {day} 17:00
      - close: Tak.
        at: {day} 18:00
  - parent: visits
    indicator: visits
    unit: S1I1
    period: 2025Q1
    author: s1@example.dk
    raised: {later}T10:00:00+00:00
    question: Hvad kan I gøre ved fraværet?
"""


def test_threads_are_replayed_with_their_history_times_and_notifications(town, tmp_path):
    summary = threads_import(path=_file(tmp_path, THREADS))
    assert summary == "2 thread(s) raised, 0 already stored, from threads.yaml"
    top = Challenge.objects.get(unit_id="S1")
    assert (top.author, top.addressee, top.status) == (town["director"], town["sector"], "closed")
    assert timezone.localtime(top.created_at).replace(tzinfo=None) == dt.datetime.combine(DAY, dt.time(9, 15))
    assert list(top.events.values_list("kind", flat=True)) == [
        "raised",
        "answered",
        "action",
        "action_status",
        "asked_again",
        "answered",
        "closed",
        "passed_down",
    ]
    action = Action.objects.get()
    assert (action.owner, action.status, action.challenge) == (town["institution"], "under_way", top)
    sub = Challenge.objects.get(unit_id="S1I1")
    assert sub.parent == top and sub.period == "2025Q1" and sub.addressee == town["institution"]
    assert sub.created_at == dt.datetime.combine(DAY + dt.timedelta(days=5), dt.time(10), tzinfo=dt.UTC)
    assert Notification.objects.filter(key=f"challenge:{sub.pk}:raised", recipient=town["institution"]).exists()


def test_the_same_file_twice_changes_nothing(town, tmp_path):
    path = _file(tmp_path, THREADS)
    threads_import(path=path)
    counts = (Challenge.objects.count(), ChallengeEvent.objects.count(), Notification.objects.count())
    assert threads_import(path=path) == "0 thread(s) raised, 2 already stored, from threads.yaml"
    assert (Challenge.objects.count(), ChallengeEvent.objects.count(), Notification.objects.count()) == counts


@pytest.mark.parametrize(
    ("change", "row", "column", "reason"),
    [
        (("unit: S1\n", "unit: NOWHERE\n"), 1, "unit", "no unit with id 'NOWHERE'"),
        (("author: a1@", "author: x1@"), 1, "author", "no user with e-mail 'x1@example.dk'"),
        (("indicator: visits\n    unit: S1I1", "indicator: nope\n    unit: S1I1"), 2, "indicator", "no indicator"),
        (("parent: visits", "parent: other"), 2, "parent", "no earlier thread in the file with the key 'other'"),
        (("raised: {day} 09:15", "raised: yesterday"), 1, "raised", "is no date-time"),
        (("period: 2025-03", "period: marts"), 1, "period", "Perioden skal være en måned"),
        (("{{action: 1,", "{{action: 2,"), 1, "steps[2].action", "the thread has 1 action(s); 2 is none of them"),
        (("      - close: Tak.", "      - shut: Tak."), 1, "steps[5]", "a step is exactly one of"),
        (("    question: Hvad", "    colour: red\n    question: Hvad"), 2, "colour", "unknown field 'colour'"),
        (("author: s1@", "author: kd@"), 2, None, "Kun den, udfordringen er rettet til, kan sende den videre"),
    ],
)
def test_a_bad_file_is_refused_naming_row_column_and_reason_and_nothing_is_stored(
    town, tmp_path, change, row, column, reason
):
    old, new = change
    assert old in THREADS
    with pytest.raises(ImportRejected) as refused:
        threads_import(path=_file(tmp_path, THREADS.replace(old, new)))
    problem = refused.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("threads.yaml", row, column)
    assert reason in problem.reason
    assert Challenge.objects.count() == 0 and Notification.objects.count() == 0


def test_the_rules_of_the_pages_hold_an_action_due_before_the_answer_is_refused(town, tmp_path):
    late = THREADS.replace("due: {later}", "due: 2000-01-01")
    with pytest.raises(ImportRejected, match=r"row 1, column steps\[1\].due: Datoen 1. januar 2000 ligger i fortiden"):
        threads_import(path=_file(tmp_path, late))
    assert Challenge.objects.count() == 0


def test_the_command_imports_and_refuses_with_exit_code(town, tmp_path):
    call_command("dialogue", "import", str(_file(tmp_path, THREADS)))
    assert Challenge.objects.count() == 2
    with pytest.raises(CommandError, match="no such file"):
        call_command("dialogue", "import", str(tmp_path / "missing.yaml"))
    (tmp_path / "bad.yaml").write_text("threads: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.yaml, row 2: not valid YAML"):
        call_command("dialogue", "import", str(tmp_path / "bad.yaml"))
