"""The demo's monthly figures and yearly targets, generated with numpy from one seeded Generator.

For every indicator with a recipe (driftsblik.demo.indicators) and every operational unit that
reports it, a matrix units x months of expected numerators and denominators is built from the
unit's size, the indicator's level, seasonality (summer holiday dips, winter peaks in home care,
no school in July), a trend and a spread between units; the figures draw noise around it
(Poisson counts, binomial shares, random walks for stocks). A few units are made clearly worse
than planned from the summer of the previous year on: they are off target, and `FigureSet.off_target`
names them. Targets are set per unit and budget year from the expected figures (without the
deterioration), a little ambitious; a parent's target comes from its leaves' expected figures
with its own ambition, so it may differ from the roll-up of its children's targets.

Everything is generated for whole budget years and cut at the last complete month, so the figures
of a month do not depend on when the demo is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from driftsblik.core.periods import Month
from driftsblik.demo.indicators import INDICATORS, OFF_TARGET_CANDIDATES, DemoIndicator
from driftsblik.demo.organisation import DemoOrganisation, DemoUnit

_ONES = [1.0] * 12
SEASONS: dict[str, list[float]] = {
    "flat": _ONES,
    "summer_dip": [1.0, 1.02, 1.03, 0.98, 0.97, 0.95, 0.55, 0.85, 1.05, 1.04, 1.02, 0.9],
    "summer_share": [1.0, 1.02, 1.03, 0.98, 0.97, 0.95, 0.55, 0.85, 1.05, 1.04, 1.02, 0.9],
    "winter_peak": [1.07, 1.06, 1.02, 0.99, 0.97, 0.95, 0.92, 0.94, 0.98, 1.0, 1.03, 1.07],
    "winter_peak_stock": [1.03, 1.03, 1.01, 1.0, 0.99, 0.98, 0.97, 0.98, 0.99, 1.0, 1.01, 1.02],
    "school": [1.0, 0.95, 1.05, 0.85, 0.95, 0.6, 0.0, 0.7, 1.05, 0.9, 1.05, 0.75],
    "school_share": [1.0, 0.95, 1.05, 0.85, 0.95, 0.6, 0.0, 0.7, 1.05, 0.9, 1.05, 0.75],
    "daycare": [0.97, 0.98, 0.99, 1.0, 1.01, 1.02, 1.02, 0.94, 0.95, 0.96, 0.97, 0.97],
    "daycare_starts": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.3, 1.8, 1.2, 1.0, 1.0, 0.7],
    "library": [1.05, 1.05, 1.05, 0.95, 0.9, 0.85, 0.75, 0.9, 1.0, 1.05, 1.1, 0.95],
    "sports": [1.1, 1.1, 1.05, 0.95, 0.85, 0.7, 0.4, 0.8, 1.05, 1.1, 1.1, 0.9],
    "road": [1.2, 1.3, 1.5, 1.4, 1.1, 0.9, 0.6, 0.8, 0.8, 0.9, 0.9, 0.7],
    "road_share": [1.2, 1.3, 1.5, 1.4, 1.1, 0.9, 0.6, 0.8, 0.8, 0.9, 0.9, 0.7],
    "waste": [0.85, 0.85, 0.95, 1.1, 1.15, 1.1, 1.05, 1.1, 1.05, 1.0, 0.95, 0.85],
    "building": [0.85, 0.9, 1.05, 1.1, 1.1, 1.05, 0.7, 0.9, 1.1, 1.1, 1.05, 0.9],
    "overtime": [1.1, 1.05, 1.0, 0.95, 0.95, 1.1, 1.4, 1.2, 0.95, 0.95, 1.0, 1.15],
    "sickness": _ONES,
    "turnover": _ONES,
    "spend": [0.92, 0.95, 1.0, 1.0, 1.12, 0.98, 0.9, 0.95, 1.0, 1.0, 1.02, 1.16],
}
SHARE_SHIFTS: dict[str, list[float]] = {
    "sickness": [0.012, 0.013, 0.006, 0.0, -0.004, -0.006, -0.012, -0.006, 0.0, 0.003, 0.006, 0.009],
    "summer_share": [0.0, 0.0, 0.0, 0.0, 0.0, -0.01, -0.035, -0.015, 0.0, 0.0, 0.0, -0.005],
    "school": [0.01, 0.012, 0.004, 0.0, -0.004, -0.006, 0.0, -0.008, -0.006, 0.0, 0.004, 0.008],
    "road_share": [-0.08, -0.1, -0.08, -0.04, 0.0, 0.02, 0.02, 0.02, 0.01, 0.0, -0.02, -0.05],
    "waste": [-0.03, -0.03, -0.01, 0.02, 0.03, 0.03, 0.02, 0.02, 0.01, 0.0, -0.01, -0.03],
    "turnover": [0.0, 0.0, -0.002, 0.0, 0.0, 0.004, 0.008, 0.004, 0.0, -0.002, -0.002, 0.002],
}
WORKDAYS = [20.5, 19.5, 20.0, 19.0, 18.5, 19.0, 11.0, 18.0, 21.0, 20.0, 20.0, 16.5]
"""Planned workdays per full-time employee in each month, after holidays."""


@dataclass
class OffTarget:
    """A unit made clearly worse than its target in the demo, for the summary."""

    indicator: DemoIndicator
    unit: DemoUnit


@dataclass
class FigureSet:
    """Observations and targets as rows of the import contracts, and the units placed off target."""

    observations: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    targets: list[tuple[str, str, int, str]] = field(default_factory=list)
    off_target: list[OffTarget] = field(default_factory=list)


def budget_months(first_year: int, last_year: int) -> list[Month]:
    return [Month(y, m) for y in range(first_year, last_year + 1) for m in range(1, 13)]


def reporting_units(org: DemoOrganisation, indicator: DemoIndicator) -> list[DemoUnit]:
    """The operational units that report an indicator: teams, and institutions without teams."""
    leaves = org.leaves()
    if indicator.domains == ("*",):
        return leaves
    return [u for u in leaves if u.domain in indicator.domains]


def _fmt(values: np.ndarray, decimals: int) -> list[str]:
    if decimals == 0:
        return [str(v) for v in np.rint(values).astype(np.int64).tolist()]
    return [f"{v:.{decimals}f}" for v in values.tolist()]


def generate_figures(
    org: DemoOrganisation,
    rng: np.random.Generator,
    *,
    first_year: int,
    last_month: Month,
) -> FigureSet:
    """Monthly observations from January of `first_year` to `last_month`, and targets for each year."""
    months = budget_months(first_year, last_month.year)
    cal = np.array([m.month - 1 for m in months])
    years_since = np.arange(len(months)) / 12.0
    shown = np.array([m <= last_month for m in months])
    off_start = months.index(Month(last_month.year - 1, 7)) if Month(last_month.year - 1, 7) in months else 0
    ramp = np.clip((np.arange(len(months)) - off_start + 1) / 6.0, 0.0, 1.0)
    periods = [str(m) for m in months]

    off_picks = _pick_off_target(org, rng)
    result = FigureSet(off_target=[OffTarget(i, u) for i, u in off_picks.values()])
    for indicator in INDICATORS:
        if indicator.model == "register":
            continue
        units = reporting_units(org, indicator)
        if not units:
            continue
        off = np.array([off_picks.get(indicator.code, (None, None))[1] is u for u in units])
        exp_num, exp_den, num, den = _simulate(indicator, units, rng, cal, years_since, ramp, off)
        _observation_rows(result, indicator, units, num, den, shown, periods)
        _target_rows(result, org, indicator, units, exp_num, exp_den, months, rng)
    return result


def _pick_off_target(org: DemoOrganisation, rng: np.random.Generator) -> dict[str, tuple[DemoIndicator, DemoUnit]]:
    by_code = {i.code: i for i in INDICATORS}
    picks = {}
    for code, domain in OFF_TARGET_CANDIDATES:
        candidates = [u for u in org.leaves() if u.domain == domain]
        if candidates:
            picks[code] = (by_code[code], candidates[int(rng.integers(len(candidates)))])
    return picks


def _simulate(
    ind: DemoIndicator,
    units: list[DemoUnit],
    rng: np.random.Generator,
    cal: np.ndarray,
    years: np.ndarray,
    ramp: np.ndarray,
    off: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Expected numerators/denominators (plan, without deterioration) and the drawn figures, units x months."""
    n, m = len(units), len(cal)
    staff = np.array([u.staff for u in units])[:, None]
    load = staff if ind.per_staff else np.array([u.load for u in units])[:, None]
    season = np.array(SEASONS.get(ind.season, _ONES))[cal][None, :]
    shift = np.array(SHARE_SHIFTS.get(ind.season, [0.0] * 12))[cal][None, :]
    worse = (off[:, None] * ramp[None, :]).astype(float)
    lower = ind.direction == "lower"

    if ind.model == "count":
        unit_effect = np.exp(rng.normal(0.0, ind.spread, (n, 1)))
        expected = ind.level * load * unit_effect * season * (1.0 + ind.trend) ** years[None, :]
        actual = expected * (1.0 + worse * (0.6 if lower else -0.3))
        if ind.temporal == "stock" and actual.max() < 5:
            drawn = rng.poisson(actual).astype(float)
        elif ind.temporal == "stock":
            walk = np.cumsum(rng.normal(0.0, 0.012, (n, m)), axis=1)
            drawn = np.maximum(actual * (1.0 + walk), 0.0)
            drawn = np.round(drawn, ind.decimals)
        elif ind.decimals:
            drawn = np.round(np.maximum(rng.normal(actual, 0.04 * actual + 0.1), 0.0), ind.decimals)
        else:
            drawn = rng.poisson(actual).astype(float)
        return expected, None, drawn, None

    if ind.model == "fte":
        walk = np.cumsum(rng.normal(0.0, ind.spread / 4, (n, m)), axis=1)
        expected = np.repeat(staff, m, axis=1)
        drawn = np.round(np.maximum(expected * (1.0 + walk), 0.5), 1)
        return expected, None, drawn, None

    if ind.model == "staff":
        exp_den = staff * np.array(WORKDAYS)[cal][None, :]
        den = np.round(exp_den * rng.normal(1.0, 0.02, (n, m)))
        p = np.clip(ind.rate + rng.normal(0.0, ind.spread, (n, 1)) + shift + ind.trend * years[None, :], 0.005, 0.5)
        p_actual = np.clip(p + worse * 0.05, 0.0, 0.9)
        num = rng.binomial(den.astype(np.int64), p_actual).astype(float)
        return exp_den * p, exp_den, num, den

    exp_den = ind.level * load * season
    if ind.model == "share":
        p = np.clip(ind.rate + rng.normal(0.0, ind.spread, (n, 1)) + shift + ind.trend * years[None, :], 0.01, 0.995)
        p_actual = np.clip(p * (1.0 + 0.8 * worse) if lower else p - 0.10 * worse, 0.0, 1.0)
        if ind.temporal == "stock" or ind.per_staff:
            walk = np.cumsum(rng.normal(0.0, 0.01, (n, m)), axis=1)
            den = np.maximum(np.round(exp_den * (1.0 + walk)), 0.0)
        else:
            den = rng.poisson(exp_den).astype(float)
        num = rng.binomial(den.astype(np.int64), p_actual).astype(float)
        return exp_den * p, exp_den, num, den

    if ind.model == "ratio":
        mean = ind.rate * np.exp(rng.normal(0.0, ind.spread, (n, 1))) * (1.0 + ind.trend) ** years[None, :]
        mean_actual = mean * (1.0 + worse * (0.7 if lower else -0.3))
        den = rng.poisson(exp_den).astype(float)
        num = np.round(den * mean_actual * np.exp(rng.normal(0.0, 0.1, (n, m))))
        return exp_den * mean, exp_den, num, den

    raise ValueError(f"{ind.code}: unknown demo model {ind.model!r}")


