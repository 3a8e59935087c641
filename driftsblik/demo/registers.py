"""The six register indicators of the demo, computed by the register engine over synthetic registers.

`driftsblik registers generate` writes pseudonymised person-level registers for the demo's
residents (assigned to the units JOB-T01..08, UNG-T01..05 and HJP-D01..08), the engine computes
the indicators month by month (`driftsblik.engine.compute`, the same as `driftsblik indicators
compute`), and the output is loaded through `observations_import`. Targets for these indicators
are set from the computed figures: each year's level at each unit and above, a little ambitious.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from driftsblik.demo.indicators import INDICATORS, REGISTER_CODES
from driftsblik.demo.organisation import DemoOrganisation, register_teams

REGISTER_GENERATE_COMMAND = "registers"
REGISTER_UNITS_FILE = "register_units.csv"


def load_register_indicators(
    *,
    directory: Path,
    organisation: DemoOrganisation,
    persons: int,
    first_month: str,
    last_month: str,
    seed: int,
    say=print,
) -> str:
    """Generate registers, compute the register indicators, load them and their targets; returns a note."""
    from django.core.management import call_command

    from driftsblik.demo.build import REGISTER_OBSERVATIONS_FILE, REGISTER_TARGETS_FILE, REGISTERS_DIR
    from driftsblik.engine import compute, write_output
    from driftsblik.indicators.services import ensure_unassigned_unit, observations_import, targets_import

    started = time.perf_counter()
    registers = directory / REGISTERS_DIR
    units = directory / REGISTER_UNITS_FILE
    with units.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [("domain", "unit_id")] + [(d, u) for d, us in register_teams(organisation).items() for u in us]
        )
    call_command(
        REGISTER_GENERATE_COMMAND,
        "generate",
        "--persons",
        str(persons),
        "--from",
        first_month,
        "--to",
        last_month,
        "--out",
        str(registers),
        "--seed",
        str(seed),
        "--units",
        str(units),
    )
    output = compute(registers, first_month, last_month, indicators=list(REGISTER_CODES))
    observations = directory / REGISTER_OBSERVATIONS_FILE
    write_output(output, observations)
    ensure_unassigned_unit()
    observations_import(path=observations)
    targets = directory / REGISTER_TARGETS_FILE
    rows = register_targets(output.to_pylist(), organisation, np.random.default_rng(seed))
    with targets.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(("indicator", "unit_id", "year", "target"))
        writer.writerows(rows)
    targets_import(path=targets)
    say(
        f"  {'registers':<13} {persons:,} persons, {output.num_rows:,} figures in "
        f"{time.perf_counter() - started:.1f} s ({observations})"
    )
    return ""


def register_targets(
    rows: list[dict], organisation: DemoOrganisation, rng: np.random.Generator
) -> list[tuple[str, str, int, str]]:
    """Targets per register indicator, unit (and every unit above it) and year from the computed figures.

    A unit's yearly level is its roll-up (sum over sum across units; flows add up, stocks the year's
    mean of monthly figures), moved a little in the better direction.
    """
    by_code = {i.code: i for i in INDICATORS}
    sums: dict[tuple[str, str, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    months: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in rows:
        code, unit, period = row["indicator"], row["unit_id"], row["period"]
        year = int(period[:4])
        months[(code, year)].add(period)
        day = dt.date(year, 12, 31)
        chain = [unit] if unit not in organisation.units else [unit, *organisation.ancestors(unit, day)]
        for target_unit in chain:
            if target_unit not in organisation.units:
                continue
            cell = sums[(code, target_unit, year)]
            cell[0] += float(row["numerator"] or 0)
            cell[1] += float(row["denominator"] or 0)
    result = []
    for (code, unit, year), (num, den, _) in sorted(sums.items()):
        ind = by_code[code]
        if ind.measure == "count":
            value = num if ind.temporal == "flow" else num / max(len(months[(code, year)]), 1)
        elif den:
            value = (1000.0 if ind.measure == "rate_per_1000" else 100.0) * num / den
        else:
            continue
        direction = 1.0 if ind.direction == "higher" else -1.0
        value *= 1 + direction * float(rng.uniform(0.0, 0.04))
        if ind.measure == "share":
            value = min(value, 100.0)
        result.append((code, unit, year, f"{max(value, 0.0):.1f}"))
    return result
