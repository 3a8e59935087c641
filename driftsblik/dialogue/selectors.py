"""Reading the dialogue: every read goes through `threads_visible_to`, narrowed by the visibility rule.

threads_visible_to(user) -> QuerySet[Challenge]
thread_or_404(user, challenge_id) -> Challenge
inbox(user) -> Inbox
follow_up_quality(user, today=...) -> Quality
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from driftsblik.dialogue.models import Action, Challenge, ChallengeEvent
from driftsblik.dialogue.policy import thread_units
from driftsblik.organisation.models import UnitKind, User
from driftsblik.organisation.tree import Tree, tree_on
from driftsblik.organisation.visibility import BELOW, Access, today, visible_units


def threads_visible_to(user: User, *, visible: dict[str, Access] | None = None) -> QuerySet[Challenge]:
    """The challenges the person may see: those at units they see (not as a peer). The one way in."""
    if not user.is_authenticated:
        return Challenge.objects.none()
    units = thread_units(user, visible=visible)
    return Challenge.objects.filter(unit_id__in=units).select_related("indicator", "author", "addressee")


def thread_or_404(user: User, challenge_id: int, *, visible: dict[str, Access] | None = None) -> Challenge:
    """One thread with its history and actions, or a 404 when it is outside the person's view."""
    visible = visible if visible is not None else visible_units(user)
    queryset = threads_visible_to(user, visible=visible).prefetch_related(
        Prefetch("events", queryset=ChallengeEvent.objects.select_related("actor")),
        Prefetch("actions", queryset=Action.objects.select_related("owner")),
        Prefetch("sub_challenges", queryset=threads_visible_to(user, visible=visible).order_by("created_at")),
    )
    try:
        return queryset.get(pk=challenge_id)
    except Challenge.DoesNotExist:
        raise Http404("No such thread") from None


def threads_at(user: User, unit_id: str, *, indicator_code: str | None = None, visible=None) -> QuerySet[Challenge]:
    """The threads at one unit (about one indicator when given), newest first."""
    queryset = threads_visible_to(user, visible=visible).filter(unit_id=unit_id)
    if indicator_code:
        queryset = queryset.filter(indicator_id=indicator_code)
    return queryset


def actions_at(user: User, unit_id: str, *, visible=None) -> QuerySet[Action]:
    """The open actions of the unit's threads, soonest due first."""
    units = thread_units(user, visible=visible)
    if unit_id not in units:
        return Action.objects.none()
    return Action.objects.filter(challenge__unit_id=unit_id, status__in=Action.OPEN_STATUSES).select_related(
        "owner", "challenge", "challenge__indicator"
    )


@dataclass
class Inbox:
    """Mit overblik's "Til mig": challenges to answer, challenges awaiting others, actions due."""

    to_answer: list[Challenge]
    awaiting: list[Challenge]
    answered: list[Challenge]
    actions: list[Action]
    today: dt.date

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.due < self.today)

    @property
    def overdue_answers(self) -> int:
        return sum(1 for c in self.to_answer if c.answer_by and c.answer_by < self.today)


def inbox(user: User, *, on: dt.date | None = None, visible: dict[str, Access] | None = None) -> Inbox:
    """The person's open business in the dialogue (two queries when `visible` is given)."""
    on = on or today()
    visible = visible if visible is not None else visible_units(user)
    threads = threads_visible_to(user, visible=visible)
    mine = list(
        threads.filter(
            Q(addressee=user, status=Challenge.Status.OPEN) | Q(author=user, status__in=["open", "answered"])
        ).order_by("answer_by", "created_at")
    )
    units = thread_units(user, visible=visible)
    actions = list(
        Action.objects.filter(owner=user, status__in=Action.OPEN_STATUSES, challenge__unit_id__in=units)
        .select_related("owner", "challenge", "challenge__indicator")
        .order_by("due", "id")
    )
    return Inbox(
        to_answer=[c for c in mine if c.addressee_id == user.pk and c.status == Challenge.Status.OPEN],
        awaiting=[c for c in mine if c.author_id == user.pk and c.status == Challenge.Status.OPEN],
        answered=[c for c in mine if c.author_id == user.pk and c.status == Challenge.Status.ANSWERED],
        actions=actions,
        today=on,
    )


