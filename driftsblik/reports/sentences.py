"""Plain-Danish sentences generated from an indicator's numbers, for committee reports.

    "Dage til første samtale faldt fra 18,9 til 17,2 (-9 %) siden sidste status; målet for 2026 er 10,9."

Rules: counts and means compare as a percentage change (whole percent; none when the previous
value is 0), shares as a difference in percentage points between the shown (rounded) values,
rates as "pr. 1.000"; a change that rounds to nothing reads "uændret". A suppressed figure
(small numbers) gives a sentence with no numbers at all; a figure without a previous value
says the level only; a missing target is left out.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from driftsblik.indicators.models import Measure
from driftsblik.ui.formats import number_da


def _places(measure: str, value: Decimal) -> int:
    if measure == Measure.COUNT:
        return 0 if value == value.to_integral_value() else 1
    return 1


def amount_da(measure: str, value: Decimal) -> str:
    """A value as read in a sentence: '1.234', '12,3 %', '4,5 pr. 1.000', '18,9'."""
    text = number_da(value, _places(measure, value))
    if measure == Measure.SHARE:
        return f"{text} %"
    if measure == Measure.RATE_PER_1000:
        return f"{text} pr. 1.000"
    return text


def _change(measure: str, previous: Decimal, value: Decimal) -> tuple[str, str | None]:
    """The verb ('steg', 'faldt', 'var uændret') and the change in brackets (or None)."""
    if measure == Measure.SHARE:
        tenth = Decimal("0.1")
        points = value.quantize(tenth, rounding=ROUND_HALF_UP) - previous.quantize(tenth, rounding=ROUND_HALF_UP)
        if points == 0:
            return "uændret", None
        verb = "steg" if points > 0 else "faldt"
        return verb, f"{number_da(points, 1, sign=True)} procentpoint"
    same = number_da(value, _places(measure, value)) == number_da(previous, _places(measure, previous))
    if same:
        return "uændret", None
    verb = "steg" if value > previous else "faldt"
    if previous == 0:
        return verb, None
    pct = ((value - previous) / abs(previous) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return verb, f"{number_da(pct, 0, sign=True)} %"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def indicator_sentence(
    *,
    name: str,
    measure: str,
    value: Decimal | None,
    previous: Decimal | None,
    target: Decimal | None,
    year: int,
    period_label: str,
    suppressed: bool = False,
    previous_suppressed: bool = False,
    target_label: str | None = None,
) -> str:
    """One sentence about an indicator's figure for a report period, against the previous status and the target.

    `target` is the target of the months the value covers (`Figure.target`), `target_label` what they
    are ("3. kvartal 2026"; see `target_label`), by default the budget year (a level held all year)."""
    subject = capitalised(name.strip())
    if suppressed:
        return f"{subject} for {period_label} vises ikke, fordi tallet bygger på færre end 5 personer."
    if value is None:
        return f"Der er endnu ingen tal for {name.strip()} for {period_label}."
    label = target_label or str(year)
    goal = f"; målet for {label} er {amount_da(measure, target)}" if target is not None else ""
    now = amount_da(measure, value)
    if previous is None or previous_suppressed:
        return f"{subject} var {now} i {period_label}{goal}."
    verb, change = _change(measure, previous, value)
    if verb == "uændret":
        return f"{subject} var uændret på {now} siden sidste status{goal}."
    bracket = f" ({change})" if change else ""
    return f"{subject} {verb} fra {amount_da(measure, previous)} til {now}{bracket} siden sidste status{goal}."


def target_label(*, year: int, period_label: str, spread: bool, months: int, period_months: int) -> str:
    """What a figure's target is for, in a sentence: the budget year for a level (a share, a stock), the
    period for a flow count ("1. kvartal 2026"), or its months with data when some are still missing
    ("de 11 måneder med tal i budgetår 2026"): a period is compared with that period's target."""
    if not spread:
        return str(year)
    if 0 < months < period_months:
        return f"de {months} måneder med tal i {period_label}" if months > 1 else f"måneden med tal i {period_label}"
    return period_label
