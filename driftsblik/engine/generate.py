"""Synthetic registers: a deterministic population at plausible Danish levels.

``generate(out, persons=64_000, start="2025-01", end="2025-12", seed=1)`` writes the six
registers of the contract as Parquet (or CSV) files: a Danish-like age structure, weekly benefit
spells (DREAM-like, with long and short cash-benefit spells), monthly employment hours (some
people with several employers), education spells, and hospital stays with readmissions, assigned
to the demo municipality's jobcenter teams, youth teams and home-care districts (or to units
read from a ``domain,unit_id`` file). Some people have no assignment (``_unassigned``).

People change over time as in a municipality: someone who moves away has no rows in any register
from the day they moved (a move is final); young people who are neither in a job nor in education
are so for a spell (most find a job or a study within a year or two, a few stay out longer); a
person on cash benefit or pension works little only in the months of the benefit. Person
ids are random 12-hex-digit pseudonyms and rows are shuffled, as in a real extract. Everything
is vectorised numpy, so 5.9 million residents are feasible on one machine.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from driftsblik.engine.contract import DOMAINS, TABLES
from driftsblik.engine.errors import EngineInputError
from driftsblik.engine.periods import MonthRange, month_first, month_last, reference_week

DEFAULT_UNITS: dict[str, list[str]] = {
    "beskaeftigelse": [f"JOB-T{i:02d}" for i in range(1, 9)],
    "unge": [f"UNG-T{i:02d}" for i in range(1, 6)],
    "aeldre": [f"HJP-D{i:02d}" for i in range(1, 9)],
}

EPOCH = np.datetime64("1970-01-01", "D")
NpArray = np.ndarray


def read_units(path: str | Path) -> dict[str, list[str]]:
    """Units per domain from a CSV of ``domain,unit_id`` rows (a header row is allowed)."""
    units: dict[str, list[str]] = {}
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2 or row[0].strip() in ("domain", ""):
                continue
            domain, unit = row[0].strip(), row[1].strip()
            if domain not in DOMAINS:
                raise EngineInputError(f"{path}: unknown domain {domain!r} (known: {', '.join(DOMAINS)})")
            units.setdefault(domain, []).append(unit)
    missing = [d for d in DOMAINS if not units.get(d)]
    if missing:
        raise EngineInputError(f"{path}: no units for domain(s) {', '.join(missing)}")
    return units


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _dates(days: NpArray) -> pa.Array:
    return pa.array(days.astype("int32"), pa.int32()).cast(pa.date32())


def _nullable_dates(days: NpArray, valid: NpArray) -> pa.Array:
    return pa.array(days.astype("int32"), pa.int32(), mask=~valid).cast(pa.date32())


# share of the population per single year of age 0..99 (roughly Denmark 2025)
def _age_weights() -> NpArray:
    w = np.empty(100)
    w[0:15] = 1.05
    w[15:30] = 1.27
    w[30:50] = 1.22
    w[50:65] = 1.30
    w[65:75] = 1.15
    w[75:85] = 0.80
    w[85:100] = np.linspace(0.45, 0.02, 15)
    return np.asarray(w / w.sum())


def _pseudonyms(rng: np.random.Generator, n: int) -> pa.Array:
    draw = rng.integers(0, 2**48, size=int(n * 1.01) + 16, dtype=np.int64)
    _, first = np.unique(draw, return_index=True)
    ids = draw[np.sort(first)[:n]]
    ids = ids[rng.permutation(n)]
    return pa.array([f"{x:012x}" for x in ids.tolist()], pa.string())


@dataclass(frozen=True)
class _Population:
    """The residents every register draws on: their ages, pseudonyms and the days generated."""

    age: NpArray
    pid: pa.Array
    t0: int  # first day of history (a Monday, 52 weeks before the first month)
    t1: int  # a month after the last month's end, for readmissions
    gone: NpArray  # the day each person moved away (NEVER when they stay): no register rows from it

    @property
    def n(self) -> int:
        return len(self.age)


NEVER = np.iinfo(np.int64).max


@dataclass(frozen=True)
class _Benefits:
    """Who is on which benefit in which week (indices into the population and `BENEFITS`)."""

    person: NpArray
    week: NpArray
    code: NpArray


@dataclass(frozen=True)
class _Education:
    """Who studies, and whose study ends or starts inside the period."""

    studying: NpArray
    who: NpArray
    changes: NpArray  # of `who`: the spell ends or starts inside the period


# benefit, ages, share of the age band on it at any time, short/long durations (weeks), share long
BENEFITS: tuple[tuple[str, int, int, float, tuple[int, int], tuple[int, int], float], ...] = (
    ("kontanthjaelp", 30, 65, 0.030, (4, 30), (60, 400), 0.65),
    ("uddannelseshjaelp", 18, 30, 0.020, (4, 26), (52, 200), 0.45),
    ("dagpenge", 25, 65, 0.025, (4, 40), (40, 104), 0.2),
    ("sygedagpenge", 20, 67, 0.020, (2, 20), (26, 52), 0.2),
    ("foertidspension", 40, 65, 0.070, (400, 800), (400, 800), 1.0),
    ("fleksjob", 30, 65, 0.025, (100, 400), (100, 400), 1.0),
    ("ledighedsydelse", 30, 65, 0.004, (4, 40), (40, 100), 0.3),
    ("ressourceforloeb", 25, 65, 0.006, (52, 150), (52, 150), 1.0),
    ("revalidering", 20, 60, 0.001, (20, 80), (20, 80), 1.0),
)
CASH_OR_PENSION = (0, 1, 4)  # kontanthjaelp, uddannelseshjaelp, foertidspension: little work


def generate(
    out: str | Path,
    *,
    persons: int = 64_000,
    start: str = "2025-01",
    end: str = "2025-12",
    seed: int = 1,
    units: dict[str, list[str]] | None = None,
    file_format: str = "parquet",
) -> dict[str, int]:
    """Write synthetic registers for ``persons`` residents covering ``start``..``end`` (with the 52
    weeks of history before ``start``) to the folder ``out``; returns the row count per table.

    One seeded Generator draws the tables in the order of the contract, each from the people and
    spells drawn before it, so a seed gives the same registers whatever is read from them."""
    if persons < 1:
        raise EngineInputError("--persons must be at least 1")
    if file_format not in ("parquet", "csv"):
        raise EngineInputError("--format must be parquet or csv")
    months = MonthRange.parse(start, end)
    rng = np.random.default_rng(seed)
    t0 = _days(reference_week(months.first)) - 52 * 7
    t1 = _days(month_last(months.last)) + 31
    population, tables = _persons(rng, persons, t0, t1, _days(month_first(months.first)))
    tables["assignments"] = _assignments(rng, population, units or DEFAULT_UNITS)
    tables["benefit_weeks"], benefits = _benefit_weeks(rng, population)
    tables["education"], education = _education(rng, population)
    tables["employment_hours"] = _employment_hours(rng, population, months, benefits, education)
    tables["admissions"] = _admissions(rng, population)
    return _write(Path(out), tables, file_format)


def _persons(rng: np.random.Generator, n: int, t0: int, t1: int, ref: int) -> tuple[_Population, dict[str, pa.Table]]:
    """Age structure, a few people moving in or out during the period."""
    age = rng.choice(100, size=n, p=_age_weights())
    birth = ref - (age * 365.25).astype(np.int64) - rng.integers(0, 365, size=n)
    moves_in = rng.random(n) < 0.04
    moves_out = rng.random(n) < 0.04
    moved_in = rng.integers(t0, t1, size=n)
    moved_out = rng.integers(t0, t1, size=n)
    moved_out = np.where(moves_in & moves_out, np.maximum(moved_out, moved_in + 30), moved_out)
    pid = _pseudonyms(rng, n)
    gone = np.where(moves_out, moved_out, NEVER)
    persons = pa.table(
        {
            "person_id": pid,
            "birth_date": _dates(birth),
            "moved_in": _nullable_dates(moved_in, moves_in),
            "moved_out": _nullable_dates(moved_out, moves_out),
        }
    )
    return _Population(age, pid, t0, t1, gone), {"persons": persons}


def _assignments(rng: np.random.Generator, pop: _Population, units: dict[str, list[str]]) -> pa.Table:
    """Most people in each domain's age band; some change unit mid-period."""
    a_idx, a_dom, a_unit, a_from, a_to = [], [], [], [], []
    for domain, lo, hi, p in (("beskaeftigelse", 16, 67, 0.93), ("unge", 13, 31, 0.93), ("aeldre", 60, 100, 0.92)):
        chosen = np.flatnonzero((pop.age >= lo) & (pop.age < hi) & (rng.random(pop.n) < p))
        k = len(chosen)
        unit_ids = np.array(units[domain], dtype=object)
        first_unit = rng.integers(0, len(unit_ids), size=k)
        change = rng.random(k) < 0.06
        split = rng.integers(pop.t0, pop.t1, size=k)
        # from 2019 (or from before the first day generated, when that is earlier), so that a
        # change of unit never ends a span before it starts
        from_days = np.full(k, min(_days(dt.date(2019, 1, 1)), pop.t0 - 1))
        a_idx += [chosen, chosen[change]]
        a_dom += [np.full(k + int(change.sum()), domain, dtype=object)]
        a_unit += [unit_ids[first_unit], unit_ids[(first_unit[change] + 1) % len(unit_ids)]]
        a_from += [from_days, split[change]]
        a_to += [np.where(change, split - 1, -1), np.full(int(change.sum()), -1)]
    idx = np.concatenate(a_idx)
    to = np.concatenate(a_to)
    valid_from = np.concatenate(a_from)
    # a span ends the day before its person moves away; a span that would start later is dropped
    gone = pop.gone[idx]
    to = np.where(gone != NEVER, np.where(to >= 0, np.minimum(to, gone - 1), gone - 1), to)
    keep = (to < 0) | (to >= valid_from)
    idx, to, valid_from = idx[keep], to[keep], valid_from[keep]
    return pa.table(
        {
            "person_id": pop.pid.take(pa.array(idx)),
            "domain": pa.array(np.concatenate(a_dom)[keep].tolist(), pa.string()),
            "unit_id": pa.array(np.concatenate(a_unit)[keep].tolist(), pa.string()),
            "valid_from": _dates(valid_from),
            "valid_to": _nullable_dates(to, to >= 0),
        }
    )


