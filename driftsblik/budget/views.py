"""Budget follow-up pages: /budget/ (the person's own units), /budget/enhed/<unit>/ and the Excel download.

Thin views: the figures come from `selectors` (visibility applied: a unit outside the person's
view is a 404) and `unitcosts`; the page shows a unit with its children, the month-by-month chart,
the forecast method and the unit costs, for the budget year of the chosen month.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from driftsblik.budget import selectors
from driftsblik.budget.charts import cumulative_spend_spec
from driftsblik.budget.models import LedgerImport, LedgerMonth
from driftsblik.budget.unitcosts import unit_costs
from driftsblik.core.periods import Month, Period, PeriodError
from driftsblik.indicators import pages
from driftsblik.organisation.models import UNASSIGNED_UNIT_ID
from driftsblik.organisation.viewer import Viewer, viewer_of
from driftsblik.ui import excel, place
from driftsblik.ui.downloads import download, file_name

THOUSAND = Decimal(1000)


def _through(request: HttpRequest, *, strict: bool = False) -> tuple[Month | None, str]:
    """The last month of spending to show, and a notice when the asked period does not exist.

    The period comes from the query string, else the one chosen on an earlier page (`ui.place`);
    a quarter or a year means its last month (the latest month of the ledger when it falls inside).
    A period that does not exist shows the latest month with a notice; `strict` (a download) makes
    it a 400 instead, since a file must hold the period asked for or none."""
    latest = selectors.latest_ledger_month()
    text = place.period_text(request)
    if not text:
        return latest, ""
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        if strict:
            raise BadRequest(str(exc)) from None
        return latest, pages.period_notice(text, latest.label_da if latest else "–")
    through = period.stop
    if latest is not None and period.start <= latest < through:
        through = latest
    return through, ""


def _month_options(through: Month | None) -> list[dict[str, Any]]:
    months = [
        Month.of(d)
        for d in LedgerMonth.objects.filter(kind=selectors.SPENT)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()[:36]
    ]
    if through is not None and through not in months:
        months.insert(0, through)
    return [{"value": str(m), "label": m.label_da, "selected": m == through} for m in months]


def _context(viewer: Viewer, unit_id: str, through: Month | None) -> dict[str, Any]:
    viewer.access(unit_id)
    context: dict[str, Any] = {
        "unit_id": unit_id,
        "unit_name": viewer.name(unit_id),
        "breadcrumb": pages.breadcrumb(viewer, unit_id),
        "through": through,
        "month_options": _month_options(through),
        "loaded_at": LedgerImport.objects.values_list("created_at", flat=True).first(),
        "tolerance": selectors.TOLERANCE_PCT,
    }
    if through is None:
        return context
    year = through.year
    ledger = selectors.Ledger(year, trees=viewer.trees)
    figures = selectors.unit_budget(user=viewer.user, unit_id=unit_id, year=year, through=through, ledger=ledger)
    children = selectors.children_budget(user=viewer.user, unit_id=unit_id, year=year, through=through, ledger=ledger)
    monthly = selectors.unit_monthly(user=viewer.user, unit_id=unit_id, year=year, through=through, ledger=ledger)
    chart = cumulative_spend_spec(
        monthly=monthly,
        labels={
            "this_year": _("Spending %(year)s") % {"year": year},
            "last_year": _("Spending %(year)s") % {"year": year - 1},
            "budget": _("Corrected budget, spread by last year's profile"),
            "value": _("Million DKK, cumulated"),
            "month": _("Month"),
        },
        description=_(
            "%(unit)s: spending cumulated month by month in %(year)s, against last year and the corrected budget"
        )
        % {"unit": viewer.name(unit_id), "year": year},
    )
    context.update(
        {
            "year": year,
            "figures": figures,
            "children": children,
            "rows": [(figures, True), *((c, False) for c in children)],
            "unattached_note": pages.unattached_text()
            if any(c.unit_id == UNASSIGNED_UNIT_ID for c in children)
            else None,
            "chart": chart,
            "costs": unit_costs(user=viewer.user, unit_id=unit_id, year=year, through=through, ledger=ledger),
        }
    )
    return context


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The budget follow-up of the person's own unit (one of them, chosen with ?enhed=)."""
    viewer = viewer_of(request)
    homes = viewer.home_units()
    chosen, asked = place.chosen_unit(request, homes, viewer.landing_unit())
    if chosen is not None and chosen not in homes:
        raise Http404("Not one of your units")
    if chosen is not None and asked:
        place.keep_unit(request, chosen, home=True)
    through, notice = _through(request)
    context: dict[str, Any] = {"homes": [(u, viewer.name(u)) for u in homes], "through": through}
    if chosen is not None:
        context.update(_context(viewer, chosen, through))
    context["period_notice"] = notice
    return render(request, "budget/overview.html", context)


@require_GET
@login_required
def unit(request: HttpRequest, unit_id: str) -> HttpResponse:
    """The budget follow-up of a unit the person sees, with its children."""
    viewer = viewer_of(request)
    through, notice = _through(request)
    context = _context(viewer, unit_id, through)
    place.keep_unit(request, unit_id)
    context["period_notice"] = notice
    return render(request, "budget/unit.html", context)


def _thousands(value: Decimal | None) -> excel.Cell:
    """An amount in DKK as whole 1,000 DKK, as the page shows it."""
    return excel.number(None if value is None else value / THOUSAND, 0)


@require_GET
@login_required
def export_table(request: HttpRequest, unit_id: str) -> HttpResponse:
    """The page's follow-up table as an Excel workbook: the same rows and columns, in 1,000 DKK."""
    viewer = viewer_of(request)
    through, _notice = _through(request, strict=True)
    viewer.access(unit_id)
    if through is None:
        raise Http404("No ledger loaded")
    context = _context(viewer, unit_id, through)
    table = excel.Table(
        _("Budget follow-up"),
        [
            _("Unit"),
            _("Original budget (1,000 DKK)"),
            _("Corrected budget (1,000 DKK)"),
            _("Spent to date (1,000 DKK)"),
            _("Spent, per cent of budget"),
            _("Forecast for the year (1,000 DKK)"),
            _("Deviation (1,000 DKK)"),
            _("Deviation, per cent"),
            _("Status"),
        ],
    )
    for figures, _own in context["rows"]:
        table.add(
            figures.label,
            _thousands(figures.original),
            _thousands(figures.corrected),
            _thousands(figures.spent),
            excel.percent(figures.spent_pct),
            _thousands(figures.forecast),
            _thousands(figures.deviation),
            excel.percent(figures.deviation_pct),
            excel.status(figures.status, "budget"),
        )
    period = _("budget year %(year)s, spending through %(month)s") % {"year": through.year, "month": through.label_da}
    table.header = [
        (_("Unit"), f"{viewer.name(unit_id)} ({unit_id})"),
        (_("Period"), period),
        (_("Forecast method"), context["figures"].method),
        excel.downloaded_by(viewer.user),
    ]
    name = file_name("driftsblik", "budget", unit_id, through, extension="xlsx")
    return download(excel.workbook([table]), name)
