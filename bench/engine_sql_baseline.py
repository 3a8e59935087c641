"""Hand-written DuckDB SQL for the four cash-benefit and youth register indicators (a baseline).

The same definitions as ``driftsblik.engine`` (DESIGN.md "Register indicators") written as one
SQL statement over the Parquet registers, the way an analyst who knows DuckDB would write them:
no validation, no progress, no Django. ``bench/engine_process.py`` times ``driftsblik indicators
compute`` as a whole process against this script as a whole process;
``driftsblik/engine/tests/test_sql_baseline.py`` checks that both give identical output.

    python bench/engine_sql_baseline.py REGISTERS 2025-01 2025-12 --out FILE.parquet
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

INDICATORS = (
    "cash_benefit_long_term",
    "cash_benefit_long_term_in_work",
    "youth_in_job_or_education",
    "youth_neet_3m",
)

SQL = """
WITH
months AS (
    SELECT m AS m_first, last_day(m) AS m_end,
           last_day(m) - CAST(isodow(last_day(m)) - 1 AS INTEGER) AS ref
    FROM generate_series(DATE '{start}', DATE '{end}', INTERVAL 1 MONTH) AS t(m)
),
persons AS (SELECT * FROM read_parquet('{r}/persons.parquet')),
assignments AS (SELECT * FROM read_parquet('{r}/assignments.parquet')),
hours AS (
    SELECT person_id, month, sum(hours) AS hours
    FROM read_parquet('{r}/employment_hours.parquet')
    WHERE month BETWEEN DATE '{start}' - INTERVAL 2 MONTH AND DATE '{end}'
    GROUP BY ALL
),
cash_weeks AS (
    SELECT person_id, week FROM read_parquet('{r}/benefit_weeks.parquet')
    WHERE benefit IN ('kontanthjaelp', 'uddannelseshjaelp')
      AND week BETWEEN DATE '{start}' - INTERVAL 53 WEEK AND DATE '{end}' + INTERVAL 1 MONTH
),
cash AS (
    -- people on benefit in a month's reference week, with their benefit weeks in the 52 before
    SELECT o.person_id, o.m_first, o.m_end, count(*) AS n
    FROM (SELECT DISTINCT w.person_id, mo.m_first, mo.m_end, mo.ref
          FROM cash_weeks w JOIN months mo ON w.week = mo.ref) o
    JOIN cash_weeks w ON w.person_id = o.person_id AND w.week BETWEEN o.ref - INTERVAL 51 WEEK AND o.ref
    GROUP BY ALL
),
cash_pop AS (
    SELECT c.person_id, c.m_first, c.m_end, c.n >= 42 AS long_term,
           coalesce(a.unit_id, '_unassigned') AS unit_id
    FROM cash c
    JOIN persons p ON p.person_id = c.person_id
    LEFT JOIN assignments a ON a.person_id = c.person_id AND a.domain = 'beskaeftigelse'
        AND a.valid_from <= c.m_end AND (a.valid_to IS NULL OR a.valid_to >= c.m_end)
    WHERE (p.moved_in IS NULL OR p.moved_in <= c.m_end) AND (p.moved_out IS NULL OR c.m_end < p.moved_out)
),
young AS (
    SELECT p.person_id, mo.m_first, mo.m_end, coalesce(a.unit_id, '_unassigned') AS unit_id
    FROM (SELECT * FROM persons
          WHERE birth_date > DATE '{start}' - INTERVAL 31 YEAR AND birth_date <= DATE '{end}' - INTERVAL 14 YEAR) p
    CROSS JOIN months mo
    LEFT JOIN assignments a ON a.person_id = p.person_id AND a.domain = 'unge'
        AND a.valid_from <= mo.m_end AND (a.valid_to IS NULL OR a.valid_to >= mo.m_end)
    WHERE (p.moved_in IS NULL OR p.moved_in <= mo.m_end) AND (p.moved_out IS NULL OR mo.m_end < p.moved_out)
      AND year(mo.m_end) - year(p.birth_date)
          - CAST(month(mo.m_end) * 100 + day(mo.m_end) < month(p.birth_date) * 100 + day(p.birth_date) AS INTEGER)
          BETWEEN 15 AND 29
),
active AS (
    SELECT DISTINCT person_id, m_end FROM (
        SELECT person_id, last_day(month) AS m_end FROM hours WHERE hours >= 40
        UNION ALL
        SELECT e.person_id, mo.m_end
        FROM read_parquet('{r}/education.parquet') e
        JOIN (SELECT last_day(m) AS m_end
              FROM generate_series(DATE '{start}' - INTERVAL 2 MONTH, DATE '{end}', INTERVAL 1 MONTH) AS t(m)) mo
          ON e.start_date <= mo.m_end AND (e.end_date IS NULL OR e.end_date >= mo.m_end)
    )
),
young_status AS (
    SELECT y.person_id, y.m_end, y.unit_id,
           coalesce(bool_or(a.m_end = y.m_end), false) AS active_now,
           count(a.person_id) = 0 AS neet_3m
    FROM young y
    LEFT JOIN active a ON a.person_id = y.person_id
        AND a.m_end BETWEEN last_day(y.m_first - INTERVAL 2 MONTH) AND y.m_end
    GROUP BY ALL
),
rows AS (
    SELECT 'cash_benefit_long_term' AS indicator, unit_id, m_end,
           count(*) FILTER (long_term) AS numerator, NULL::BIGINT AS denominator
    FROM cash_pop GROUP BY ALL
    UNION ALL
    SELECT 'cash_benefit_long_term_in_work', c.unit_id, c.m_end,
           count(h.person_id), count(*)
    FROM cash_pop c
    LEFT JOIN hours h ON h.person_id = c.person_id AND h.month = c.m_first AND h.hours > 0
    WHERE c.long_term GROUP BY ALL
    UNION ALL
    SELECT 'youth_in_job_or_education', unit_id, m_end, count(*) FILTER (active_now), count(*)
    FROM young_status GROUP BY ALL
    UNION ALL
    SELECT 'youth_neet_3m', unit_id, m_end, count(*) FILTER (neet_3m), NULL::BIGINT
    FROM young_status GROUP BY ALL
    UNION ALL
    SELECT i.indicator, '_unassigned', mo.m_end, 0, NULL::BIGINT
    FROM (VALUES ('cash_benefit_long_term'), ('youth_neet_3m')) i(indicator), months mo
)
SELECT indicator, unit_id, strftime(m_end, '%Y-%m') AS period,
       max(numerator)::BIGINT AS numerator, max(denominator)::BIGINT AS denominator,
       CASE WHEN max(denominator) IS NULL THEN max(numerator)::DOUBLE
            ELSE 100.0 * max(numerator) / max(denominator) END AS value
FROM rows
GROUP BY ALL
ORDER BY indicator, unit_id, period
"""


def query(registers: Path, start: str, end: str) -> str:
    """The statement for the months ``start``..``end`` (YYYY-MM) over the Parquet files in ``registers``."""
    return SQL.format(r=registers.as_posix(), start=f"{start}-01", end=f"{end}-01")


def compute(registers: Path, start: str, end: str) -> duckdb.DuckDBPyRelation:
    return duckdb.connect().sql(query(registers, start, end))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("registers", type=Path)
    parser.add_argument("start")
    parser.add_argument("end")
    parser.add_argument("--out", help="Write the output to this .parquet or .csv file.")
    args = parser.parse_args()
    con = duckdb.connect()
    sql = query(args.registers, args.start, args.end)
    if args.out:
        fmt = "PARQUET" if args.out.endswith(".parquet") else "CSV, HEADER"
        con.execute(f"COPY ({sql}) TO '{args.out}' (FORMAT {fmt})")
    else:
        print(len(con.execute(sql).fetchall()), "rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
