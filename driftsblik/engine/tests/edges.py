"""A hand-built register folder covering the edges, with the answers worked out by hand.

Months computed: 2025-01..2025-03. Month ends: Fri 31 Jan, Fri 28 Feb, Mon 31 Mar; reference
weeks (Mondays): 27 Jan, 24 Feb, 31 Mar. January's 52-week window: 5 Feb 2024..27 Jan 2025.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

D = dt.date
REF_JAN = D(2025, 1, 27)


def weeks_ending(last: dt.date, n: int) -> list[dt.date]:
    """The ``n`` Mondays ending with ``last``."""
    return [last - dt.timedelta(weeks=k) for k in range(n)]


class Builder:
    """Collects register rows and writes them as CSV files."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {
            "persons": [],
            "assignments": [],
            "benefit_weeks": [],
            "employment_hours": [],
            "education": [],
            "admissions": [],
        }

    def person(
        self,
        pid: str,
        born: dt.date,
        moved_in: dt.date | None = None,
        moved_out: dt.date | None = None,
        **units: str | list[tuple[str, dt.date, dt.date | None]],
    ) -> None:
        self.rows["persons"].append(
            {"person_id": pid, "birth_date": born, "moved_in": moved_in, "moved_out": moved_out}
        )
        for domain, spec in units.items():
            spans = [(spec, D(2020, 1, 1), None)] if isinstance(spec, str) else spec
            for unit, start, end in spans:
                self.rows["assignments"].append(
                    {"person_id": pid, "domain": domain, "unit_id": unit, "valid_from": start, "valid_to": end}
                )

    def weeks(self, pid: str, weeks: list[dt.date], benefit: str | list[str] = "kontanthjaelp") -> None:
        for i, w in enumerate(weeks):
            b = benefit if isinstance(benefit, str) else benefit[i % len(benefit)]
            self.rows["benefit_weeks"].append({"person_id": pid, "week": w, "benefit": b})

    def hours(self, pid: str, month: dt.date, *hours: float) -> None:
        for h in hours:
            self.rows["employment_hours"].append({"person_id": pid, "month": month, "hours": h})

    def education(self, pid: str, start: dt.date, end: dt.date | None) -> None:
        self.rows["education"].append({"person_id": pid, "start_date": start, "end_date": end})

    def admission(self, pid: str, admitted: dt.date, discharged: dt.date, preventable: bool) -> None:
        self.rows["admissions"].append(
            {
                "person_id": pid,
                "admitted": admitted,
                "discharged": discharged,
                "preventable": "true" if preventable else "false",
            }
        )

    def write(self, folder: Path, shuffle: bool = True) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        from driftsblik.engine.contract import TABLES

        for name, rows in self.rows.items():
            rows = list(reversed(rows)) if shuffle else rows  # not pre-sorted
            with open(folder / f"{name}.csv", "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(TABLES[name]))
                w.writeheader()
                for r in rows:
                    w.writerow({k: "" if v is None else v for k, v in r.items()})
        return folder


def edge_registers() -> Builder:
    b = Builder()
    # --- cash benefit (beskaeftigelse, unit E-CASH), all aged 39, resident
    adult = D(1985, 6, 1)
    b.person("c41", adult, beskaeftigelse="E-CASH")
    b.weeks("c41", weeks_ending(REF_JAN, 41))  # 41 weeks: not long-term
    b.person("c42", adult, beskaeftigelse="E-CASH")
    b.weeks("c42", weeks_ending(D(2025, 2, 24), 46), "uddannelseshjaelp")  # 42 in Jan, 46 in Feb
    b.person("c43", adult, beskaeftigelse="E-CASH")
    b.weeks("c43", weeks_ending(REF_JAN, 43), ["kontanthjaelp", "uddannelseshjaelp"])
    b.hours("c43", D(2025, 1, 1), 0.5, 0.5)  # two employers: in work
    b.person("c41w", adult, beskaeftigelse="E-CASH")  # 41 in window + 1 week before it
    b.weeks("c41w", [*weeks_ending(REF_JAN, 41), D(2024, 1, 29)])
    b.person("c42w", adult, beskaeftigelse="E-CASH")  # 41 + the window's first week
    b.weeks("c42w", [*weeks_ending(REF_JAN, 41), D(2024, 2, 5)])
    b.hours("c42w", D(2025, 1, 1), 0.0)  # zero hours: not in work
    b.person("cgap", adult, beskaeftigelse="E-CASH")  # not on benefit in the ref week
    b.weeks("cgap", weeks_ending(D(2025, 1, 20), 45))
    b.person("cdag", adult, beskaeftigelse="E-CASH")
    b.weeks("cdag", weeks_ending(REF_JAN, 52), "dagpenge")
    b.person("cun", adult)  # no assignment: _unassigned
    b.weeks("cun", weeks_ending(REF_JAN, 42))

    # --- youth (unge, unit E-UNG)
    b.person("y15", D(2010, 3, 15), unge="E-UNG")  # turns 15 in March
    b.person("y15e", D(2010, 3, 31), unge="E-UNG")  # turns 15 on 31 March
    b.education("y15e", D(2025, 3, 31), None)
    b.person("y15n", D(2010, 4, 1), unge="E-UNG")  # still 14
    b.person("y29", D(1996, 3, 10), unge="E-UNG")  # turns 29 in March
    b.person("y30", D(1995, 3, 31), unge="E-UNG")  # turns 30 on 31 March
    b.hours("y30", D(2025, 1, 1), 25, 15)  # 40 hours from two employers
    b.person("y30b", D(1995, 3, 20), unge="E-UNG")  # turns 30 on 20 March
    b.person("yedu2", D(2005, 1, 1), unge="E-UNG")
    b.education("yedu2", D(2024, 9, 1), D(2025, 1, 30))  # ends the day before 31 Jan
    b.person("yedu3", D(2005, 1, 1), unge="E-UNG")
    b.education("yedu3", D(2024, 9, 1), D(2025, 1, 31))  # ends on 31 Jan (inclusive)
    b.person("yh39", D(2004, 5, 5), unge="E-UNG")
    b.hours("yh39", D(2025, 2, 1), 20, 20)
    b.hours("yh39", D(2025, 3, 1), 39.5)
    b.person("yopen", D(2003, 1, 1), unge="E-UNG")
    b.education("yopen", D(2020, 8, 1), None)  # open-ended
    b.person("ymovein", D(2000, 6, 6), moved_in=D(2025, 2, 15), unge="E-UNG")
    b.person("ymoveout", D(2000, 6, 6), moved_out=D(2025, 3, 31), unge="E-UNG")
    b.person("ymoveout2", D(2000, 6, 6), moved_out=D(2025, 4, 1), unge="E-UNG")
    b.hours("ymoveout2", D(2025, 3, 1), 100)
    b.person("ychg", D(2001, 1, 1), unge=[("E-UNG", D(2020, 1, 1), D(2025, 2, 14)), ("E-UNG2", D(2025, 2, 15), None)])
    b.education("ychg", D(2019, 8, 1), None)
    b.person("ynoassign", D(2001, 1, 1))

    # --- elderly (aeldre, unit E-OLD)
    b.person("o1", D(1950, 5, 5), aeldre="E-OLD")
    b.admission("o1", D(2025, 1, 2), D(2025, 1, 5), True)
    b.admission("o1", D(2025, 2, 4), D(2025, 2, 6), False)  # day 30: a readmission
    b.person("o2", D(1950, 5, 5), aeldre="E-OLD")
    b.admission("o2", D(2025, 1, 8), D(2025, 1, 10), False)
    b.admission("o2", D(2025, 2, 10), D(2025, 2, 12), True)  # day 31: not
    b.person("o3", D(1950, 5, 5), aeldre="E-OLD")
    b.admission("o3", D(2025, 1, 12), D(2025, 1, 15), False)
    b.admission("o3", D(2025, 1, 15), D(2025, 1, 20), False)  # same day: not
    b.person("o4", D(1960, 1, 20), aeldre="E-OLD")  # 65 on 20 Jan
    b.admission("o4", D(2025, 1, 18), D(2025, 1, 20), True)  # admitted at 64
    b.admission("o4", D(2025, 2, 1), D(2025, 2, 3), False)
    b.person("o5", D(1960, 1, 21), aeldre="E-OLD")  # 65 on 21 Jan
    b.admission("o5", D(2025, 1, 18), D(2025, 1, 20), True)  # 64 on both dates
    b.person("o6", D(1940, 1, 1), aeldre=[("E-OLD", D(2020, 1, 1), D(2025, 1, 31)), ("E-OLD2", D(2025, 2, 1), None)])
    b.admission("o6", D(2025, 1, 29), D(2025, 1, 31), False)
    b.admission("o6", D(2025, 2, 20), D(2025, 2, 25), True)
    b.person("o7", D(1940, 1, 1), moved_out=D(2025, 1, 11), aeldre="E-OLD")
    b.admission("o7", D(2025, 1, 8), D(2025, 1, 12), True)  # moved out before discharge
    b.person("o8", D(1945, 1, 1))  # no aeldre assignment
    b.admission("o8", D(2025, 3, 1), D(2025, 3, 3), True)
    return b


# (indicator, unit, period) -> (numerator, denominator or None)
C, CW = "cash_benefit_long_term", "cash_benefit_long_term_in_work"
Y, N = "youth_in_job_or_education", "youth_neet_3m"
R, P = "elderly_readmission_30d", "elderly_preventable_admissions_per_1000"
U = "_unassigned"
EXPECTED: dict[tuple[str, str, str], tuple[int, int | None]] = {
    # c42, c43, c42w (41 weeks, 41 + a week before the window, and not-in-ref-week are out)
    (C, "E-CASH", "2025-01"): (3, None),
    (C, "E-CASH", "2025-02"): (1, None),
    (C, U, "2025-01"): (1, None),
    (C, U, "2025-02"): (0, None),
    (C, U, "2025-03"): (0, None),
    (CW, "E-CASH", "2025-01"): (1, 3),
    (CW, "E-CASH", "2025-02"): (0, 1),
    (CW, U, "2025-01"): (0, 1),
    (Y, "E-UNG", "2025-01"): (4, 10),
    (Y, "E-UNG", "2025-02"): (2, 10),
    (Y, "E-UNG", "2025-03"): (3, 9),
    (Y, "E-UNG2", "2025-02"): (1, 1),
    (Y, "E-UNG2", "2025-03"): (1, 1),
    (Y, U, "2025-01"): (0, 1),
    (Y, U, "2025-02"): (0, 1),
    (Y, U, "2025-03"): (0, 1),
    (N, "E-UNG", "2025-01"): (5, None),
    (N, "E-UNG", "2025-02"): (5, None),  # y29, y30b, ymovein, ymoveout, ymoveout2
    (N, "E-UNG", "2025-03"): (4, None),
    (N, "E-UNG2", "2025-02"): (0, None),
    (N, "E-UNG2", "2025-03"): (0, None),
    (N, U, "2025-01"): (1, None),
    (N, U, "2025-02"): (1, None),
    (N, U, "2025-03"): (1, None),
    (R, "E-OLD", "2025-01"): (3, 6),
    (R, "E-OLD", "2025-02"): (0, 3),
    (R, "E-OLD2", "2025-02"): (0, 1),
    (R, U, "2025-03"): (0, 1),
    (P, "E-OLD", "2025-01"): (2, 6),
    (P, "E-OLD", "2025-02"): (1, 5),
    (P, "E-OLD", "2025-03"): (0, 5),
    (P, "E-OLD2", "2025-02"): (1, 1),
    (P, "E-OLD2", "2025-03"): (0, 1),
    (P, U, "2025-01"): (0, 1),
    (P, U, "2025-02"): (0, 1),
    (P, U, "2025-03"): (1, 1),
}
