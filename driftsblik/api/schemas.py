"""The shapes the API answers with. Every field is described in English and Danish."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


def en_da(english: str, danish: str) -> str:
    return f"{english} / Dansk: {danish}"


class Me(Schema):
    email: str = Field(description=en_da("The token's person.", "Nøglens person."))
    name: str = Field(description=en_da("Their name.", "Personens navn."))
    token: str = Field(description=en_da("The token's name.", "Nøglens navn."))
    scope: str = Field(description=en_da("read or read+import.", "read (læse) eller read+import (læse og indlæse)."))
    expires_at: dt.datetime = Field(description=en_da("When the token expires.", "Hvornår nøglen udløber."))
    units_visible: int = Field(description=en_da("How many units the person sees.", "Antal enheder personen ser."))
    unsuppressed: bool = Field(
        description=en_da(
            "True for analysts: small numbers are not hidden.", "Sand for analytikere: små tal skjules ikke."
        )
    )


class Span(Schema):
    parent_id: str | None = Field(description=en_da("The parent unit in this span.", "Overordnet enhed i perioden."))
    name: str = Field(description=en_da("The unit's name in this span.", "Enhedens navn i perioden."))
    kind: str = Field(
        description=en_da("root, area, sector, institution or team.", "root, area, sector, institution eller team.")
    )
    valid_from: dt.date = Field(description=en_da("First day (ISO date).", "Første dag (ISO-dato)."))
    valid_to: dt.date | None = Field(
        description=en_da("Last day, inclusive; empty when open.", "Sidste dag, inklusive; tom når åben.")
    )


class UnitOut(Schema):
    id: str = Field(description=en_da("The unit's id.", "Enhedens id."))
    name: str = Field(description=en_da("Today's name.", "Dagens navn."))
    kind: str = Field(description=en_da("Today's kind.", "Enhedens art i dag."))
    parent_id: str | None = Field(description=en_da("Today's parent.", "Overordnet enhed i dag."))
    depth: int = Field(description=en_da("Depth in today's tree (root 0).", "Dybde i dagens træ (kommunen 0)."))
    relation: str = Field(
        description=en_da(
            "How the person sees it: self, below, above, peer or all.",
            "Hvordan personen ser den: self (egen), below (under), above (over), peer (side om side), all (alt).",
        )
    )
    reason: str = Field(description=en_da("Why the person sees it.", "Hvorfor personen ser den."))


class UnitDetail(UnitOut):
    history: list[Span] = Field(
        description=en_da("The unit's spans, oldest first.", "Enhedens perioder, ældste først.")
    )


class IndicatorOut(Schema):
    code: str = Field(description=en_da("The indicator's code.", "Indikatorens kode."))
    name: str = Field(description=en_da("Name.", "Navn."))
    description: str = Field(description=en_da("What is counted.", "Hvad der tælles."))
    kind: str = Field(description=en_da("activity or result.", "activity (aktivitet) eller result (resultat)."))
    measure: str = Field(
        description=en_da(
            "count, share (percent), rate_per_1000 or ratio.", "count (antal), share (pct.), rate_per_1000, ratio."
        )
    )
    temporal: str = Field(
        description=en_da(
            "flow (months add up) or stock (the last month counts).",
            "flow (måneder lægges sammen) eller stock (sidste måned tæller).",
        )
    )
    direction: str = Field(
        description=en_da("higher or lower is better.", "higher (højere er bedre) eller lower (lavere er bedre).")
    )
    unit_label: str = Field(description=en_da("The value's unit.", "Værdiens enhed."))
    tolerance_pct: float = Field(
        description=en_da("Tolerance of the traffic light, percent.", "Trafiklysets tolerance i procent.")
    )
    person_based: bool = Field(
        description=en_da(
            "Counts persons: small numbers are hidden from non-analysts.",
            "Tæller personer: små tal skjules for andre end analytikere.",
        )
    )
    key: bool = Field(description=en_da("A key indicator.", "En nøgleindikator."))
    task_area: str | None = Field(description=en_da("Task area code.", "Opgaveområdets kode."))
    source: str = Field(description=en_da("Source.", "Kilde."))
    owner: str = Field(description=en_da("Owner.", "Ejer."))


PERIOD_DESCRIPTION = en_da(
    "Period: YYYY-MM (month), YYYYQn (quarter) or YYYY (budget year).",
    "Periode: ÅÅÅÅ-MM (måned), ÅÅÅÅKn skrives YYYYQn (kvartal) eller ÅÅÅÅ (budgetår).",
)
SUPPRESSED_DESCRIPTION = en_da(
    "Null, 'small' (shown as <5: numerator or denominator between 1 and 4) or 'secondary' "
    "(shown as x: hidden to protect another cell). Value, numerator and denominator are then null.",
    "Tom, 'small' (vises som <5) eller 'secondary' (vises som x: skjult for at beskytte en anden celle). "
    "Værdi, tæller og nævner er da tomme.",
)


# Comments, not docstrings, on these shapes: pydantic would put a docstring in the OpenAPI document.
# The indicator and unit a figure, series or target belongs to.
class FigureKey(Schema):
    indicator: str = Field(description=en_da("Indicator code.", "Indikatorkode."))
    unit_id: str = Field(description=en_da("Unit id.", "Enhedens id."))


# One figure as the pages show it; the shapes that carry figures extend it.
class FigureBase(FigureKey):
    unit_name: str = Field(description=en_da("Unit name.", "Enhedens navn."))
    period: str = Field(description=PERIOD_DESCRIPTION)
    value: float | None = Field(
        description=en_da("The value, rolled up as the pages show it.", "Værdien, summeret som siderne viser den.")
    )
    numerator: float | None = Field(description=en_da("Numerator (the count).", "Tæller (antallet)."))
    denominator: float | None = Field(description=en_da("Denominator.", "Nævner."))
    target: float | None = Field(
        description=en_da(
            "The target for the period's months with data (for flow counts: their part of the year's target, "
            "spread by last year's months, else evenly).",
            "Målet for periodens måneder med tal (for tal, der lægges sammen over måneder: deres del af årets "
            "mål, fordelt efter sidste års måneder, ellers ligeligt).",
        )
    )
    year_target: float | None = Field(
        description=en_da(
            "The budget year's target (the whole year's, beside `target` for the period's months).",
            "Budgetårets mål (hele årets, ved siden af `target` for periodens måneder).",
        )
    )
    months: int = Field(
        description=en_da(
            "How many of the period's months have data: the months `value` and `target` cover.",
            "Hvor mange af periodens måneder, der har tal: de måneder, `value` og `target` dækker.",
        )
    )
    target_method: str = Field(
        description=en_da(
            "How `target` was made from the year's: level (a stock, a share or a rate: the year's target as "
            "it is), seasonal (spread by last year's months) or even (months/12).",
            "Hvordan `target` er dannet af årets mål: level (en bestand, en andel eller en rate: årets mål, som "
            "det er), seasonal (fordelt efter sidste års måneder) eller even (måneder/12).",
        )
    )
    status: str | None = Field(
        description=en_da(
            "A result: green, yellow or red against the target; an activity: on_plan, over_plan or under_plan "
            "against its plan; null without target or when hidden.",
            "Et resultat: green (grøn), yellow (gul) eller red (rød) mod målet; en aktivitet: on_plan, over_plan "
            "eller under_plan mod planen; tom uden mål eller når skjult.",
        )
    )
    suppressed: str | None = Field(description=SUPPRESSED_DESCRIPTION)
    shown_as: str | None = Field(
        description=en_da("'<5' or 'x' where hidden, else null.", "'<5' eller 'x' når skjult, ellers tom.")
    )


class FigureOut(FigureBase):
    pass


class SeriesPointOut(Schema):
    period: str = Field(description=en_da("Month, YYYY-MM.", "Måned, ÅÅÅÅ-MM."))
    value: float | None = Field(description=en_da("Value; null without data or when hidden.", "Værdi."))
    suppressed: bool = Field(description=en_da("Hidden as small (<5).", "Skjult som lille tal (<5)."))


class SeriesOut(FigureKey):
    points: list[SeriesPointOut] = Field(description=en_da("Month by month.", "Måned for måned."))
    forecast: float | None = Field(
        description=en_da("Forecast for the budget year of the last month.", "Forventet resultat for budgetåret.")
    )
    forecast_method: str | None = Field(
        description=en_da("latest, seasonal or run_rate.", "latest, seasonal eller run_rate.")
    )


class BreakdownOut(Schema):
    total: FigureOut = Field(description=en_da("The unit itself.", "Enheden selv."))
    children: list[FigureOut] = Field(
        description=en_da(
            "The units directly under it that the person sees, highest value first.",
            "Enhederne direkte under, som personen ser, højeste værdi først.",
        )
    )


class TargetOut(FigureKey):
    year: int = Field(description=en_da("Budget year.", "Budgetår."))
    target: float = Field(description=en_da("The year's target.", "Årets mål."))


# A figure of one month, with the indicator's name and the unit's place under the asked unit. The
# month-worded descriptions below override the base's; overridden fields keep the base's places.
class TableRow(FigureBase):
    indicator_name: str = Field(description=en_da("Indicator name.", "Indikatorens navn."))
    parent_id: str | None = Field(description=en_da("Parent unit id.", "Overordnet enheds id."))
    level: int = Field(
        description=en_da("Levels below the asked unit (0: itself).", "Niveauer under den valgte enhed (0: den selv).")
    )
    period: str = Field(description=en_da("Month, YYYY-MM.", "Måned, ÅÅÅÅ-MM."))
    value: float | None = Field(description=en_da("Value.", "Værdi."))
    numerator: float | None = Field(description=en_da("Numerator.", "Tæller."))
    denominator: float | None = Field(description=en_da("Denominator.", "Nævner."))
    target: float | None = Field(description=en_da("Target for the month.", "Målet for måneden."))
    status: str | None = Field(
        description=en_da(
            "green, yellow or red (a result); on_plan, over_plan or under_plan (an activity).",
            "green, yellow eller red (et resultat); on_plan, over_plan eller under_plan (en aktivitet).",
        )
    )
    shown_as: str | None = Field(description=en_da("'<5' or 'x' where hidden.", "'<5' eller 'x' når skjult."))


class TablePage(Schema):
    rows: list[TableRow] = Field(description=en_da("The rows of this page.", "Denne sides rækker."))
    next_cursor: str | None = Field(
        description=en_da(
            "Pass as ?cursor= for the next page; null on the last page.",
            "Angiv som ?cursor= for næste side; tom på sidste side.",
        )
    )
    next: str | None = Field(description=en_da("The next page's URL.", "Næste sides adresse."))


class ImportProblem(Schema):
    file: str = Field(description=en_da("The file.", "Filen."))
    row: int | None = Field(description=en_da("Row as in a spreadsheet (header is 1).", "Række (overskrift er 1)."))
    column: str | None = Field(description=en_da("Column.", "Kolonne."))
    reason: str = Field(description=en_da("What is wrong.", "Hvad der er galt."))


class ImportResult(Schema):
    file: str = Field(description=en_da("The file.", "Filen."))
    rows: int = Field(description=en_da("Rows read.", "Rækker læst."))
    created: int = Field(description=en_da("Records created.", "Oprettet."))
    updated: int = Field(description=en_da("Records changed.", "Ændret."))
    unchanged: int = Field(description=en_da("Records already so.", "Uændret."))


class ProblemOut(Schema):
    type: str = Field(description=en_da("Problem type (RFC 9457).", "Problemtype (RFC 9457)."))
    title: str = Field(description=en_da("Short title.", "Kort titel."))
    status: int = Field(description=en_da("HTTP status.", "HTTP-status."))
    detail: str = Field(description=en_da("What went wrong.", "Hvad der gik galt."))


class ImportProblemOut(ProblemOut):
    errors: list[ImportProblem] = Field(
        description=en_da("Every problem of the file; nothing was stored.", "Alle filens problemer; intet er gemt.")
    )


class ThreadOut(Schema):
    id: int = Field(description=en_da("The thread's id.", "Trådens id."))
    indicator: str = Field(description=en_da("The indicator it is about.", "Indikatoren, den handler om."))
    unit_id: str = Field(description=en_da("The unit challenged.", "Den udfordrede enhed."))
    period: str = Field(description=en_da("The period of the figure.", "Tallets periode."))
    status: str = Field(description=en_da("open, answered or closed.", "open, answered eller closed."))
    question: str = Field(description=en_da("The question.", "Spørgsmålet."))
    author: str = Field(description=en_da("Who asked.", "Hvem der spurgte."))
    addressee: str = Field(description=en_da("Who is to answer.", "Hvem der skal svare."))
    answer_by: dt.date | None = Field(description=en_da("Answer wanted by (ISO date).", "Svar ønskes senest."))
    created_at: dt.datetime = Field(description=en_da("Raised.", "Rejst."))
    answered_at: dt.datetime | None = Field(description=en_da("First answered.", "Først besvaret."))
    closed_at: dt.datetime | None = Field(description=en_da("Closed.", "Lukket."))
    parent_id: int | None = Field(description=en_da("The thread it follows up.", "Tråden, den følger op på."))


class ThreadEventOut(Schema):
    kind: str = Field(description=en_da("What happened.", "Hvad der skete."))
    actor: str = Field(description=en_da("Who.", "Hvem."))
    text: str = Field(description=en_da("The words written.", "Den skrevne tekst."))
    status: str = Field(description=en_da("The thread's status after it.", "Trådens status derefter."))
    at: dt.datetime = Field(description=en_da("When.", "Hvornår."))


class ActionOut(Schema):
    title: str = Field(description=en_da("The follow-up action.", "Opfølgende handling."))
    owner: str = Field(description=en_da("Who owns it.", "Ansvarlig."))
    due: dt.date = Field(description=en_da("Due (ISO date).", "Frist (ISO-dato)."))
    status: str = Field(description=en_da("Its status.", "Dens status."))
    done_at: dt.datetime | None = Field(description=en_da("When done.", "Hvornår udført."))


class ThreadDetail(ThreadOut):
    events: list[ThreadEventOut] = Field(description=en_da("The history, oldest first.", "Historikken."))
    actions: list[ActionOut] = Field(description=en_da("The follow-up actions.", "Opfølgende handlinger."))


class ReportOut(Schema):
    id: int = Field(description=en_da("The issued report's id.", "Den udsendte rapports id."))
    committee: str = Field(description=en_da("The committee's code.", "Udvalgets kode."))
    committee_name: str = Field(description=en_da("The committee's name.", "Udvalgets navn."))
    period: str = Field(description=en_da("The period reported on.", "Perioden, der rapporteres om."))
    kind: str = Field(description=en_da("The kind of report.", "Rapportens art."))
    version: int = Field(description=en_da("Version (1 for the first issue).", "Version (1 ved første udsendelse)."))
    issued_at: dt.datetime = Field(description=en_da("When it was issued.", "Hvornår den blev udsendt."))
    title: str = Field(description=en_da("Title.", "Titel."))
    html: str = Field(description=en_da("Address of the frozen HTML.", "Adressen på den frosne HTML."))
    pdf: str = Field(description=en_da("Address of the PDF.", "Adressen på PDF'en."))


class EffortOut(Schema):
    code: str = Field(description=en_da("The effort's code.", "Indsatsens kode."))
    name: str = Field(description=en_da("Name.", "Navn."))
    purpose: str = Field(description=en_da("Purpose and shared goal.", "Formål og fælles mål."))
    phase: str = Field(
        description=en_da("development, implementation or results.", "udvikling, implementering eller resultater.")
    )
    start: dt.date = Field(description=en_da("Start (ISO date).", "Start (ISO-dato)."))
    end: dt.date | None = Field(description=en_da("End; empty when open.", "Slut; tom når åben."))
    owner: str = Field(description=en_da("Who owns it.", "Ejer."))
    relation: str = Field(description=en_da("Why the person sees it.", "Hvorfor personen ser den."))


class GoalOut(Schema):
    indicator: str = Field(description=en_da("The shared goal's indicator.", "Det fælles måls indikator."))
    total: FigureOut = Field(description=en_da("The shared result.", "Det fælles resultat."))
    parts: list[FigureOut] = Field(
        description=en_da(
            "Each participant's part the person may see (unit_id is the part's key).",
            "Hver deltagers andel, som personen må se (unit_id er andelens nøgle).",
        )
    )
    year_target: float | None = Field(description=en_da("The year's shared target.", "Årets fælles mål."))
