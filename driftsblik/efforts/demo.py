"""The demo's three cross-cutting efforts, written as an efforts file and loaded through `efforts_define`.

1. Færre langvarige kontanthjælpsmodtagere (jobcenter teams, Socialpsykiatrien, the a-kasser,
   employers, Region Nordjylland);
2. Ungegarantien (the youth unit's teams, the youth school, schools, EUC Nord, employers);
3. Det sammenhængende forløb for den ældre medicinske patient (home-care districts, the acute team,
   Visitationen, Regionshospital Nordjylland, the general practitioners).
Targets per budget year are set from the first year's shared figure (lower is better: 5 % fewer a
year; higher: 2 points more a year); milestones are placed relative to today.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml

from driftsblik.core.periods import Month, month_range
from driftsblik.efforts.define import efforts_define
from driftsblik.efforts.selectors import Cells, top_units
from driftsblik.indicators.models import Direction, Indicator, Measure
from driftsblik.indicators.rollup import value_of
from driftsblik.organisation.tree import TreeCache
from driftsblik.organisation.visibility import today

FILE_NAME = "efforts.yaml"

METHODS = [
    (
        "ips",
        "IPS – individuelt planlagt job med støtte",
        "Beskæftigelsesrettet støtte efter IPS-modellen: hurtig jobsøgning efter borgerens ønsker, "
        "tæt samarbejde med behandlingen og støtte, der fortsætter i jobbet.",
    ),
    (
        "virksomhedspraktik",
        "Virksomhedspraktik",
        "Praktik i en privat eller offentlig virksomhed som trin mod ordinære timer eller uddannelse.",
    ),
    (
        "koordinerende_sagsbehandler",
        "Én koordinerende sagsbehandler",
        "Borgeren har én sagsbehandler, der samler planen på tværs af beskæftigelse, sundhed og det sociale.",
    ),
    (
        "mentor",
        "Mentor",
        "En fast mentor, der støtter den unge i overgangen til og fastholdelsen i uddannelse eller job.",
    ),
    (
        "brobygning",
        "Brobygning til uddannelse",
        "Forløb på erhvervsskolen, der gør den unge klar til at starte på en ungdomsuddannelse.",
    ),
    (
        "opfoelgende_hjemmebesoeg",
        "Opfølgende hjemmebesøg",
        "Besøg af en sygeplejerske inden for 48 timer efter udskrivelse, med medicingennemgang og plan.",
    ),
    (
        "tidlig_opsporing",
        "Tidlig opsporing",
        "Systematisk observation af ændringer i den ældres tilstand (triageringsmodel), så sygdom opdages tidligt.",
    ),
    (
        "faelles_udskrivning",
        "Fælles udskrivningskonference",
        "Hospital, kommune og egen læge planlægger udskrivelsen sammen, før patienten sendes hjem.",
    ),
]


def _efforts(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The three efforts without targets and milestones; unit ids are the demo's fixed ones."""
    job_teams = [
        ("JOB-T03", "Kontaktperson, Aktivitetsparate Nord", "Sagsbehandling for aktivitetsparate borgere"),
        ("JOB-T04", "Kontaktperson, Aktivitetsparate Syd", "Sagsbehandling for aktivitetsparate borgere"),
        ("JOB-T06", "Kontaktperson, Ressourceforløb", "Ressourceforløb og jobafklaring"),
        ("JOB-T08", "Kontaktperson, Virksomhedsservice", "Virksomhedskontakt og jobformidling"),
    ]
    youth_teams = [
        ("UNG-T01", "Vejledning af unge uden uddannelse"),
        ("UNG-T02", "Uddannelseshjælp og uddannelsespålæg"),
        ("UNG-T03", "Mentorstøtte"),
        ("UNG-T04", "Overgang fra grundskole til ungdomsuddannelse"),
        ("UNG-T05", "Unge 25-29 år"),
    ]
    return [
        {
            "code": "langvarig-kontanthjaelp",
            "name": "Færre langvarige kontanthjælpsmodtagere",
            "purpose": (
                "Flere langvarige kontanthjælpsmodtagere skal i kontakt med arbejdsmarkedet og tættere på "
                "selvforsørgelse. Jobcentret, socialpsykiatrien, a-kasserne, virksomhederne og regionens "
                "psykiatri arbejder sammen om den enkelte borgers vej til ordinære timer."
            ),
            "owner": "AU",
            "start": start,
            "end": end,
            "phase": "implementation",
            "cohort": "cash_long_term",
            "indicators": ["cash_benefit_long_term", "cash_benefit_long_term_in_work"],
            "participants": [
                {"unit": unit, "contact": contact, "role": role, "methods": methods}
                for (unit, contact, role), methods in zip(
                    job_teams,
                    [
                        [("ips", 0), ("koordinerende_sagsbehandler", 0)],
                        [("koordinerende_sagsbehandler", 3)],
                        [("ips", 6), ("mentor", 2)],
                        [("virksomhedspraktik", 0)],
                    ],
                    strict=True,
                )
            ]
            + [
                {
                    "unit": "SPSY",
                    "contact": "Koordinator, Socialpsykiatrien",
                    "role": "Social støtte og bostøtte til borgere med psykiske vanskeligheder",
                    "methods": [("ips", 6)],
                },
                {
                    "partner": "3F Vendsyssel A-kasse",
                    "contact": "Henrik Andersen",
                    "role": "A-kasse: rådighed og jobsøgning",
                },
                {
                    "partner": "HK Nordjylland A-kasse",
                    "contact": "Mette Larsen",
                    "role": "A-kasse: rådighed og jobsøgning",
                },
                {
                    "partner": "Vendsyssel Erhvervsnetværk",
                    "contact": "Lars Kristensen",
                    "role": "Virksomheder: praktik- og løntimepladser",
                    "methods": [("virksomhedspraktik", 0)],
                },
                {
                    "partner": "Region Nordjylland, Psykiatrien",
                    "contact": "Birgitte Møller",
                    "role": "Behandling i samarbejde med IPS",
                    "methods": [("ips", 6)],
                },
            ],
        },
        {
            "code": "ungegaranti",
            "name": "Ungegarantien",
            "purpose": (
                "Alle unge skal i job eller uddannelse. Ungeenheden, ungdomsskolen, skolerne, "
                "erhvervsskolen og virksomhederne tager fælles ansvar for, at ingen ung går i stå."
            ),
            "owner": "AU",
            "start": start,
            "end": end,
            "phase": "implementation",
            "cohort": "youth_neet",
            "indicators": ["youth_in_job_or_education", "youth_neet_3m"],
            "participants": [
                {
                    "unit": unit,
                    "contact": f"Teamleder, {role.split()[0]}",
                    "role": role,
                    "methods": [("mentor", 0)] if unit in ("UNG-T03", "UNG-T02") else [("brobygning", 4)],
                }
                for unit, role in youth_teams
            ]
            + [
                {"unit": "UDS", "contact": "Ungdomsskoleinspektør", "role": "Heltidsundervisning og 10. klasse"},
                {"unit": "SKO-01", "contact": "Skoleleder", "role": "Overgangen fra 9. klasse", "methods": []},
                {"unit": "SKO-02", "contact": "Skoleleder", "role": "Overgangen fra 9. klasse", "methods": []},
                {
                    "partner": "EUC Nord",
                    "contact": "Anne Mikkelsen",
                    "role": "Erhvervsuddannelser og brobygning",
                    "methods": [("brobygning", 0)],
                },
                {
                    "partner": "Hjørring Gymnasium og HF-kursus",
                    "contact": "Peter Nørgaard",
                    "role": "Gymnasiale uddannelser",
                },
                {
                    "partner": "Dansk Industri Nordjylland",
                    "contact": "Susanne Kjær",
                    "role": "Virksomheder: lærepladser og fritidsjob",
                    "methods": [("virksomhedspraktik", 2)],
                },
            ],
        },
        {
            "code": "aeldre-medicinske-patient",
            "name": "Sammenhængende forløb for den ældre medicinske patient",
            "purpose": (
                "Færre genindlæggelser og forebyggelige indlæggelser blandt ældre medicinske patienter: "
                "hjemmeplejen, akutteamet, visitationen, hospitalet og de praktiserende læger "
                "følger den ældre sammen før, under og efter en indlæggelse."
            ),
            "owner": "SAEH",
            "start": start,
            "end": end,
            "phase": "development",
            "cohort": "elderly_discharged",
            "indicators": ["elderly_readmission_30d", "elderly_preventable_admissions_per_1000"],
            "participants": [
                {
                    "unit": f"HJP-D{i:02d}",
                    "contact": "Distriktsleder",
                    "role": "Hjemmepleje og tidlig opsporing",
                    "methods": [("tidlig_opsporing", i % 4)],
                }
                for i in range(1, 9)
            ]
            + [
                {
                    "unit": "SYG-T03",
                    "contact": "Leder af akutteamet",
                    "role": "Akutte besøg og opfølgende hjemmebesøg",
                    "methods": [("opfoelgende_hjemmebesoeg", 0)],
                },
                {"unit": "VISI", "contact": "Visitationsleder", "role": "Visitation ved udskrivelse"},
                {
                    "partner": "Regionshospital Nordjylland",
                    "contact": "Overlæge Jens Thomsen",
                    "role": "Medicinsk afdeling: udskrivning",
                    "methods": [("faelles_udskrivning", 2)],
                },
                {"partner": "Praktiserende læger i Hjørring", "contact": "Praksiskonsulent", "role": "Opfølgning"},
            ],
        },
    ]


