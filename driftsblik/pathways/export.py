"""The pathway as an Excel workbook: exactly the page's (suppressed) tables, one sheet each."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from driftsblik.indicators.suppression import SECONDARY, SMALL
from driftsblik.pathways.selectors import PathwayView, Shown
from driftsblik.ui import excel
from driftsblik.ui.downloads import file_name


def count(shown: Shown) -> Any:
    """A count as the page shows it: the number, or by its mark '<5' or 'x' (with the sheet's note)."""
    return excel.hidden(SMALL if shown.small else SECONDARY) if shown.hidden else excel.number(shown.n)


def workbook(view: PathwayView, context: dict[str, Any]) -> tuple[str, bytes]:
    """(file name, xlsx bytes) of the pathway's tables as the person sees them."""
    result = view.result
    header = [
        (_("Cohort"), str(context["cohort_label"])),
        (_("Unit"), str(context["unit_name"])),
        (_("Month 0"), view.months[0]["label"] if view.months else result.cohort_month),
        (_("Persons in the cohort"), count(view.size)),
        (_("Small numbers"), _("suppressed (<5)") if view.suppressed else _("not suppressed (analyst)")),
        excel.downloaded_by(context["viewer"].user),
    ]
    months = excel.Table(_("Status month by month"), [_("Month"), _("Months after"), *view.status_labels])
    for m in view.months:
        months.add(m["label"], m["offset"], *(count(c) for c in m["cells"]))
    transitions = excel.Table(_("Transitions"), [_("Month"), _("From"), _("To"), _("Persons")])
    for t in view.transitions:
        transitions.add(t["label"], t["from"], t["to"], count(t["persons"]))
    silos = excel.Table(
        _("Across silos"),
        [_("Counted"), _("Number involved"), _("Persons"), _("In job or education at the end"), _("Share")],
    )
    for dim, label in (("units", _("Units")), ("domains", _("Domains"))):
        for r in view.silos.get(dim, []):
            involved = int(r.bucket) if r.bucket.isdigit() else r.label  # 0, 1, 2, 3 as numbers; '4 or more'
            silos.add(label, involved, count(r.persons), count(r.outcome), excel.percent(r.share_value))
    for table in (months, transitions, silos):
        table.header = header
    unit = context["unit_id"] or "kommune"
    name = file_name("driftsblik", "forloeb", result.cohort, result.start, unit, extension="xlsx")
    return name, excel.workbook([months, transitions, silos])
