"""Efforts from a definition file (`driftsblik efforts define FILE`), so a municipality can set them up
and keep them under version control. YAML, all or nothing.

```yaml
methods:
  - {code: ips, name: Individuelt planlagt job med støtte (IPS), description: ...}
efforts:
  - code: ungegaranti
    name: Ungegarantien
    purpose: Alle unge i job eller uddannelse
    owner: direktoer@kommune.dk          # a member of the directorate
    start: 2025-01-01
    end: 2027-12-31                       # optional
    phase: implementation                 # development | implementation | results
    cohort: youth_neet                    # optional: youth_neet, cash_long_term or elderly_discharged
    indicators: [youth_in_job_or_education, youth_neet_3m]
    targets:                              # unit optional: a participating unit's part
      - {indicator: youth_in_job_or_education, year: 2025, value: 82}
      - {indicator: youth_neet_3m, year: 2025, value: 40, unit: UNG-T01}
    participants:                         # unit (internal) or partner (external), not both
      - {unit: UNG-T01, contact: Sanne Bertelsen, email: sb@kommune.dk, role: Ungevejledning,
         methods: [{method: ips, since: 2025-03-01}]}
      - {partner: EUC Nord, contact: Erik Hansen, role: Erhvervsuddannelser}
    milestones:                           # status: planned | under_way | done | late
      - {phase: development, title: Fælles plan vedtaget, due: 2025-03-31, status: done}
```

An effort in the file is set to exactly what the file says (its goal, targets, participants, methods
used and milestones are replaced), so the same file twice changes nothing; efforts not in the file
are left alone. Every problem names the file, the effort (as row: its number in the file) and the
field, and nothing is stored when there is one.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from driftsblik.core.tabular import ImportRejected, Problem, identifier_problem, parse_date, read_yaml
from driftsblik.efforts import services
from driftsblik.efforts.models import Effort, EffortIndicator, EffortTarget, Method, Milestone, Participant
from driftsblik.engine.pathways import COHORTS
from driftsblik.indicators import suppression
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit, User

EFFORT_FIELDS = {
    "code",
    "name",
    "purpose",
    "owner",
    "start",
    "end",
    "phase",
    "cohort",
    "indicators",
    "targets",
    "participants",
    "milestones",
}


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, row: int | None, column: str | None, reason: str) -> None:
        self.problems.append(Problem(self.file, row, column, reason))


def _load(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("efforts", []), list):
        raise ImportRejected(
            [Problem(path.name, None, None, "expected a mapping with a list 'efforts' (and optionally 'methods')")]
        )
    return data


def _date(value: Any, row: int, column: str, out: _Collector, *, required: bool = True):
    if value in (None, ""):
        if required:
            out.add(row, column, f"{column} is missing")
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        out.add(row, column, str(exc))
        return None


def _items(value: Any, row: int, column: str, out: _Collector) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        out.add(row, column, f"{column} must be a list of mappings")
        return []
    return value


def _refused(out: _Collector, row: int, column: str, exc: ValidationError) -> None:
    out.add(row, column, "; ".join(exc.messages))


def _methods(data: dict[str, Any], out: _Collector) -> None:
    for number, item in enumerate(_items(data.get("methods"), None, "methods", out), start=1):
        code, name = str(item.get("code") or "").strip(), str(item.get("name") or "").strip()
        where = f"methods[{number}]"
        if not code or not name:
            out.add(None, where, "a method needs a code and a name")
            continue
        reason = identifier_problem(code)
        if reason is not None:
            out.add(None, f"{where}.code", reason)
            continue
        services.method_define(code=code, name=name, description=str(item.get("description") or "").strip())


def _effort(number: int, item: dict[str, Any], out: _Collector) -> None:
    unknown = sorted(set(item) - EFFORT_FIELDS)
    for field in unknown:
        out.add(number, field, f"unknown field {field!r}; known: {', '.join(sorted(EFFORT_FIELDS))}")
    code = str(item.get("code") or "").strip()
    name = str(item.get("name") or "").strip()
    if not code or not name:
        out.add(number, "code" if not code else "name", "an effort needs a code and a name")
        return
    reason = identifier_problem(code)
    if reason is not None:
        out.add(number, "code", reason)
        return
    owner = User.objects.filter(email__iexact=str(item.get("owner") or "").strip()).first()
    if owner is None:
        out.add(number, "owner", f"no user with e-mail {item.get('owner')!r}")
    start = _date(item.get("start"), number, "start", out)
    end = _date(item.get("end"), number, "end", out, required=False)
    cohort = str(item.get("cohort") or "").strip()
    if cohort and cohort not in COHORTS:
        out.add(number, "cohort", f"unknown cohort {cohort!r}; known: {', '.join(COHORTS)}")
    if owner is None or start is None or unknown or (cohort and cohort not in COHORTS):
        return
    fields = {
        "name": name,
        "owner": owner,
        "start": start,
        "end": end,
        "purpose": str(item.get("purpose") or "").strip(),
        "phase": str(item.get("phase") or "development").strip(),
        "cohort": cohort,
    }
    effort = Effort.all_objects.filter(code=code).first()
    if effort is not None and effort.retired is not None:
        out.add(
            number, "code", f"the effort {code!r} was retired on {effort.retired}; define a new effort under a new code"
        )
        return
    try:
        if effort is None:
            effort = services.effort_create(code=code, **fields)
        else:
            for model in (EffortTarget, Milestone, Participant, EffortIndicator):
                model.objects.filter(effort=effort).delete()
            effort = services.effort_update(effort=effort, **fields)
    except ValidationError as exc:
        _refused(out, number, "effort", exc)
        return
    _goal(effort, number, item, out)
    participants = _participants(effort, number, item, out)
    _targets(effort, number, item, participants, out)
    for m, milestone in enumerate(_items(item.get("milestones"), number, "milestones", out), start=1):
        where = f"milestones[{m}]"
        due = _date(milestone.get("due"), number, f"{where}.due", out)
        if due is None:
            continue
        try:
            services.milestone_add(
                effort=effort,
                phase=str(milestone.get("phase") or "").strip(),
                title=str(milestone.get("title") or "").strip(),
                due=due,
                status=str(milestone.get("status") or "planned").strip(),
            )
        except ValidationError as exc:
            _refused(out, number, where, exc)


def _goal(effort: Effort, number: int, item: dict[str, Any], out: _Collector) -> None:
    codes = item.get("indicators") or []
    if not isinstance(codes, list):
        out.add(number, "indicators", "indicators must be a list of indicator codes")
        return
    known = {i.code: i for i in Indicator.objects.filter(code__in=[str(c) for c in codes])}
    for code in codes:
        indicator = known.get(str(code))
        if indicator is None:
            out.add(number, "indicators", f"no indicator with code {code!r}")
            continue
        try:
            services.goal_indicator_add(effort=effort, indicator=indicator)
        except ValidationError as exc:
            _refused(out, number, "indicators", exc)


def _participants(effort: Effort, number: int, item: dict[str, Any], out: _Collector) -> dict[str, Participant]:
    units = {u.id: u for u in Unit.objects.filter(id__in=[str(p.get("unit")) for p in item.get("participants") or []])}
    methods = {m.code: m for m in Method.objects.all()}
    found: dict[str, Participant] = {}
    for p, entry in enumerate(_items(item.get("participants"), number, "participants", out), start=1):
        where = f"participants[{p}]"
        unit_id = str(entry.get("unit") or "").strip()
        if unit_id and unit_id not in units:
            out.add(number, f"{where}.unit", f"no unit with id {unit_id!r}")
            continue
        try:
            participant = services.participant_add(
                effort=effort,
                unit=units.get(unit_id) if unit_id else None,
                partner=str(entry.get("partner") or ""),
                contact_name=str(entry.get("contact") or ""),
                contact_email=str(entry.get("email") or ""),
                role=str(entry.get("role") or ""),
            )
        except ValidationError as exc:
            _refused(out, number, where, exc)
            continue
        if unit_id:
            found[unit_id] = participant
        for u, use in enumerate(_items(entry.get("methods"), number, f"{where}.methods", out), start=1):
            method = methods.get(str(use.get("method") or "").strip())
            since = _date(use.get("since"), number, f"{where}.methods[{u}].since", out)
            if method is None:
                out.add(number, f"{where}.methods[{u}].method", f"no method with code {use.get('method')!r}")
            elif since is not None:
                try:
                    services.method_use_add(participant=participant, method=method, since=since)
                except ValidationError as exc:
                    _refused(out, number, f"{where}.methods[{u}]", exc)
    return found


def _targets(
    effort: Effort, number: int, item: dict[str, Any], participants: dict[str, Participant], out: _Collector
) -> None:
    indicators = {i.code: i for i in Indicator.objects.all()}
    for t, entry in enumerate(_items(item.get("targets"), number, "targets", out), start=1):
        where = f"targets[{t}]"
        indicator = indicators.get(str(entry.get("indicator") or ""))
        if indicator is None:
            out.add(number, f"{where}.indicator", f"no indicator with code {entry.get('indicator')!r}")
            continue
        try:
            value = Decimal(str(entry.get("value")).replace(",", "."))
            year = int(entry.get("year"))
        except (InvalidOperation, TypeError, ValueError):
            out.add(number, where, "a target needs a whole year and a number value")
            continue
        unit_id = str(entry.get("unit") or "").strip()
        unit = None
        if unit_id:
            unit = Unit.objects.filter(id=unit_id).first()
            if unit is None:
                out.add(number, f"{where}.unit", f"no unit with id {unit_id!r}")
                continue
        try:
            services.target_set(effort=effort, indicator=indicator, year=year, value=value, unit=unit)
        except ValidationError as exc:
            _refused(out, number, where, exc)


@transaction.atomic
def efforts_define(*, path: str | Path) -> str:
    """Create or update methods and efforts from a YAML file; all or nothing. Returns a summary."""
    path = Path(path)
    data = _load(path)
    out = _Collector(path.name)
    _methods(data, out)
    seen: dict[str, int] = {}
    efforts = data.get("efforts") or []
    for number, item in enumerate(efforts, start=1):
        if not isinstance(item, dict):
            out.add(number, None, f"effort #{number}: expected a mapping of field: value")
            continue
        code = str(item.get("code") or "").strip()
        if code in seen:
            out.add(number, "code", f"duplicate effort code {code!r} (first as effort #{seen[code]})")
            continue
        seen[code] = number
        _effort(number, item, out)
    if out.problems:
        raise ImportRejected(out.problems)
    # an effort's total and remainders are named sums of its indicators' patterns: those whose
    # sums changed are computed here, in the same transaction, not by the first page after
    suppression.prepare(None)
    methods = len(data.get("methods") or [])
    return f"{len(efforts)} effort(s) and {methods} method(s) from {path.name}"