def _targets(efforts: list[dict[str, Any]], first: Month, last: Month) -> None:
    """Shared targets per year from the first year's shared figure; a unit target for the first team."""
    codes = {c for e in efforts for c in e["indicators"]}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    trees = TreeCache()
    for effort in efforts:
        effort["indicators"] = [c for c in effort["indicators"] if c in indicators]
        units = [p["unit"] for p in effort["participants"] if "unit" in p]
        wanted = [indicators[c] for c in effort["indicators"]]
        base_month = Month(first.year, 12) if Month(first.year, 12) <= last else last
        tops = top_units(units, trees.on(base_month.end))
        cells = Cells(wanted, units, month_range(Month(base_month.year, 1), base_month), trees)
        targets = []
        for indicator in wanted:
            total = cells.sum_months(indicator.code, tops)
            if not total:
                continue
            base = value_of(indicator, total[max(total)])
            if base is None:
                continue
            for step, year in enumerate(range(first.year, last.year + 1)):
                targets.append({"indicator": indicator.code, "year": year, "value": _target(indicator, base, step)})
            own = cells.unit_months(indicator.code, units[0])
            if own and (own_base := value_of(indicator, own[max(own)])) is not None:
                targets.append(
                    {
                        "indicator": indicator.code,
                        "year": last.year,
                        "value": _target(indicator, own_base, 1),
                        "unit": units[0],
                    }
                )
        effort["targets"] = targets