def _benefit_weeks(rng: np.random.Generator, pop: _Population) -> tuple[pa.Table, _Benefits]:
    """At most one spell per person, stock shares at Danish levels, a few one-week gaps."""
    n_weeks = (pop.t1 - pop.t0) // 7
    free = np.ones(pop.n, dtype=bool)
    b_person, b_week, b_code = [], [], []
    for code, (_name, lo, hi, share, short, long, p_long) in enumerate(BENEFITS):
        band = np.flatnonzero((pop.age >= lo) & (pop.age < hi) & free)
        is_long = rng.random(len(band)) < p_long
        dur = np.where(is_long, rng.integers(*long, size=len(band)), rng.integers(*short, size=len(band)))
        mean_dur = float(dur.mean()) if len(dur) else 1.0
        p_spell = min(1.0, share * (n_weeks + mean_dur) / mean_dur)
        take = rng.random(len(band)) < p_spell
        who, dur = band[take], dur[take]
        free[who] = False
        first = rng.integers(-dur, n_weeks)  # spells may start before the history
        last = np.minimum(first + dur, n_weeks)
        first = np.maximum(first, 0)
        length = np.maximum(last - first, 0)
        rep = np.repeat(np.arange(len(who)), length)
        offs = np.arange(len(rep)) - np.repeat(np.cumsum(length) - length, length)
        b_person.append(who[rep])
        b_week.append(first[rep] + offs)
        b_code.append(np.full(len(rep), code, dtype=np.int8))
    bp, bw, bc = np.concatenate(b_person), np.concatenate(b_week), np.concatenate(b_code)
    keep = rng.random(len(bp)) > 0.01
    order = rng.permutation(int(keep.sum()))
    bp, bw, bc = bp[keep][order], bw[keep][order], bc[keep][order]
    stays = pop.t0 + bw * 7 < pop.gone[bp]  # no week that starts on or after the moving day
    bp, bw, bc = bp[stays], bw[stays], bc[stays]
    names = pa.array([b[0] for b in BENEFITS], pa.string())
    table = pa.table(
        {
            "person_id": pop.pid.take(pa.array(bp)),
            "week": _dates(pop.t0 + bw * 7),
            "benefit": names.take(pa.array(bc)),
        }
    )
    return table, _Benefits(bp, bw, bc)


