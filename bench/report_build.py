"""Time building committee reports (figures, sentences, charts, PDF) on the demo data.

    driftsblik demo --no-serve          # once, into DRIFTSBLIK_VAR_DIR (or DATABASE_URL)
    python bench/report_build.py [--period 2026Q3] [--runs 3]

For every committee, in one process: the snapshot (figures through the indicators app's selectors,
sentences, breakdowns, commentary, budget), the standalone document with the charts rendered to
SVG by vl-convert, and the PDF by WeasyPrint; the full status report and the budget follow-up.
The first run of the process is reported apart (it starts vl-convert's JavaScript engine and loads
the fonts). Baseline in the same run: a one-page PDF of the same fonts and style with no figures,
which is WeasyPrint's fixed cost. The goal: a full committee report under 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", help="Quarter (default: the last complete quarter with data).")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from driftsblik.core.periods import Month
    from driftsblik.indicators.pages import latest_month
    from driftsblik.organisation.models import Committee
    from driftsblik.reports.build import build_snapshot
    from driftsblik.reports.cadence import quarter_ending, report_period
    from driftsblik.reports.render import render_document, render_pdf

    if args.period:
        period = report_period(args.period)
    else:
        latest = latest_month() or Month(2026, 12)
        period = quarter_ending(latest.shift(-(latest.month % 3)))
    committees = list(Committee.objects.order_by("code"))
    if not committees:
        sys.exit("no committees: run `driftsblik demo --no-serve` first")

    def build(committee, kind):
        started = time.perf_counter()
        snapshot = build_snapshot(committee=committee, period=period, kind=kind)
        figures = time.perf_counter()
        document = render_document(snapshot)
        rendered = time.perf_counter()
        pdf = render_pdf(document)
        done = time.perf_counter()
        blocks = sum(len(a["indicators"]) for a in snapshot["task_areas"])
        return figures - started, rendered - figures, done - rendered, done - started, len(pdf), blocks

    first = build(committees[0], "status")
    print(
        f"period {period}; first build in this process ({committees[0].code}): {first[3]:.2f} s "
        f"(figures {first[0]:.2f}, document and charts {first[1]:.2f}, PDF {first[2]:.2f})"
    )
    baseline = []
    for _ in range(args.runs):
        started = time.perf_counter()
        render_pdf(
            "<html><head><style>@font-face{font-family:'DejaVu Sans';src:url(DejaVuSans.ttf)}"
            "body{font-family:'DejaVu Sans'}</style></head><body><h1>Sammenfatning</h1><p>Tekst.</p></body></html>"
        )
        baseline.append(time.perf_counter() - started)
    base = statistics.median(baseline)
    print(f"baseline one-page PDF: {base:.3f} s (median of {args.runs})")
    head = ("committee", "kind", "indicators", "figures", "doc+svg", "pdf", "total", "x base", "bytes")
    print("{:<9} {:<7} {:>10} {:>8} {:>8} {:>6} {:>7} {:>7} {:>8}".format(*head))
    worst = 0.0
    for committee in committees:
        for kind in ("status", "budget"):
            runs = [build(committee, kind) for _ in range(args.runs)]
            med = [statistics.median(r[i] for r in runs) for i in range(4)]
            worst = max(worst, max(r[3] for r in runs))
            print(
                f"{committee.code:<9} {kind:<7} {runs[0][5]:>10} {med[0]:>8.2f} {med[1]:>8.2f} {med[2]:>6.2f} "
                f"{med[3]:>7.2f} {med[3] / base:>7.1f} {runs[0][4]:>8,}"
            )
    print(f"slowest single build: {worst:.2f} s (goal < 10 s)")


if __name__ == "__main__":
    main()
