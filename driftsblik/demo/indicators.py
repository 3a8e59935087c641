"""The demo's indicator set: about 40 activity and result indicators a director recognises.

Each `DemoIndicator` is both a definition in the indicators contract (code, Danish name and
description, kind, measure, temporal, direction, unit label, tolerance, task area, person_based,
key, source, owner, sort order) and a recipe for its synthetic monthly figures: which operational
units report it (`domains`, "*" for every operational unit), the model of its figures, its level
per unit, seasonality, trend and spread between units. The six register indicators of DESIGN.md
are defined here too; their figures come from the register engine, not from a recipe.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL = ("*",)


@dataclass(frozen=True)
class DemoIndicator:
    """An indicator definition and the recipe for its demo figures.

    model: "count" (numerator only), "share" (numerator of a denominator, value 100 * n / d),
    "ratio" (a mean: sum of e.g. days over the number of cases), "staff" (a share of planned
    workdays, the denominator follows the unit's staff), "register" (figures from the engine).
    level: a count's monthly mean (flows) or level (stocks) per unit of load 1, or the monthly
    denominator of shares and ratios. rate: the share (0..1) or the mean of a ratio.
    trend: relative change per year (counts, ratios) or change of the share per year.
    per_staff: the level is per full-time employee of the unit rather than per unit of load.
    spread: how much units differ (relative for counts and ratios, absolute for shares).
    """

    code: str
    name: str
    description: str
    kind: str
    measure: str
    temporal: str
    direction: str
    unit_label: str
    tolerance_pct: float
    task_area: str
    source: str
    owner: str
    domains: tuple[str, ...] = ()
    model: str = "count"
    level: float = 0.0
    rate: float = 0.0
    season: str = "flat"
    trend: float = 0.0
    spread: float = 0.1
    decimals: int = 0
    per_staff: bool = False
    person_based: bool = False
    key: bool = False

    def definition(self, sort_order: int, measure: str | None = None) -> dict[str, object]:
        """The indicator as a record of the definitions contract (YAML or CSV)."""
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
            "measure": measure or self.measure,
            "temporal": self.temporal,
            "direction": self.direction,
            "unit_label": self.unit_label,
            "tolerance_pct": self.tolerance_pct,
            "task_area": self.task_area,
            "person_based": self.person_based,
            "key": self.key,
            "source": self.source,
            "owner": self.owner,
            "sort_order": sort_order,
        }


def _i(code: str, name: str, description: str, kind: str, measure: str, temporal: str, direction: str,
       unit_label: str, tolerance_pct: float, task_area: str, source: str, owner: str, **recipe: object) -> DemoIndicator:
    return DemoIndicator(code, name, description, kind, measure, temporal, direction, unit_label, tolerance_pct,
                         task_area, source, owner, **recipe)  # type: ignore[arg-type]


HR = "HR og Løn"
SD = "Opgjort fra lønsystemet (fraværsregistrering) ved månedens udgang."
INDICATORS: tuple[DemoIndicator, ...] = (
    # Personale og arbejdsmiljø: every operational unit
    _i("sickness_absence", "Sygefravær",
       "Sygefraværsdage i procent af planlagte arbejdsdage for enhedens fastansatte. " + SD,
       "result", "share", "flow", "lower", "%", 10, "OEU-PERS", "Lønsystemet", HR,
       domains=ALL, model="staff", rate=0.055, season="sickness", spread=0.012, key=True),
    _i("overtime_hours", "Overarbejde",
       "Udbetalte og afspadserede overarbejdstimer i måneden. Opgjort fra lønsystemet.",
       "activity", "count", "flow", "lower", "timer", 10, "OEU-PERS", "Lønsystemet", HR,
       domains=ALL, level=1.2, per_staff=True, season="overtime", spread=0.5, decimals=1),
    _i("temp_staff_hours", "Vikartimer",
       "Timer udført af vikarer og timelønnede afløsere i måneden. Opgjort fra lønsystemet og vikarbureauernes "
       "fakturaer.",
       "activity", "count", "flow", "lower", "timer", 10, "OEU-PERS", "Lønsystemet", HR,
       domains=ALL, level=3.0, per_staff=True, season="overtime", spread=0.6, decimals=1),
    _i("long_term_sick", "Langtidssygemeldte",
       "Medarbejdere, der ved månedens udgang har været sygemeldt i mere end 30 kalenderdage. "
       "Opgjort fra lønsystemet.",
       "result", "count", "stock", "lower", "medarbejdere", 15, "OEU-PERS", "Lønsystemet", HR,
       domains=ALL, level=0.035, per_staff=True, season="winter_peak_stock", spread=0.4, person_based=True),
    _i("staff_turnover", "Personaleomsætning",
       "Fratrådte fastansatte i procent af månedens besatte stillinger (årsværk). Opgjort fra lønsystemet.",
       "result", "share", "flow", "lower", "% pr. måned", 15, "OEU-PERS", "Lønsystemet", HR,
       domains=ALL, model="share", level=1.0, per_staff=True, rate=0.012, season="turnover", spread=0.004),
    _i("net_spend", "Nettoforbrug",
       "Bogførte nettoudgifter i måneden i 1.000 kr. Målet er årets korrigerede budget. Opgjort fra "
       "økonomisystemet.",
       "activity", "count", "flow", "lower", "1.000 kr.", 2, "OEU-PERS", "Økonomisystemet", "Økonomi",
       domains=ALL, level=48.0, per_staff=True, season="spend", spread=0.08, decimals=1),
    _i("staff_fte", "Årsværk",
       "Besatte fuldtidsstillinger (årsværk) ved månedens udgang. Opgjort fra lønsystemet.",
       "activity", "count", "stock", "higher", "årsværk", 5, "OEU-PERS", "Lønsystemet", HR,
       domains=ALL, model="fte", spread=0.02, decimals=1),
    # Klager og sagsbehandling
    _i("complaints_in_time", "Klager besvaret rettidigt",
       "Andel af klager fra borgere, der er besvaret inden for 20 arbejdsdage, af alle besvarede klager i måneden. "
       "Opgjort fra ESDH-systemets klagesager.",
       "result", "share", "flow", "higher", "%", 5, "OEU-SAG", "ESDH (klagesager)", "Borgerservice og Jura",
       domains=("jobcenter", "benefits", "family_authority", "homecare", "visitation", "disability_authority", "building"),
       model="share", level=4, rate=0.88, spread=0.05),
    # Beskæftigelse
    _i("jobcenter_caseload", "Aktive sager i jobcentret",
       "Borgere med en aktiv sag i teamet ved månedens udgang (kontanthjælp, sygedagpenge, ressourceforløb m.v.). "
       "Opgjort fra fagsystemet.",
       "activity", "count", "stock", "lower", "borgere", 5, "AUU-BES", "Fagsystem (beskæftigelse)", "Jobcenter Hjørring",
       domains=("jobcenter",), level=380, trend=-0.03, spread=0.25, person_based=True),
    _i("interviews_held", "Afholdte jobsamtaler",
       "Jobsamtaler afholdt med borgere i måneden, også virtuelle. Opgjort fra fagsystemets samtalekalender.",
       "activity", "count", "flow", "higher", "samtaler", 5, "AUU-BES", "Fagsystem (beskæftigelse)", "Jobcenter Hjørring",
       domains=("jobcenter",), level=210, season="summer_dip", spread=0.2),
    _i("days_to_first_interview", "Dage til første samtale",
       "Gennemsnitligt antal kalenderdage fra borgerens første ydelsesdag til første jobsamtale: summen af dage "
       "divideret med antal første samtaler i måneden. Opgjort fra fagsystemet.",
       "result", "ratio", "flow", "lower", "dage", 10, "AUU-BES", "Fagsystem (beskæftigelse)", "Jobcenter Hjørring",
       domains=("jobcenter",), model="ratio", level=28, rate=9.0, season="summer_dip", trend=-0.04, spread=0.15, key=True),
    _i("interviews_on_time", "Rettidige samtaler",
       "Andel af lovpligtige jobsamtaler, der er holdt inden for fristen, af alle lovpligtige samtaler i måneden. "
       "Opgjort fra fagsystemet.",
       "result", "share", "flow", "higher", "%", 5, "AUU-BES", "Fagsystem (beskæftigelse)", "Jobcenter Hjørring",
       domains=("jobcenter",), model="share", level=150, rate=0.9, season="summer_share", trend=0.01, spread=0.03),
    _i("benefit_decisions_in_time", "Ydelsesafgørelser inden for frist",
       "Andel af afgørelser om kontanthjælp og sygedagpenge truffet inden for servicemålet, af alle afgørelser i "
       "måneden. Opgjort fra ydelsessystemet.",
       "result", "share", "flow", "higher", "%", 5, "AUU-BES", "Ydelsessystemet", "Ydelseskontoret",
       domains=("benefits",), model="share", level=120, rate=0.92, spread=0.03),
    _i("cash_benefit_long_term", "Langvarige kontanthjælpsmodtagere",
       "Borgere på kontant- eller uddannelseshjælp i referenceugen og i mindst 42 af de 52 uger, der slutter med "
       "den. Beregnet af registermotoren fra ydelsesregistret.",
       "result", "count", "stock", "lower", "borgere", 5, "AUU-BES", "Registermotoren (ydelsesuger)",
       "Jobcenter Hjørring", domains=("jobcenter",), model="register", person_based=True),
    _i("cash_benefit_long_term_in_work", "Langvarige kontanthjælpsmodtagere med løntimer",
       "Andel af de langvarige kontanthjælpsmodtagere, der har løntimer i måneden. Beregnet af registermotoren fra "
       "ydelses- og indkomstregistret.",
       "result", "share", "stock", "higher", "%", 10, "AUU-BES", "Registermotoren (eIndkomst)", "Jobcenter Hjørring",
       domains=("jobcenter",), model="register", person_based=True),
    # Unge og uddannelse
    _i("youth_in_job_or_education", "Unge i job eller uddannelse",
       "Andel af de 15-29-årige, der er i uddannelse ved månedens udgang eller har mindst 40 løntimer i måneden. "
       "Beregnet af registermotoren.",
       "result", "share", "stock", "higher", "%", 3, "AUU-UNG", "Registermotoren (uddannelse og eIndkomst)",
       "Ungeenheden", domains=("youth",), model="register", person_based=True, key=True),
    _i("youth_neet_3m", "Unge uden job og uddannelse i 3 måneder",
       "15-29-årige, der hverken har været i uddannelse eller haft mindst 40 løntimer i hver af de seneste tre "
       "måneder. Beregnet af registermotoren.",
       "result", "count", "stock", "lower", "unge", 5, "AUU-UNG", "Registermotoren (uddannelse og eIndkomst)",
       "Ungeenheden", domains=("youth",), model="register", person_based=True),
    _i("youth_guidance_interviews", "Vejledningssamtaler med unge",
       "Afholdte vejledningssamtaler med unge under 25 år i måneden. Opgjort fra vejledningssystemet.",
       "activity", "count", "flow", "higher", "samtaler", 5, "AUU-UNG", "Vejledningssystemet", "Ungeenheden",
       domains=("youth", "tenth_grade"), level=95, season="summer_dip", spread=0.25),
    _i("youth_with_plan", "Unge med aktuel uddannelsesplan",
       "Andel af unge i målgruppen, der har en uddannelsesplan opdateret inden for 6 måneder, ved månedens udgang. "
       "Opgjort fra vejledningssystemet.",
       "result", "share", "stock", "higher", "%", 5, "AUU-UNG", "Vejledningssystemet", "Ungeenheden",
       domains=("youth", "youth_school"), model="share", level=160, rate=0.82, trend=0.015, spread=0.05,
       person_based=True),
    # Integration og sprog
    _i("danish_modules_passed", "Beståede danskmoduler",
       "Andel af modultest på Sprogcentret, der er bestået, af alle gennemførte modultest i måneden. "
       "Opgjort fra Sprogcentrets elevadministration.",
       "result", "share", "flow", "higher", "%", 5, "AUU-INT", "Elevadministration (sprogcenter)",
       "Sprogcenter Hjørring", domains=("language", "integration"), model="share", level=35, rate=0.78,
       season="school_share", spread=0.05),
    # Skoler
    _i("pupils", "Elever",
       "Indskrevne elever ved månedens udgang. Opgjort fra skoleadministrativt system.",
       "activity", "count", "stock", "higher", "elever", 3, "BFU-SKO", "Skoleadministrativt system", "Skoler",
       domains=("school", "special_school"), level=150, trend=-0.01, spread=0.3, person_based=True),
    _i("school_absence", "Elevfravær",
       "Elevers fraværsdage (sygdom, lovligt og ulovligt fravær) i procent af skoledage i måneden. "
       "Opgjort fra skolernes fraværsregistrering.",
       "result", "share", "flow", "lower", "%", 10, "BFU-SKO", "Fraværsregistrering (skoler)", "Skoler",
       domains=("school", "special_school"), model="share", level=2900, rate=0.068, season="school", trend=0.002,
       spread=0.01, key=True),
    _i("pupil_wellbeing", "Elevtrivsel",
       "Andel af elever, der svarer positivt på trivselsspørgsmålene i den månedlige pulsmåling. "
       "Opgjort fra pulsmålingen.",
       "result", "share", "flow", "higher", "%", 3, "BFU-SKO", "Pulsmåling (elevtrivsel)", "Skoler",
       domains=("school",), model="share", level=110, rate=0.86, season="school", spread=0.03, person_based=True,
       key=True),
    _i("inclusion_share", "Elever i almenundervisning",
       "Andel af elever bosat i kommunen, der går i almenundervisning (inklusionsgrad), ved månedens udgang. "
       "Opgjort fra skoleadministrativt system.",
       "result", "share", "stock", "higher", "%", 2, "BFU-SKO", "Skoleadministrativt system", "Skoler",
       domains=("school",), model="share", level=150, rate=0.955, spread=0.015, person_based=True),
    # Dagtilbud
    _i("children_in_daycare", "Børn i dagtilbud",
       "Indskrevne børn i dagpleje, vuggestue og børnehave ved månedens udgang. Opgjort fra pladsanvisningen.",
       "activity", "count", "stock", "higher", "børn", 3, "BFU-DAG", "Pladsanvisningen", "Dagtilbud",
       domains=("daycare", "childminding"), level=75, season="daycare", trend=-0.01, spread=0.3, person_based=True),
    _i("childcare_guarantee_met", "Pasningsgaranti overholdt",
       "Andel af børn, der fik plads senest på garantidatoen, af alle børn, der startede i måneden. "
       "Opgjort fra pladsanvisningen.",
       "result", "share", "flow", "higher", "%", 2, "BFU-DAG", "Pladsanvisningen", "Dagtilbud",
       domains=("daycare", "childminding"), model="share", level=6, rate=0.97, season="daycare_starts",
       spread=0.015, person_based=True),
    # Børn og familie
    _i("notifications_handled_24h", "Underretninger vurderet inden for 24 timer",
       "Andel af underretninger om børn og unge, der er vurderet inden for 24 timer, af alle modtagne i måneden. "
       "Opgjort fra fagsystemet.",
       "result", "share", "flow", "higher", "%", 3, "BFU-FAM", "Fagsystem (børn og unge)",
       "Børne- og familierådgivningen", domains=("family_authority",), model="share", level=45, rate=0.93,
       spread=0.02),
    _i("children_placed", "Anbragte børn og unge",
       "Børn og unge anbragt uden for hjemmet ved månedens udgang. Opgjort fra fagsystemet.",
       "activity", "count", "stock", "lower", "børn", 5, "BFU-FAM", "Fagsystem (børn og unge)",
       "Børne- og familierådgivningen", domains=("family_authority", "residential_children"), level=40,
       trend=-0.02, spread=0.3, person_based=True),
    _i("family_treatment_cases", "Familier i familiebehandling",
       "Familier i et aktivt familiebehandlingsforløb ved månedens udgang. Opgjort fra Familiehusets journal.",
       "activity", "count", "stock", "higher", "familier", 5, "BFU-FAM", "Journal (Familiehuset)", "Familiehuset",
       domains=("family_house", "health_visitor"), level=55, trend=0.03, spread=0.2, person_based=True),
    # Kultur og fritid
    _i("library_visits", "Besøg på bibliotekerne",
       "Besøgende registreret af personetællere på bibliotekerne i måneden.",
       "activity", "count", "flow", "higher", "besøg", 5, "BFU-KUL", "Personetællere", "Hjørring Bibliotekerne",
       domains=("library", "culture_house"), level=9000, season="library", trend=-0.02, spread=0.3),
    _i("facility_utilisation", "Udnyttelse af haller og svømmehaller",
       "Bookede timer i procent af udlejelige timer i kommunens haller og svømmehaller i måneden. "
       "Opgjort fra bookingsystemet.",
       "result", "share", "flow", "higher", "%", 5, "BFU-KUL", "Bookingsystemet", "Idrætsanlæg",
       domains=("sports", "youth_club", "music_school"), model="share", level=900, rate=0.71, season="sports",
       spread=0.05),
    # Ældre og pleje
    _i("homecare_hours", "Leverede timer i hjemmeplejen",
       "Leverede timer personlig pleje og praktisk hjælp i måneden, registreret af medarbejderne på de mobile "
       "enheder. Opgjort fra omsorgssystemet.",
       "activity", "count", "flow", "lower", "timer", 3, "SAEH-AEL", "Omsorgssystemet", "Hjemmeplejen",
       domains=("homecare", "night_care"), level=2600, season="winter_peak", trend=0.025, spread=0.2, decimals=1,
       key=True),
    _i("homecare_citizens", "Borgere i hjemmeplejen",
       "Borgere visiteret til personlig pleje eller praktisk hjælp ved månedens udgang. Opgjort fra omsorgssystemet.",
       "activity", "count", "stock", "lower", "borgere", 3, "SAEH-AEL", "Omsorgssystemet", "Hjemmeplejen",
       domains=("homecare",), level=210, season="winter_peak_stock", trend=0.02, spread=0.2, person_based=True),
    _i("homecare_delivered_share", "Visiterede timer leveret",
       "Leverede timer i procent af visiterede timer i måneden. Opgjort fra omsorgssystemet.",
       "result", "share", "flow", "higher", "%", 3, "SAEH-AEL", "Omsorgssystemet", "Hjemmeplejen",
       domains=("homecare",), model="share", level=2500, rate=0.955, season="summer_share", spread=0.012),
    _i("rehab_independent", "Selvhjulpne efter hverdagsrehabilitering",
       "Andel af afsluttede rehabiliteringsforløb, hvor borgeren ikke har brug for hjemmehjælp bagefter, af alle "
       "afsluttede forløb i måneden. Opgjort fra omsorgssystemet.",
       "result", "share", "flow", "higher", "%", 5, "SAEH-AEL", "Omsorgssystemet", "Visitationen",
       domains=("rehab", "training"), model="share", level=25, rate=0.45, trend=0.02, spread=0.04, person_based=True),
    _i("nursing_home_occupancy", "Belægning på plejecentrene",
       "Besatte plejeboliger i procent af plejeboliger ved månedens udgang. Opgjort fra boligadministrationen.",
       "result", "share", "stock", "higher", "%", 2, "SAEH-AEL", "Boligadministration", "Plejecentre",
       domains=("nursing_home",), model="share", level=24, rate=0.96, spread=0.02),
    _i("elderly_readmission_30d", "Genindlæggelser inden for 30 dage",
       "Andel af udskrivelser af borgere på 65 år og derover, der følges af en ny indlæggelse inden for 30 dage. "
       "Beregnet af registermotoren fra Landspatientregistret.",
       "result", "share", "flow", "lower", "%", 10, "SAEH-AEL", "Registermotoren (Landspatientregistret)",
       "Hjemmeplejen", domains=("homecare",), model="register", person_based=True),
    _i("elderly_preventable_admissions_per_1000", "Forebyggelige indlæggelser pr. 1.000 ældre",
       "Forebyggelige indlæggelser af borgere på 65 år og derover i måneden pr. 1.000 borgere på 65 år og derover. "
       "Beregnet af registermotoren fra Landspatientregistret.",
       "result", "rate_per_1000", "flow", "lower", "pr. 1.000", 10, "SAEH-AEL", "Registermotoren (Landspatientregistret)",
       "Hjemmeplejen", domains=("homecare",), model="register", person_based=True),
    _i("visitation_days", "Dage fra henvendelse til visitation",
       "Gennemsnitligt antal dage fra borgerens henvendelse til afgørelse om hjælp: summen af dage divideret med "
       "antal afgørelser i måneden. Opgjort fra omsorgssystemet.",
       "result", "ratio", "flow", "lower", "dage", 10, "SAEH-AEL", "Omsorgssystemet", "Visitationen",
       domains=("visitation",), model="ratio", level=60, rate=7.5, season="summer_dip", spread=0.15),
    # Sundhed og forebyggelse
    _i("training_started_7d", "Genoptræning startet inden for 7 dage",
       "Andel af genoptræningsforløb efter udskrivning, der er startet inden for 7 dage, af alle startede forløb i "
       "måneden. Opgjort fra træningsjournalen.",
       "result", "share", "flow", "higher", "%", 5, "SAEH-SUN", "Træningsjournal", "Træning og Rehabilitering",
       domains=("training",), model="share", level=70, rate=0.86, season="summer_share", spread=0.04),
    _i("nursing_visits", "Sygeplejebesøg",
       "Afholdte besøg og konsultationer i sygeplejen i måneden. Opgjort fra omsorgssystemet.",
       "activity", "count", "flow", "lower", "besøg", 5, "SAEH-SUN", "Omsorgssystemet", "Sygeplejen",
       domains=("nursing",), level=2100, season="winter_peak", trend=0.03, spread=0.15),
    _i("prevention_participants", "Deltagere i forebyggelsestilbud",
       "Borgere, der er startet i et rygestop-, vægt- eller patientuddannelsesforløb i måneden. "
       "Opgjort fra Sundhedscentrets booking.",
       "activity", "count", "flow", "higher", "borgere", 10, "SAEH-SUN", "Booking (Sundhedscenter)",
       "Sundhedscenter Hjørring", domains=("health_centre", "dementia", "dental"), level=45, season="summer_dip",
       spread=0.3, person_based=True),
    # Handicap og psykiatri
    _i("residents_in_housing", "Beboere i botilbud",
       "Borgere med ophold i kommunens botilbud ved månedens udgang. Opgjort fra bostedernes beboeradministration.",
       "activity", "count", "stock", "higher", "beboere", 3, "SAEH-HAN", "Beboeradministration", "Handicap og Psykiatri",
       domains=("housing_disabled", "social_psychiatry", "workshop"), level=16, spread=0.3, person_based=True),
    # Veje og trafik
    _i("road_repairs", "Udbedrede vejskader",
       "Huller og skader i kommunevejene, der er udbedret i måneden. Opgjort fra driftsafdelingens opgavesystem.",
       "activity", "count", "flow", "higher", "skader", 10, "TMU-VEJ", "Opgavesystem (drift)", "Driftsafdelingen",
       domains=("roads", "traffic"), level=55, season="road", spread=0.3),
    # Miljø og affald
    _i("waste_recycling_share", "Genanvendelsesandel",
       "Tons affald sendt til genanvendelse i procent af alle indsamlede tons husholdningsaffald i måneden. "
       "Opgjort fra vejesedler på genbrugspladser og indsamling.",
       "result", "share", "flow", "higher", "%", 3, "TMU-MIL", "Vejesedler (affald)", "Affald og Genbrug",
       domains=("waste",), model="share", level=1400, rate=0.52, season="waste", trend=0.015, spread=0.03, key=True),
    # Byg og plan
    _i("building_permits", "Afgjorte byggesager",
       "Byggesager, der er afgjort i måneden. Opgjort fra byggesagssystemet.",
       "activity", "count", "flow", "higher", "sager", 10, "TMU-BYG", "Byggesagssystemet", "Byggesagsafdelingen",
       domains=("building",), level=45, season="building", spread=0.2),
    _i("building_permit_days", "Sagsbehandlingstid for byggesager",
       "Gennemsnitligt antal kalenderdage fra en byggeansøgning er fuldt oplyst til afgørelse: summen af dage "
       "divideret med antal afgjorte sager i måneden. Opgjort fra byggesagssystemet.",
       "result", "ratio", "flow", "lower", "dage", 10, "TMU-BYG", "Byggesagssystemet", "Byggesagsafdelingen",
       domains=("building",), model="ratio", level=45, rate=38.0, season="building", trend=-0.05, spread=0.2,
       key=True),
)

REGISTER_CODES = tuple(i.code for i in INDICATORS if i.model == "register")
OFF_TARGET_CANDIDATES = (
    ("sickness_absence", "nursing_home"),
    ("school_absence", "school"),
    ("days_to_first_interview", "jobcenter"),
    ("homecare_delivered_share", "homecare"),
    ("building_permit_days", "building"),
)
"""Where the demo places a unit that is clearly off target (one unit per pair, chosen by the seed)."""