@dataclass
class Escalated:
    """Overdue business one level under the person, past the grace period: what they were told about."""

    answers: list[Challenge]
    actions: list[Action]


def escalated_to(user: User, *, on: dt.date | None = None, visible: dict[str, Access] | None = None) -> Escalated:
    """Challenges not answered and actions not done at the units just under the person's own,
    more than `DRIFTSBLIK_REMINDER_GRACE_DAYS` after their date (two queries)."""
    on = on or today()
    visible = visible if visible is not None else visible_units(user)
    below = [u for u, a in visible.items() if a.relation == BELOW and a.levels == 1]
    cutoff = on - dt.timedelta(days=settings.REMINDER_GRACE_DAYS)
    answers = list(
        threads_visible_to(user, visible=visible)
        .filter(unit_id__in=below, status=Challenge.Status.OPEN, answer_by__lt=cutoff)
        .order_by("answer_by", "id")
    )
    actions = list(
        Action.objects.filter(challenge__unit_id__in=below, status__in=Action.OPEN_STATUSES, due__lt=cutoff)
        .select_related("owner", "challenge", "challenge__indicator")
        .order_by("due", "id")
    )
    return Escalated(answers, actions)


# -- the quality of the follow-up --------------------------------------------------------------


@dataclass
class QualityRow:
    """The dialogue at a unit and everything under it (or at one level of the chain)."""

    key: str
    name: str
    depth: int
    raised: int = 0
    due: int = 0  # challenges with an answer date that has passed or that have been answered
    on_time: int = 0
    days: list[int] = field(default_factory=list)
    actions_due: int = 0
    actions_on_time: int = 0

    @property
    def share_on_time(self) -> Decimal | None:
        return None if not self.due else Decimal(100 * self.on_time) / Decimal(self.due)

    @property
    def median_days(self) -> Decimal | None:
        return None if not self.days else Decimal(str(statistics.median(self.days)))

    @property
    def actions_share(self) -> Decimal | None:
        return None if not self.actions_due else Decimal(100 * self.actions_on_time) / Decimal(self.actions_due)

    @property
    def status(self) -> str | None:
        """Like an indicator's traffic light: 80 % answered on time is the target, 60 % the tolerance."""
        share = self.share_on_time
        if share is None:
            return None
        return "green" if share >= 80 else "yellow" if share >= 60 else "red"


@dataclass
class Quality:
    """Rows per unit (only units with threads, per level the worst share on time first) and per level."""

    units: list[QualityRow]
    levels: list[QualityRow]
    quiet: int = 0  # units the person sees with no threads at or under them


LEVEL_KINDS = [UnitKind.ROOT, UnitKind.AREA, UnitKind.SECTOR, UnitKind.INSTITUTION, UnitKind.TEAM]


def _level_name(depth: int) -> str:
    return str(LEVEL_KINDS[min(depth, len(LEVEL_KINDS) - 1)].label).capitalize()


def _worst_first(row: QualityRow) -> tuple:
    share = row.share_on_time
    return (row.depth, share is None, share if share is not None else 0, row.name, row.key)


def _count(row: QualityRow, challenge: Challenge, actions: list[Action], on: dt.date) -> None:
    row.raised += 1
    answered = challenge.answered_at.date() if challenge.answered_at else None
    if answered:
        row.days.append((answered - challenge.created_at.date()).days)
    if challenge.answer_by and (answered or challenge.answer_by < on):
        row.due += 1
        row.on_time += bool(answered and answered <= challenge.answer_by)
    for action in actions:
        if action.status == Action.Status.DROPPED:
            continue
        done = action.done_at.date() if action.done_at else None
        if done or action.due < on:
            row.actions_due += 1
            row.actions_on_time += bool(done and done <= action.due)


