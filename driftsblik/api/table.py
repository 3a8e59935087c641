"""The flat table for Power BI and Excel: one row per indicator, unit and month, with target and status.

The rows are the figures the heat table and the scorecards show the person: `selectors.figures`
for the unit and the units under it that the person sees, month by month, hidden as the
suppression pattern says (the same figure hidden the same way on every page and
download). Rows are ordered by indicator,
unit and month; a cursor names the last row given, so the next page starts after it whatever was
loaded between the calls.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from ninja import Router

from driftsblik.api import convert
from driftsblik.api.params import (
    CursorParam,
    EndParam,
    FormatParam,
    IndicatorsParam,
    LevelsParam,
    LimitParam,
    OptionalYearParam,
    StartParam,
    UnitParam,
)
from driftsblik.api.read import ERRORS
from driftsblik.api.schemas import TablePage
from driftsblik.core.periods import Month, Period, PeriodError, month_range
from driftsblik.indicators import pages, selectors
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.viewer import Viewer, viewer_of

router = Router(tags=["table"])
CSV_DESCRIPTION = "format=csv: the rows as CSV (UTF-8, comma, decimal point) / Dansk: rækkerne som CSV"
DEFAULT_LIMIT, MAX_LIMIT = 5000, 50000
COLUMNS = (
    "indicator",
    "indicator_name",
    "unit_id",
    "unit_name",
    "parent_id",
    "level",
    "period",
    "value",
    "numerator",
    "denominator",
    "target",
    "year_target",
    "months",
    "target_method",
    "status",
    "suppressed",
    "shown_as",
)


def _cursor_key(cursor: str | None) -> tuple[str, str, str] | None:
    if not cursor:
        return None
    try:
        code, unit_id, month = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
        return str(code), str(unit_id), str(Month.parse(month))
    except (ValueError, TypeError, binascii.Error, PeriodError):
        raise BadRequest("cursor: not a cursor this API gave") from None


def _cursor(row: dict[str, object]) -> str:
    key = json.dumps([row["indicator"], row["unit_id"], row["period"]])
    return base64.urlsafe_b64encode(key.encode()).decode()


def table_rows(
    viewer: Viewer, unit_id: str, months: list[Month], indicators: list[Indicator], levels: int
) -> list[dict[str, object]]:
    """Every row of the table for the person, ordered by indicator code, unit id and month."""
    viewer.access(unit_id)
    below = [(u, lvl) for u, lvl in viewer.tree.descendants(unit_id, levels) if viewer.sees(u)]
    units = [(unit_id, 0), *below]
    unit_ids = [u for u, _ in units]
    periods = [Period.month(month) for month in months]
    # every month at once: one read of the observations and one of the targets for the whole request
    figs = selectors.figures_by_period(
        viewer.user, indicators, unit_ids, periods, trees=viewer.trees, visible=viewer.visible
    )
    rows: list[dict[str, object]] = []
    for month, period in zip(months, periods, strict=True):
        for indicator in indicators:
            for unit, level in units:
                figure = figs[(indicator.code, unit, period)]
                if figure.cell is None and figure.target is None:
                    continue
                row = convert.figure_out(figure, viewer.name(unit))
                row.update(
                    indicator_name=indicator.name,
                    parent_id=viewer.tree.parent.get(unit),
                    level=level,
                    period=str(month),
                )
                rows.append(row)
    rows.sort(key=lambda r: (r["indicator"], r["unit_id"], r["period"]))
    return rows


def _csv(rows: Iterable[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in COLUMNS})
    return out.getvalue()


@router.get(
    "/table",
    response={200: TablePage, **ERRORS},
    summary="Flat table for Power BI and Excel / Flad tabel til Power BI og Excel",
    openapi_extra={
        "responses": {200: {"content": {"text/csv": {"schema": {"type": "string", "description": CSV_DESCRIPTION}}}}}
    },
)
def table(
    request: HttpRequest,
    unit: UnitParam = None,
    year: OptionalYearParam = None,
    start: StartParam = None,
    end: EndParam = None,
    indicator: IndicatorsParam = None,
    levels: LevelsParam = None,
    format: FormatParam = "json",  # noqa: A002  # the parameter's public name
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> object:
    """One row per indicator, unit and month: the unit (by default the person's own) and the units
    under it that the person sees, `levels` levels down (by default the visibility radius). Months:
    `year` (a budget year), or `start`..`end` (YYYY-MM), by default the budget year of the latest month
    with data. `format=csv` gives CSV (UTF-8, comma, decimal point) with the next page's address in
    a `Link` header; `limit` rows a page (at most 50,000); `cursor` from the previous page.

    Dansk: én række pr. indikator, enhed og måned for enheden og de enheder under den, personen ser."""
    viewer = viewer_of(request)
    if format not in ("json", "csv"):
        raise BadRequest("format: json or csv")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit: 1 to {MAX_LIMIT}")
    depth = settings.VISIBILITY_RADIUS if levels is None else levels
    if not 0 <= depth <= 10:
        raise BadRequest("levels: 0 to 10")
    if unit is None:
        homes = viewer.home_units()
        if not homes:
            raise BadRequest("unit: you lead no unit; name one")
        unit = homes[0]
    months = _months(year, start, end)
    inds = [pages.indicator_or_404(c) for c in indicator] if indicator else list(Indicator.objects.all())
    rows = table_rows(viewer, unit, months, inds, depth)
    after = _cursor_key(cursor)
    if after is not None:
        rows = [r for r in rows if (r["indicator"], r["unit_id"], r["period"]) > after]
    page, more = rows[:limit], len(rows) > limit
    next_cursor = _cursor(page[-1]) if more and page else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")
    if format == "csv":
        response = HttpResponse(_csv(page), content_type="text/csv; charset=utf-8")
        if next_url:
            response["Link"] = f'<{next_url}>; rel="next"'
        return response
    # Written straight to JSON: the rows are built above in TablePage's shape (the tests hold them
    # to the schema), and validating some 40,000 fields again costs more than building them.
    body = json.dumps({"rows": page, "next_cursor": next_cursor, "next": next_url}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")


def _months(year: int | None, start: str | None, end: str | None) -> list[Month]:
    try:
        if year is not None:
            if start or end:
                raise BadRequest("year or start/end, not both")
            return Period.parse(str(year)).months
        stop = Month.parse(end) if end else pages.latest_month()
        if stop is None:
            return []
        first = Month.parse(start) if start else Month(stop.year, 1)
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None
    if first > stop:
        raise BadRequest("start is after end")
    months = month_range(first, stop)
    if len(months) > 36:
        raise BadRequest("at most 36 months at a time")
    return months