def _education(rng: np.random.Generator, pop: _Population) -> tuple[pa.Table, _Education]:
    """Young people, by age; a share of spells ends or starts inside the period."""
    edu_p = np.interp(
        pop.age,
        [9, 10, 14, 15, 19, 20, 24, 25, 29, 30, 35],
        [0.0, 0.97, 0.97, 0.9, 0.85, 0.6, 0.5, 0.3, 0.2, 0.05, 0.0],
    )
    studying = rng.random(pop.n) < edu_p
    e_who = np.flatnonzero(studying)
    k = len(e_who)
    e_start = np.full(k, _days(dt.date(2018, 8, 1))) + rng.integers(0, 365 * 4, size=k)
    e_start = np.minimum(e_start, pop.t0)
    ends = rng.random(k) < 0.08
    starts_late = rng.random(k) < 0.05
    e_start = np.where(starts_late, rng.integers(pop.t0, pop.t1, size=k), e_start)
    e_end = np.where(ends, np.maximum(rng.integers(pop.t0, pop.t1, size=k), e_start), -1)
    # a study ends the day before its student moves away; one that would start later is dropped
    gone = pop.gone[e_who]
    e_end = np.where(gone != NEVER, np.where(e_end >= 0, np.minimum(e_end, gone - 1), gone - 1), e_end)
    here = (e_end < 0) | (e_end >= e_start)
    e_who, e_start, e_end = e_who[here], e_start[here], e_end[here]
    table = pa.table(
        {
            "person_id": pop.pid.take(pa.array(e_who)),
            "start_date": _dates(e_start),
            "end_date": _nullable_dates(e_end, e_end >= 0),
        }
    )
    return table, _Education(studying, e_who, (ends | starts_late)[here])


