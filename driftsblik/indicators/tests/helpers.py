"""Small builders for indicator tests: units with spans, indicators, observations, file writing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group
from django.forms.models import model_to_dict

from driftsblik.core.periods import Month
from driftsblik.indicators.models import ImportBatch, Indicator, Observation, ObservationRevision, Target
from driftsblik.organisation.models import ANALYST_GROUP, Leadership, Unit, UnitSpan, User

START = dt.date(2020, 1, 1)


def unit(
    unit_id: str,
    parent: str | None = None,
    *,
    name: str | None = None,
    kind: str = "team",
    valid_from: dt.date = START,
    valid_to: dt.date | None = None,
) -> Unit:
    """A unit with one span under `parent` (created if it does not exist yet)."""
    obj, _ = Unit.objects.get_or_create(id=unit_id)
    UnitSpan.objects.create(
        unit=obj, parent_id=parent, name=name or unit_id, kind=kind, valid_from=valid_from, valid_to=valid_to
    )
    return obj


def small_tree() -> None:
    """K (root) with institutions I1 (teams T11, T12) and I2 (team T21)."""
    unit("K", kind="root")
    unit("I1", "K", kind="institution")
    unit("I2", "K", kind="institution")
    unit("T11", "I1")
    unit("T12", "I1")
    unit("T21", "I2")


def indicator(
    code: str = "ind",
    *,
    measure: str = "count",
    temporal: str = "flow",
    direction: str = "higher",
    tolerance_pct: Decimal | int = 10,
    person_based: bool = False,
) -> Indicator:
    return Indicator.objects.create(
        code=code,
        name=code,
        kind="result",
        measure=measure,
        temporal=temporal,
        direction=direction,
        tolerance_pct=tolerance_pct,
        person_based=person_based,
    )


def observe(ind: Indicator | str, unit_id: str, month: str, numerator: int | str, denominator: int | str | None = None):
    code = ind if isinstance(ind, str) else ind.code
    return Observation.objects.create(
        indicator_id=code,
        unit_id=unit_id,
        period=Month.parse(month).first,
        numerator=Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        loaded_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )


def write(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def snapshot() -> dict[str, list[dict[str, str]]]:
    """Every row of every indicators table, to show an import left them exactly as they were."""
    tables = {}
    for model in (Indicator, Target, Observation, ObservationRevision, ImportBatch):
        tables[model.__name__] = sorted(
            ({k: str(v) for k, v in model_to_dict(o).items()} for o in model.objects.all()),
            key=lambda d: sorted(d.items()),
        )
    return tables


def person(email: str, leads: str | None = None, *, analyst: bool = False) -> User:
    """A user leading `leads` (from 2020), or an analyst; no password hashing, so tests stay fast."""
    user = User.objects.create(username=email, email=email, name=email.split("@")[0], password="!")
    if leads:
        Leadership.objects.create(user=user, unit_id=leads, valid_from=START)
    if analyst:
        user.groups.add(Group.objects.get_or_create(name=ANALYST_GROUP)[0])
    return user


def one_figure_at_a_time() -> type:
    """The suppression's protector asking, at every ask, whether the marks alone narrow a figure
    with an audit of that figure alone: what its kept and batched answers must agree with."""
    from driftsblik.indicators import suppression

    class OneFigureAtATime(suppression._Protector):
        def narrowed_by_marks(self, n: int, group: list[int]) -> bool:
            return bool(self._by_marks_audit(group, {group.index(n)}))

    return OneFigureAtATime