def _target(indicator: Indicator, base: Decimal, step: int) -> float:
    if indicator.measure == Measure.COUNT:
        factor = Decimal("0.95") ** step if indicator.direction == Direction.LOWER else Decimal("1.05") ** step
        return float(round(base * factor))
    shift = Decimal(2 * step) if indicator.direction == Direction.HIGHER else -Decimal(step) / 2
    value = base + shift * (Decimal(1) if indicator.measure == Measure.SHARE else base / 100)
    return float(round(min(value, Decimal(100)) if indicator.measure == Measure.SHARE else value, 1))


def _milestones(code: str, day: dt.date, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    def at(days: int) -> dt.date:
        return min(max(day + dt.timedelta(days=days), start), end)

    plans = {
        "langvarig-kontanthjaelp": [
            ("development", "Fælles mål og målgruppe vedtaget i direktionen", -300, "done"),
            ("development", "Aftale med a-kasserne om fælles jobsamtaler", -200, "done"),
            ("implementation", "IPS udbredt til alle aktivitetsparate teams", -30, "under_way"),
            ("implementation", "20 nye virksomhedsaftaler om praktik og løntimer", 60, "planned"),
            ("results", "Status til Beskæftigelsesudvalget", 150, "planned"),
        ],
        "ungegaranti": [
            ("development", "Fælles ungeindsats beskrevet med EUC Nord og skolerne", -280, "done"),
            ("implementation", "Alle 9.-klasser har en overgangsplan", -45, "under_way"),
            ("implementation", "Mentorordning for unge på uddannelseshjælp", 30, "under_way"),
            ("results", "Første opgørelse af unge uden job og uddannelse", 120, "planned"),
        ],
        "aeldre-medicinske-patient": [
            ("development", "Fælles udskrivningsmodel aftalt med Regionshospital Nordjylland", -120, "done"),
            ("development", "Tidlig opsporing afprøvet i to distrikter", -20, "under_way"),
            ("implementation", "Opfølgende hjemmebesøg efter alle udskrivelser", 90, "planned"),
            ("results", "Evaluering af genindlæggelser", 300, "planned"),
        ],
    }
    return [
        {"phase": phase, "title": title, "due": at(days), "status": status}
        for phase, title, days, status in plans[code]
    ]


def load_demo(files: Any, *, say: Any) -> str:
    """Write the demo's efforts file into the demo folder and load it through `efforts_define`."""
    org = files.organisation
    owners = {"AU": org.units["AU"].leader.email, "SAEH": org.units["SAEH"].leader.email}
    directorate = {p.email for p in org.directorate}
    day = today()
    start = files.first_month.first
    end = dt.date(files.last_month.year + 2, 12, 31)
    efforts = _efforts(start, end)
    for effort in efforts:
        owner = owners[effort["owner"]]
        effort["owner"] = owner if owner in directorate else org.directorate[0].email
        effort["participants"] = [p for p in effort["participants"] if "partner" in p or p["unit"] in org.units]
        for p in effort["participants"]:
            p["methods"] = [
                {"method": code, "since": min(start.replace(day=1) + dt.timedelta(days=30 * months), day)}
                for code, months in p.get("methods", [])
            ]
            if "unit" in p:
                leader = org.units[p["unit"]].leader
                p["contact"], p["email"] = leader.name, leader.email
        effort["milestones"] = _milestones(effort["code"], day, start, end)
    _targets(efforts, files.first_month, files.last_month)
    document = {"methods": [{"code": c, "name": n, "description": d} for c, n, d in METHODS], "efforts": efforts}
    path = files.path(FILE_NAME)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return efforts_define(path=path)