# young people outside education: the share in a spell of neither job nor education at any time,
# and the spells' lengths in months (short ones, and long ones for a few)
NEET_SHARE = 0.15
NEET_SHORT, NEET_LONG, NEET_P_LONG = (3, 13), (12, 40), 0.3
CASH_WORK_P = 0.18  # of those on cash benefit or pension: the share with a few hours in its months


def _work_probability(pop: _Population, education: _Education) -> tuple[NpArray, NpArray, NpArray]:
    """Each person's chance to work (when not on cash benefit or pension and not in a spell out of
    job and education), who studies all through the period (and works part-time), and the young
    people outside education (who work but for their spells out of both)."""
    work_p = np.interp(pop.age, [14, 15, 18, 25, 30, 60, 67, 68], [0.0, 0.45, 0.6, 0.9, 0.92, 0.85, 0.4, 0.0])
    leaves_school = np.zeros(pop.n, dtype=bool)
    leaves_school[education.who[education.changes]] = True
    young = (pop.age >= 16) & (pop.age < 30)
    work_p = np.where(young & leaves_school, 0.93, work_p)
    # from 13 at the start: the ones who turn 15 (and count as young people) during the period
    out_of_school = (pop.age >= 13) & (pop.age < 30) & ~education.studying
    work_p = np.where(out_of_school, 1.0, work_p)
    studies = education.studying & ~leaves_school
    work_p = np.where(studies, np.minimum(work_p, 0.45), work_p)
    return work_p, studies, out_of_school


def _month_of_days(days: NpArray) -> NpArray:
    """The month index (year * 12 + month - 1) of each day (days since 1970-01-01)."""
    return (days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + 1970 * 12).astype(np.int64)


def _on_cash_by_month(pop: _Population, benefits: _Benefits, first: int, last: int) -> list[NpArray]:
    """For each month from ``first`` to ``last``: the people on cash benefit or pension in a week of it."""
    cash = np.isin(benefits.code, CASH_OR_PENSION)
    person, month = benefits.person[cash], _month_of_days(pop.t0 + benefits.week[cash] * 7)
    order = np.argsort(month, kind="stable")
    person, month = person[order], month[order]
    bounds = np.searchsorted(month, np.arange(first, last + 2))
    return [np.unique(person[bounds[i] : bounds[i + 1]]) for i in range(last - first + 1)]


def _neet_spells(rng: np.random.Generator, who: NpArray, n_months: int) -> tuple[NpArray, NpArray, NpArray]:
    """Spells out of job and education for the young people ``who`` over ``n_months`` months:
    (person, first month offset, month offset after the last), drawn so that about NEET_SHARE of
    them are in a spell in any month, spells that started before the first month included."""
    k = len(who)
    is_long = rng.random(k) < NEET_P_LONG
    dur = np.where(is_long, rng.integers(*NEET_LONG, size=k), rng.integers(*NEET_SHORT, size=k))
    mean_dur = float(dur.mean()) if k else 1.0
    take = rng.random(k) < min(1.0, NEET_SHARE * (n_months + mean_dur) / mean_dur)
    first = rng.integers(-dur[take], n_months)
    return who[take], first, first + dur[take]


