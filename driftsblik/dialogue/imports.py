"""Dialogue threads from a file (`driftsblik dialogue import FILE`): challenges with their history.

A municipality moving its follow-up dialogue into Driftsblik, or setting up a training copy,
writes each thread as it happened; the file is replayed through the same services as the pages,
with their rules (who may challenge whom, who answers, dates), on the times the file gives.

```yaml
threads:
  - key: hjemmepleje                  # optional: a name later threads in the file refer to
    indicator: homecare_hours
    unit: HJS                         # addressed to the unit's leader on the day it was raised
    period: 2026-10                   # a month, or a quarter (2026Q3)
    author: direktoer@kommune.dk
    raised: 2026-11-02 09:15          # a date-time (local time unless it has an offset)
    question: Hvorfor faldt de leverede timer?
    answer_by: 2026-11-10             # optional
    steps:                            # optional, in the order they happened
      - answer: Det skyldes sygefravær.          # by the addressee
        at: 2026-11-12 14:15
        actions: [{title: Gennemgå ruterne, owner: leder@kommune.dk, due: 2026-11-30}]
      - action: 1                     # the thread's first action, by its owner
        status: under_way             # planned | under_way | done | dropped
        note: Møderne er i gang.      # optional
        at: 2026-11-14 09:00
      - ask_again: Hvornår er det indhentet?     # by the author
        answer_by: 2026-12-01         # optional
        at: 2026-11-15 10:00
      - close: Tak.                   # by the author; the text may be empty
        at: 2026-11-20 10:00
  - parent: hjemmepleje               # passed down by the addressee of that thread
    ...
```

All or nothing: every problem names the file, the thread's number (as row), the field and the
reason, and nothing is stored when there is one. A thread already stored (same author, unit,
indicator, period, question and time raised) is left as it is, so the same file twice changes
nothing. The people concerned are notified as when they use the pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from driftsblik.core.tabular import ImportRejected, Problem, parse_date, read_yaml
from driftsblik.dialogue import services
from driftsblik.dialogue.models import Challenge
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit, User

THREAD_FIELDS = ("key", "parent", "indicator", "unit", "period", "author", "raised", "question", "answer_by", "steps")
STEP_FIELDS = {
    "answer": {"answer", "at", "actions"},
    "ask_again": {"ask_again", "at", "answer_by"},
    "close": {"close", "at"},
    "action": {"action", "status", "note", "at"},
}


class _Refused(Exception):
    """One thread cannot be stored: the field and the reason."""

    def __init__(self, field: str | None, reason: str):  # field None: the thread as a whole
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _moment(value: Any, field: str) -> dt.datetime:
    """A date-time from the file: aware as written, or local time; a date alone is its midnight."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Refused(field, f"{value!r} is no date-time (expected YYYY-MM-DD HH:MM)") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        raise _Refused(field, f"{value!r} is no date-time (expected YYYY-MM-DD HH:MM)")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _day(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise _Refused(field, str(exc)) from None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class _Replay:
    """One file's threads replayed through the services; names resolved once, problems collected."""

    def __init__(self, path: Path):
        self.file = path.name
        self.problems: list[Problem] = []
        self.users = {u.email.lower(): u for u in User.objects.exclude(email="")}
        self.units = {u.pk: u for u in Unit.objects.all()}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.keys: dict[str, Challenge] = {}
        self.raised = self.kept = 0

    def user(self, value: Any, field: str) -> User:
        user = self.users.get(_text(value).lower())
        if user is None:
            raise _Refused(field, f"no user with e-mail {value!r}")
        return user

    def thread(self, number: int, item: Any) -> None:
        try:
            if not isinstance(item, dict):
                raise _Refused(None, "expected a mapping of field: value")
            unknown = sorted(set(item) - set(THREAD_FIELDS))
            if unknown:
                raise _Refused(unknown[0], f"unknown field {unknown[0]!r}; known: {', '.join(THREAD_FIELDS)}")
            challenge = self._raise(item)
        except _Refused as exc:
            self.problems.append(Problem(self.file, number, exc.field, exc.reason))
            return
        key = _text(item.get("key"))
        if key:
            if key in self.keys:
                self.problems.append(Problem(self.file, number, "key", f"the key {key!r} is used twice"))
            self.keys[key] = challenge

    def _raise(self, item: dict[str, Any]) -> Challenge:
        unit = self.units.get(_text(item.get("unit")))
        if unit is None:
            raise _Refused("unit", f"no unit with id {item.get('unit')!r}")
        indicator = self.indicators.get(_text(item.get("indicator")))
        if indicator is None:
            raise _Refused("indicator", f"no indicator with code {item.get('indicator')!r}")
        parent = None
        if item.get("parent") is not None:
            parent = self.keys.get(_text(item.get("parent")))
            if parent is None:
                raise _Refused("parent", f"no earlier thread in the file with the key {item.get('parent')!r}")
        fields = {
            "author": self.user(item.get("author"), "author"),
            "unit": unit,
            "indicator": indicator,
            "period": _text(item.get("period")),
            "question": _text(item.get("question")),
        }
        at = _moment(item.get("raised"), "raised")
        stored = Challenge.objects.filter(**fields, created_at=at).first()
        if stored is not None:
            self.kept += 1
            return stored
        answer_by = _day(item.get("answer_by"), "answer_by")
        try:
            challenge = services.challenge_raise(**fields, answer_by=answer_by, parent=parent, at=at)
        except services.DialogueError as exc:
            raise _Refused(exc.field, exc.message) from None
        steps = item.get("steps") or []
        if not isinstance(steps, list):
            raise _Refused("steps", "steps must be a list")
        for index, step in enumerate(steps, start=1):
            self._step(challenge, step, f"steps[{index}]")
        self.raised += 1
        return challenge

    def _step(self, challenge: Challenge, step: Any, where: str) -> None:
        try:
            self._replay_step(challenge, step, where)
        except services.DialogueError as exc:
            raise _Refused(f"{where}.{exc.field}" if exc.field else where, exc.message) from None

    def _replay_step(self, challenge: Challenge, step: Any, where: str) -> None:
        kinds = [k for k in STEP_FIELDS if isinstance(step, dict) and k in step]
        if len(kinds) != 1:
            raise _Refused(where, f"a step is exactly one of {', '.join(STEP_FIELDS)}")
        kind = kinds[0]
        unknown = sorted(set(step) - STEP_FIELDS[kind])
        if unknown:
            raise _Refused(f"{where}.{unknown[0]}", f"unknown field in a {kind} step")
        at = _moment(step.get("at"), f"{where}.at")
        if kind == "answer":
            if challenge.addressee is None:
                raise _Refused(where, "the unit had no leader to answer")
            actions = [
                self._action(spec, f"{where}.actions[{n}]") for n, spec in enumerate(step.get("actions") or [], 1)
            ]
            services.challenge_answer(
                challenge=challenge, by=challenge.addressee, text=_text(step["answer"]), actions=actions, at=at
            )
        elif kind == "ask_again":
            answer_by = _day(step.get("answer_by"), f"{where}.answer_by")
            text = _text(step["ask_again"])
            services.challenge_ask_again(
                challenge=challenge, by=challenge.author, text=text, answer_by=answer_by, at=at
            )
        elif kind == "close":
            services.challenge_close(challenge=challenge, by=challenge.author, text=_text(step["close"]), at=at)
        else:
            self._action_update(challenge, step, where, at)

    def _action(self, spec: Any, where: str) -> dict[str, Any]:
        if not isinstance(spec, dict):
            raise _Refused(where, "an action is a mapping with title, owner and due")
        due = _day(spec.get("due"), f"{where}.due")
        return {"title": _text(spec.get("title")), "owner": self.user(spec.get("owner"), f"{where}.owner"), "due": due}

    def _action_update(self, challenge: Challenge, step: dict[str, Any], where: str, at: dt.datetime) -> None:
        actions = list(challenge.actions.order_by("id"))
        number = step.get("action")
        if not isinstance(number, int) or not 1 <= number <= len(actions):
            raise _Refused(f"{where}.action", f"the thread has {len(actions)} action(s); {number!r} is none of them")
        action = actions[number - 1]
        services.action_update(
            action=action, by=action.owner, status=_text(step.get("status")), note=_text(step.get("note")), at=at
        )


@transaction.atomic
def threads_import(*, path: str | Path) -> str:
    """Replay the threads of a YAML file through the dialogue services; all or nothing. Returns a summary."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("threads"), list):
        raise ImportRejected([Problem(path.name, None, None, "expected a mapping with a list 'threads'")])
    replay = _Replay(path)
    for number, item in enumerate(data["threads"], start=1):
        replay.thread(number, item)
    if replay.problems:
        raise ImportRejected(replay.problems)
    return f"{replay.raised} thread(s) raised, {replay.kept} already stored, from {path.name}"
