"""A straightforward pandas implementation of the six register indicators (the benchmark baseline).

Same definitions as ``driftsblik.engine`` (DESIGN.md "Register indicators"), written the way one
would first write them: read every table into pandas, then for each month filter, merge and
group. ``bench/engine.py`` times it against the engine, and ``compare()`` checks that both give
identical output on a generated population.

    python bench/engine_pandas_baseline.py REGISTERS 2025-01 2025-12 [--out FILE.csv]
"""

from __future__ import annotations

import argparse
import calendar
import sys
from pathlib import Path

import pandas as pd

UNASSIGNED = "_unassigned"
CASH = ("kontanthjaelp", "uddannelseshjaelp")
COUNTS = ("cash_benefit_long_term", "youth_neet_3m")
SHARES = ("cash_benefit_long_term_in_work", "youth_in_job_or_education", "elderly_readmission_30d")
DATES = {
    "persons": ["birth_date", "moved_in", "moved_out"],
    "assignments": ["valid_from", "valid_to"],
    "benefit_weeks": ["week"],
    "employment_hours": ["month"],
    "education": ["start_date", "end_date"],
    "admissions": ["admitted", "discharged"],
}


def read(folder: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name, dates in DATES.items():
        pq_path, csv_path = folder / f"{name}.parquet", folder / f"{name}.csv"
        df = pd.read_parquet(pq_path) if pq_path.exists() else pd.read_csv(csv_path, dtype={"person_id": str})
        for c in dates:
            df[c] = pd.to_datetime(df[c])
        for c in df.columns:
            if isinstance(df[c].dtype, pd.CategoricalDtype):
                df[c] = df[c].astype(str)
        if name == "admissions" and df["preventable"].dtype != bool:
            df["preventable"] = df["preventable"].astype(str).str.lower().isin(["true", "1", "t"])
        tables[name] = df
    return tables


def months(start: str, end: str) -> list[tuple[int, int]]:
    y, m = map(int, start.split("-"))
    y2, m2 = map(int, end.split("-"))
    out = []
    while (y, m) <= (y2, m2):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def shift(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + m - 1 + k
    return i // 12, i % 12 + 1


def last_day(y: int, m: int) -> pd.Timestamp:
    return pd.Timestamp(y, m, calendar.monthrange(y, m)[1])


def age_on(birth: pd.Series, d: pd.Series | pd.Timestamp) -> pd.Series:
    if isinstance(d, pd.Timestamp):
        before = (d.month * 100 + d.day) < (birth.dt.month * 100 + birth.dt.day)
        return d.year - birth.dt.year - before.astype(int)
    before = (d.dt.month * 100 + d.dt.day) < (birth.dt.month * 100 + birth.dt.day)
    return d.dt.year - birth.dt.year - before.astype(int)


def resident(df: pd.DataFrame, d: pd.Series | pd.Timestamp) -> pd.Series:
    return (df["moved_in"].isna() | (df["moved_in"] <= d)) & (df["moved_out"].isna() | (d < df["moved_out"]))


def attribute(df: pd.DataFrame, date_col: str, assignments: pd.DataFrame, domain: str) -> pd.Series:
    a = assignments[assignments["domain"] == domain]
    keyed = df[["person_id", date_col]].reset_index()
    j = keyed.merge(a, on="person_id", how="inner")
    ok = (j["valid_from"] <= j[date_col]) & (j["valid_to"].isna() | (j["valid_to"] >= j[date_col]))
    j = j[ok].drop_duplicates("index").set_index("index")
    return j["unit_id"].reindex(df.index).fillna(UNASSIGNED)


def rows_for(code: str, period: str, df: pd.DataFrame) -> list[dict[str, object]]:
    """df has unit_id, num (0/1), one row per population member (den = rows)."""
    g = df.groupby("unit_id")["num"].agg(["sum", "count"]) if len(df) else pd.DataFrame(columns=["sum", "count"])
    out = []
    for unit, r in g.iterrows():
        out.append(
            {
                "indicator": code,
                "unit_id": unit,
                "period": period,
                "numerator": int(r["sum"]),
                "denominator": int(r["count"]),
            }
        )
    if code in COUNTS and UNASSIGNED not in g.index:
        out.append({"indicator": code, "unit_id": UNASSIGNED, "period": period, "numerator": 0, "denominator": 0})
    return out


def compute(folder: Path, start: str, end: str) -> pd.DataFrame:
    t = read(folder)
    p, a = t["persons"], t["assignments"]
    bw, eh, ed, adm = t["benefit_weeks"], t["employment_hours"], t["education"], t["admissions"]
    hours = eh.groupby(["person_id", "month"], as_index=False)["hours"].sum()
    rows: list[dict[str, object]] = []

    def active(y: int, m: int, people: pd.Series) -> set[str]:
        e = last_day(y, m)
        h = hours[(hours["month"] == pd.Timestamp(y, m, 1)) & (hours["hours"] >= 40)]
        s = ed[(ed["start_date"] <= e) & (ed["end_date"].isna() | (ed["end_date"] >= e))]
        return (set(h["person_id"]) | set(s["person_id"])) & set(people)

    for y, m in months(start, end):
        period = f"{y:04d}-{m:02d}"
        e = last_day(y, m)
        ref = e - pd.Timedelta(days=e.weekday())
        ws = ref - pd.Timedelta(weeks=51)
        res = p[resident(p, e)]
        # cash benefit
        w = bw[bw["benefit"].isin(CASH) & (bw["week"] >= ws) & (bw["week"] <= ref)]
        per = w.assign(on_ref=w["week"] == ref).groupby("person_id").agg(n=("week", "size"), on_ref=("on_ref", "any"))
        pop = res.merge(per[per["on_ref"]].reset_index(), on="person_id")
        pop["unit_id"] = attribute(pop.assign(d=e), "d", a, "beskaeftigelse").values
        pop["num"] = (pop["n"] >= 42).astype(int)
        rows += rows_for("cash_benefit_long_term", period, pop)
        lt = pop[pop["num"] == 1].copy()
        worked = set(hours[(hours["month"] == pd.Timestamp(y, m, 1)) & (hours["hours"] > 0)]["person_id"])
        lt["num"] = lt["person_id"].isin(worked).astype(int)
        rows += rows_for("cash_benefit_long_term_in_work", period, lt)
        # youth
        ages = age_on(res["birth_date"], e)
        young = res[(ages >= 15) & (ages <= 29)].copy()
        young["unit_id"] = attribute(young.assign(d=e), "d", a, "unge").values
        act = [active(*shift(y, m, -k), young["person_id"]) for k in range(3)]
        young["num"] = young["person_id"].isin(act[0]).astype(int)
        rows += rows_for("youth_in_job_or_education", period, young)
        young["num"] = (~young["person_id"].isin(act[0] | act[1] | act[2])).astype(int)
        rows += rows_for("youth_neet_3m", period, young)
        # elderly: readmissions
        first = pd.Timestamp(y, m, 1)
        d = adm[(adm["discharged"] >= first) & (adm["discharged"] <= e)].merge(p, on="person_id")
        d = d[resident(d, d["discharged"]) & (age_on(d["birth_date"], d["discharged"]) >= 65)].copy()
        pairs = d[["person_id", "discharged"]].drop_duplicates().merge(adm[["person_id", "admitted"]], on="person_id")
        pairs = pairs[
            (pairs["admitted"] > pairs["discharged"])
            & (pairs["admitted"] <= pairs["discharged"] + pd.Timedelta(days=30))
        ]
        again = set(zip(pairs["person_id"], pairs["discharged"], strict=True))
        d["num"] = [int((pid, dd) in again) for pid, dd in zip(d["person_id"], d["discharged"], strict=True)]
        d["unit_id"] = attribute(d, "discharged", a, "aeldre").values
        rows += rows_for("elderly_readmission_30d", period, d)
        # elderly: preventable admissions per 1000
        old = res[age_on(res["birth_date"], e) >= 65].copy()
        old["unit_id"] = attribute(old.assign(d=e), "d", a, "aeldre").values
        den = old.groupby("unit_id").size()
        v = adm[adm["preventable"] & (adm["admitted"] >= first) & (adm["admitted"] <= e)].merge(p, on="person_id")
        v = v[resident(v, v["admitted"]) & (age_on(v["birth_date"], v["admitted"]) >= 65)].copy()
        v["unit_id"] = attribute(v, "admitted", a, "aeldre").values
        num = v.groupby("unit_id").size()
        for unit in sorted(set(den.index) | set(num.index)):
            rows.append(
                {
                    "indicator": "elderly_preventable_admissions_per_1000",
                    "unit_id": unit,
                    "period": period,
                    "numerator": int(num.get(unit, 0)),
                    "denominator": int(den.get(unit, 0)),
                }
            )
    out = pd.DataFrame(rows, columns=["indicator", "unit_id", "period", "numerator", "denominator"])
    out = out[(out["indicator"].isin(COUNTS)) | (out["denominator"] > 0)].copy()
    scale = out["indicator"].map(lambda c: 100.0 if c in SHARES else 1000.0)
    out["value"] = (scale * out["numerator"] / out["denominator"]).where(
        ~out["indicator"].isin(COUNTS), out["numerator"].astype(float)
    )
    out["denominator"] = out["denominator"].where(~out["indicator"].isin(COUNTS)).astype("Int64")
    return out.sort_values(["indicator", "unit_id", "period"]).reset_index(drop=True)


def compare(engine_rows: list[dict[str, object]], baseline: pd.DataFrame) -> list[str]:
    """Differences between engine output rows and the baseline (empty when identical)."""

    def key(r: dict[str, object]) -> tuple[object, ...]:
        den = r["denominator"]
        den = None if den is None or pd.isna(den) else int(den)  # type: ignore[arg-type]
        return (
            r["indicator"],
            r["unit_id"],
            r["period"],
            int(r["numerator"]),
            den,  # type: ignore[call-overload]
            round(float(r["value"]), 6),
        )  # type: ignore[arg-type]

    a = sorted(key(r) for r in engine_rows)
    b = sorted(key(r) for r in baseline.to_dict("records"))
    return [f"engine {x} != baseline {y}" for x, y in zip(a, b, strict=False) if x != y] + (
        [f"row counts differ: engine {len(a)}, baseline {len(b)}"] if len(a) != len(b) else []
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("registers")
    parser.add_argument("start")
    parser.add_argument("end")
    parser.add_argument("--out")
    args = parser.parse_args()
    out = compute(Path(args.registers), args.start, args.end)
    if args.out:
        out.to_csv(args.out, index=False)
    else:
        print(len(out), "rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
