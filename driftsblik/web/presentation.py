"""An indicator page as a slide: the committee's indicators at one unit and period, one a slide.

The deck of an indicator is every indicator of the committee its task area belongs to, in the
committee report's order (task area, then the indicators' own order); an indicator without a task
area is in the deck of the other indicators without one. Every slide is at the same unit and period
(`/praesentation/<indicator>/<unit>/?periode=`), read through the visibility rule like the
indicator page itself: a unit outside the person's view is a 404.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from driftsblik.core.periods import Month, Period
from driftsblik.indicators import pages, selectors
from driftsblik.indicators.models import Indicator
from driftsblik.indicators.suppression import SECONDARY
from driftsblik.organisation.viewer import Viewer
from driftsblik.reports.sentences import indicator_sentence
from driftsblik.ui import excel
from driftsblik.ui.formats import value_da
from driftsblik.ui.presentation import Deck, Slide, deck_at, projector_spec


def committee_indicators(indicator: Indicator) -> list[Indicator]:
    """The deck's indicators: those of the committee the indicator's task area belongs to, in order."""
    qs = Indicator.objects.select_related("task_area", "task_area__committee")
    if indicator.task_area is None:
        qs = qs.filter(task_area__isnull=True)
    else:
        qs = qs.filter(task_area__committee_id=indicator.task_area.committee_id)
    return list(qs.order_by("task_area__code", "sort_order", "code"))


def slide_url(code: str, unit_id: str, period: Period) -> str:
    return f"{reverse('presentation', args=[code, unit_id])}?{urlencode({'periode': str(period)})}"


def indicator_deck(viewer: Viewer, indicator: Indicator, unit_id: str, period: Period, notice: str = "") -> Deck:
    """Where the indicator sits among its committee's indicators, at the unit and period."""
    deck = committee_indicators(indicator)
    codes = [i.code for i in deck]
    area = indicator.task_area
    title = area.committee.name if area is not None else _("Indicators without a task area")
    exit_url = f"{reverse('indicator', args=[indicator.code, unit_id])}?{urlencode({'periode': str(period)})}"
    return deck_at(
        title=title,
        labels=[i.name for i in deck],
        position=codes.index(indicator.code) + 1,
        url_of=lambda n: slide_url(codes[n - 1], unit_id, period),
        exit_url=exit_url,
        notice=notice,
    )


def indicator_slide(viewer: Viewer, indicator: Indicator, unit_id: str, period: Period, latest: Month | None) -> Slide:
    """The figure, target, status, chart and sentence of the indicator at the unit, as the person sees it."""
    viewer.access(unit_id)
    code = indicator.code
    now = selectors.figures(viewer.user, [indicator], [unit_id], period, trees=viewer.trees, visible=viewer.visible)
    before = selectors.figures(
        viewer.user, [indicator], [unit_id], period.previous(), trees=viewer.trees, visible=viewer.visible
    )
    figure, previous = now[(code, unit_id)], before[(code, unit_id)]
    trend = pages.trend(viewer, indicator, unit_id, period, latest)
    sentence = indicator_sentence(
        name=indicator.name,
        measure=indicator.measure,
        value=figure.value,
        previous=previous.value,
        target=trend.year_target,
        year=period.year,
        period_label=period.label_da,
        suppressed=figure.suppressed is not None,
        previous_suppressed=previous.suppressed is not None,
    )
    if figure.cell is None and not figure.suppressed:
        sentence = _("There are no figures for %(period)s yet.") % {"period": period.label_da}
    return Slide(
        heading=indicator.name,
        place=viewer.name(unit_id),
        period_label=period.label_da,
        value_text=value_da(indicator, figure.value, suppressed=figure.suppressed),
        target_label=_("Target"),
        target_text=value_da(indicator, figure.target),
        status=figure.shown_status,
        sentence=sentence,
        description=indicator.description,
        chart=projector_spec(trend.spec),
        note=_suppression_note(figure.suppressed),
    )


def _suppression_note(mark: str | None) -> str:
    """The footnote of a hidden figure, as the Excel downloads write it ('' when it is shown)."""
    if not mark:
        return ""
    return (excel.secondary_note() if mark == SECONDARY else excel.suppression_note())[1]