def _observation_rows(
    result: FigureSet,
    ind: DemoIndicator,
    units: list[DemoUnit],
    num: np.ndarray,
    den: np.ndarray | None,
    shown: np.ndarray,
    periods: list[str],
) -> None:
    keep = np.repeat(shown[None, :], len(units), axis=0)
    if den is not None:
        keep &= den > 0
    rows, cols = np.nonzero(keep)
    numerators = _fmt(num[rows, cols], ind.decimals)
    denominators = _fmt(den[rows, cols], 0) if den is not None else [""] * len(rows)
    unit_ids = [u.id for u in units]
    result.observations.extend(
        zip(
            [ind.code] * len(rows),
            [unit_ids[r] for r in rows.tolist()],
            [periods[c] for c in cols.tolist()],
            numerators,
            denominators,
            strict=True,
        )
    )


def _value(ind: DemoIndicator, num: float, den: float | None) -> float:
    if den is None:
        return num
    if not den:
        return 0.0
    return 100.0 * num / den if ind.model in {"share", "staff"} else num / den


def _round_target(ind: DemoIndicator, value: float) -> str:
    if ind.model in {"share", "staff"}:
        return f"{min(max(value, 0.0), 100.0):.1f}"
    if ind.model == "ratio" or ind.decimals or value < 100:
        return f"{max(value, 0.0):.1f}"
    return str(round(value))