def follow_up_quality(user: User, *, on: dt.date | None = None, tree: Tree | None = None) -> Quality:
    """Per unit the person sees (its figures cover its whole subtree) and per level of the chain.

    Units without any thread at or under them are counted in `quiet`, not listed.

    Raised: challenges at the unit or under it. Answered on time: of those with an answer date
    that has passed or that were answered, the share first answered by the date. Median days to
    answer: from raised to first answer. Actions done on time: of the actions not dropped that
    are done or past due, the share done by their due date. Only threads the person sees count.
    """
    on = on or today()
    tree = tree or tree_on(on)
    visible = visible_units(user, on, tree)
    units = thread_units(user, visible=visible)
    challenges = list(threads_visible_to(user, visible=visible).prefetch_related("actions"))
    rows = {u: QualityRow(u, tree.name.get(u, u), tree.depth(u)) for u in units if u in tree}
    levels: dict[int, QualityRow] = {}
    for challenge in challenges:
        actions = list(challenge.actions.all())
        unit = challenge.unit_id
        for holder in [unit, *tree.ancestors(unit)]:
            if holder in rows:
                _count(rows[holder], challenge, actions, on)
        depth = tree.depth(unit)
        level = levels.setdefault(depth, QualityRow(str(depth), _level_name(depth), depth))
        _count(level, challenge, actions, on)
    ordered = sorted((r for r in rows.values() if r.raised), key=_worst_first)
    return Quality(units=ordered, levels=[levels[d] for d in sorted(levels)], quiet=len(rows) - len(ordered))


# Committee reports read the dialogue as the committee, not as a person: how many threads and actions
# are open under each of a task area's units, and the text only of the threads a director chose.


@dataclass(frozen=True)
class OpenCount:
    """Open challenges (not closed) and open follow-up actions at a unit and the levels below it."""

    unit_id: str
    challenges: int
    actions: int


def report_scopes(tree: Tree, units: list[str]) -> dict[str, set[str]]:
    """Per task-area unit of a committee report, the units whose open dialogue it counts: it and the
    two levels below it."""
    return {unit: {unit, *(child for child, _ in tree.descendants(unit, 2))} for unit in units}


def open_counts(scopes: dict[str, set[str]]) -> list[OpenCount]:
    """Per unit, the open challenges and actions at the units of its scope (two queries)."""
    every = set().union(*scopes.values()) if scopes else set()
    challenges: dict[str, int] = {}
    for unit_id in (
        Challenge.objects.filter(unit_id__in=every)
        .exclude(status=Challenge.Status.CLOSED)
        .values_list("unit_id", flat=True)
    ):
        challenges[unit_id] = challenges.get(unit_id, 0) + 1
    actions: dict[str, int] = {}
    rows = Action.objects.filter(challenge__unit_id__in=every, status__in=Action.OPEN_STATUSES)
    for unit_id in rows.values_list("challenge__unit_id", flat=True):
        actions[unit_id] = actions.get(unit_id, 0) + 1
    return [
        OpenCount(unit, sum(challenges.get(u, 0) for u in scope), sum(actions.get(u, 0) for u in scope))
        for unit, scope in scopes.items()
    ]


def open_threads_in(units: set[str]) -> QuerySet[Challenge]:
    """The open challenges at the units, oldest first: what a director may choose to put in a report."""
    return (
        Challenge.objects.filter(unit_id__in=units)
        .exclude(status=Challenge.Status.CLOSED)
        .select_related("indicator")
        .order_by("created_at", "id")
    )


def chosen_threads(ids: list[int], units: set[str]) -> list[Challenge]:
    """The challenges with these ids that are still at the units, with their open actions, in the
    order given."""
    found = {
        c.pk: c
        for c in Challenge.objects.filter(pk__in=ids, unit_id__in=units)
        .select_related("indicator")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.filter(status__in=Action.OPEN_STATUSES).select_related("owner").order_by("due"),
            )
        )
    }
    return [found[i] for i in dict.fromkeys(ids) if i in found]
