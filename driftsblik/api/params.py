"""Query parameters with their descriptions in English and Danish, for the OpenAPI document.

Each is an `Annotated` type, used as `period: PeriodParam = None`; a fresh `Query` each time, since
django-ninja writes the function's default into it."""

from __future__ import annotations

from typing import Annotated

from ninja import Query

from driftsblik.api.schemas import PERIOD_DESCRIPTION, en_da

MONTH = "YYYY-MM"


def _text(description: str, **bounds: int) -> object:
    return Query(description=description, **bounds)


PeriodParam = Annotated[
    str | None,
    _text(PERIOD_DESCRIPTION + " " + en_da("Default: the latest month with data.", "Standard: seneste måned.")),
]
StartParam = Annotated[str | None, _text(en_da(f"First month, {MONTH}.", "Første måned, ÅÅÅÅ-MM."))]
EndParam = Annotated[
    str | None,
    _text(en_da(f"Last month, {MONTH}; default the latest with data.", "Sidste måned, ÅÅÅÅ-MM; standard seneste.")),
]
UnitParam = Annotated[str | None, _text(en_da("A unit id the person sees.", "Id på en enhed, personen ser."))]
IndicatorParam = Annotated[str | None, _text(en_da("An indicator code.", "En indikatorkode."))]
IndicatorsParam = Annotated[
    list[str] | None,
    _text(en_da("Indicator codes (repeat the parameter); default all.", "Indikatorkoder; standard alle.")),
]
# the years a month can have (core.periods.Month), with a year before it for last year's figures:
# a number beyond them is a 400, never a database error
YEAR_BOUNDS = {"ge": 1901, "le": 2999}
YearParam = Annotated[int, _text(en_da("A budget year, YYYY.", "Et budgetår, ÅÅÅÅ."), **YEAR_BOUNDS)]
OptionalYearParam = Annotated[int | None, _text(en_da("A budget year, YYYY.", "Et budgetår, ÅÅÅÅ."), **YEAR_BOUNDS)]
LevelsParam = Annotated[
    int | None,
    _text(en_da("Levels below the unit; default the visibility radius.", "Niveauer under enheden; standard udsynet.")),
]
FormatParam = Annotated[str, _text(en_da("json or csv.", "json eller csv."))]
LimitParam = Annotated[int, _text(en_da("Rows per page, 1 to 50,000.", "Rækker pr. side, 1 til 50.000."))]
CursorParam = Annotated[str | None, _text(en_da("next_cursor of the previous page.", "next_cursor fra forrige side."))]
StatusParam = Annotated[str | None, _text(en_da("open, answered or closed.", "open, answered eller closed."))]