def _over_year(ind: DemoIndicator, values: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """A year's expected figure per unit: flows add up over the months, stocks take the mean level."""
    return values[:, cols].mean(axis=1) if ind.temporal == "stock" else values[:, cols].sum(axis=1)


def _target_rows(
    result: FigureSet,
    org: DemoOrganisation,
    ind: DemoIndicator,
    units: list[DemoUnit],
    exp_num: np.ndarray,
    exp_den: np.ndarray | None,
    months: list[Month],
    rng: np.random.Generator,
) -> None:
    """Targets per year for the reporting units and every unit above them (tree at the year's end)."""
    direction = 1.0 if ind.direction == "higher" else -1.0
    years = sorted({m.year for m in months})
    for year in years:
        cols = np.array([m.year == year for m in months])
        num_year = _over_year(ind, exp_num, cols)
        den_year = _over_year(ind, exp_den, cols) if exp_den is not None else None
        ambition = rng.uniform(-0.01, 0.04, len(units))
        parents: dict[str, list[float]] = {}
        day = dt.date(year, 12, 31)
        for i, unit in enumerate(units):
            den_i = float(den_year[i]) if den_year is not None else None
            value = _value(ind, float(num_year[i]), den_i)
            result.targets.append((ind.code, unit.id, year, _round_target(ind, value * (1 + direction * ambition[i]))))
            for parent in org.ancestors(unit.id, day):
                total = parents.setdefault(parent, [0.0, 0.0])
                total[0] += float(num_year[i])
                total[1] += den_i or 0.0
        parent_ambition = rng.uniform(0.0, 0.03, len(parents))
        for (parent, (num_p, den_p)), a in zip(parents.items(), parent_ambition, strict=True):
            value = _value(ind, num_p, den_p if exp_den is not None else None)
            result.targets.append((ind.code, parent, year, _round_target(ind, value * (1 + direction * a))))