def _employment_hours(
    rng: np.random.Generator, pop: _Population, months: MonthRange, benefits: _Benefits, education: _Education
) -> pa.Table:
    """Hours per month (two months before the first .. the last), several employers for some.

    A month on cash benefit or pension has a few hours for some; a young person's spell out of job
    and education has none; no month from the one after the person moved away."""
    work_p, studies, out_of_school = _work_probability(pop, education)
    w_who = np.flatnonzero(rng.random(pop.n) < work_p)
    base = np.where(
        studies[w_who],
        rng.uniform(20, 70, size=len(w_who)),
        rng.uniform(110, 162, size=len(w_who)),
    )
    first_m, last_m = months.first - 2, months.last
    on_cash = _on_cash_by_month(pop, benefits, first_m, last_m)
    s_who, s_first, s_end = _neet_spells(rng, np.flatnonzero(out_of_school), last_m - first_m + 1)
    cash_worker = rng.random(pop.n) < CASH_WORK_P
    h_person, h_month, h_hours = [], [], []
    for offset, m in enumerate(range(first_m, last_m + 1)):
        day = _days(month_first(m))
        idle = np.zeros(pop.n, dtype=bool)
        idle[s_who[(s_first <= offset) & (offset < s_end)]] = True
        idle[on_cash[offset]] = True
        idle |= (pop.gone <= day) | (out_of_school & (pop.age + (m - months.first) / 12 < 15))
        active = (rng.random(len(w_who)) < 0.95) & ~idle[w_who]
        who = w_who[active]
        hours = np.round(base[active] * rng.uniform(0.85, 1.1, size=len(who)), 1)
        cash = on_cash[offset]
        cash = cash[cash_worker[cash] & (rng.random(len(cash)) < 0.95) & (pop.gone[cash] > day)]
        who = np.concatenate([who, cash])
        hours = np.concatenate([hours, np.round(rng.uniform(3, 35, size=len(cash)), 1)])
        second = rng.random(len(who)) < 0.08
        split = np.round(hours[second] * rng.uniform(0.2, 0.5, size=int(second.sum())), 1)
        hours[second] -= split
        h_person += [who, who[second]]
        h_month += [np.full(len(who) + int(second.sum()), day)]
        h_hours += [hours, split]
    hp = np.concatenate(h_person)
    order = rng.permutation(len(hp))
    return pa.table(
        {
            "person_id": pop.pid.take(pa.array(hp[order])),
            "month": _dates(np.concatenate(h_month)[order]),
            "hours": pa.array(np.concatenate(h_hours)[order], pa.float64()),
        }
    )


def _admissions(rng: np.random.Generator, pop: _Population) -> pa.Table:
    """The elderly often, some readmitted within 30 days; a fifth preventable."""
    years = (pop.t1 - pop.t0) / 365.25
    rate = np.where(pop.age >= 65, 0.30 + (pop.age - 65) * 0.012, 0.05)
    k_adm = rng.poisson(rate * years)
    ap = np.repeat(np.arange(pop.n), k_adm)
    admitted = rng.integers(pop.t0, pop.t1, size=len(ap))
    stay = rng.geometric(0.25, size=len(ap)) - 1
    readmit = rng.random(len(ap)) < 0.12
    r_admitted = admitted[readmit] + stay[readmit] + rng.integers(1, 31, size=int(readmit.sum()))
    ap = np.concatenate([ap, ap[readmit]])
    admitted = np.concatenate([admitted, r_admitted])
    stay = np.concatenate([stay, rng.geometric(0.25, size=int(readmit.sum())) - 1])
    preventable = rng.random(len(ap)) < 0.2
    order = rng.permutation(len(ap))
    order = order[admitted[order] < pop.gone[ap[order]]]  # no admission on or after the moving day
    return pa.table(
        {
            "person_id": pop.pid.take(pa.array(ap[order])),
            "admitted": _dates(admitted[order]),
            "discharged": _dates((admitted + stay)[order]),
            "preventable": pa.array(preventable[order]),
        }
    )


def _write(folder: Path, tables: dict[str, pa.Table], file_format: str) -> dict[str, int]:
    """Each table as Parquet (zstd) or CSV in `folder`; the row count per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in TABLES:
        t = tables[name]
        counts[name] = t.num_rows
        if file_format == "parquet":
            pq.write_table(t, folder / f"{name}.parquet", compression="zstd")
        else:
            plain = pa.table(
                {
                    c: (t[c].cast(t[c].type.value_type) if pa.types.is_dictionary(t[c].type) else t[c])
                    for c in t.column_names
                }
            )
            pacsv.write_csv(plain, folder / f"{name}.csv", pacsv.WriteOptions(quoting_style="needed"))
    return counts
