"""The demo municipality's leadership chain: a Hjørring-like tree of units with named leaders.

Root (Hjørring Kommune (demo), led by the kommunaldirektør), four directorate areas each led by a
director, about 15 sectors, 120 institutions and 200 teams. Units are built from fixed,
realistic structures (Jobcenter Hjørring with its teams, Ungeenheden, schools named after
places in the Hjørring area, daycare, home care by district, nursing homes, roads, environment,
building) and from seeded choices (which places, how big, who leads). The register engine
assigns persons to JOB-T01..08, UNG-T01..05 and HJP-D01..08, so those teams always exist.

One reorganisation is in the history: the everyday-rehabilitation team moved from Træning og
Rehabilitering to Hjemmeplejen on REORGANISATION_DAY, so the unit has two validity spans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from driftsblik.demo.names import Person, PersonFactory

ROOT_ID = "HJK"
ROOT_NAME = "Hjørring Kommune (demo)"
HISTORY_START = dt.date(2020, 1, 1)
REORGANISATION_DAY = dt.date(2025, 8, 1)
MOVED_TEAM = "REH-T01"
MOVED_FROM = "TRAE"
MOVED_TO = "HJP"

REGISTER_TEAMS = {
    "beskaeftigelse": tuple(f"JOB-T{i:02d}" for i in range(1, 9)),
    "unge": tuple(f"UNG-T{i:02d}" for i in range(1, 6)),
    "aeldre": tuple(f"HJP-D{i:02d}" for i in range(1, 9)),
}

PLACES = (
    "Bagterp",
    "Tårs",
    "Sindal",
    "Hirtshals",
    "Vrå",
    "Løkken",
    "Bindslev",
    "Tornby",
    "Hundelev",
    "Sønderskov",
    "Lundergård",
    "Vidstrup",
    "Skallerup",
    "Hørmested",
    "Astrup",
    "Tversted",
    "Lønstrup",
    "Mosbjerg",
    "Ugilt",
    "Bjergby",
    "Hæstrup",
    "Emmersbæk",
    "Horne",
    "Asdal",
    "Ilbro",
    "Lendum",
    "Tolne",
    "Mygdal",
    "Rubjerg",
    "Børglum",
    "Vennebjerg",
    "Poulstrup",
    "Vellingshøj",
    "Harken",
    "Nørre Lyngby",
    "Sønder Harritslev",
)
DAYCARE_NAMES = (
    "Solsikken",
    "Mælkebøtten",
    "Regnbuen",
    "Troldehuset",
    "Skovbørnehaven",
    "Spiren",
    "Myretuen",
    "Bikuben",
    "Humlebien",
    "Ellehuset",
    "Stjernen",
    "Kastanjen",
    "Egeknoppen",
    "Bøgely",
    "Mariehønen",
    "Nøddeskallen",
    "Havtornen",
    "Klitrosen",
    "Lærkereden",
    "Fyrtårnet",
    "Søstjernen",
    "Tusindfryd",
    "Pilehuset",
    "Valmuen",
    "Birkebo",
    "Rosenhaven",
    "Grantoppen",
    "Lyngbakken",
    "Sneglehuset",
    "Græshoppen",
    "Anemonen",
    "Kløverhuset",
    "Hyldebo",
    "Engblommen",
    "Vindrosen",
)
NURSING_HOME_NAMES = (
    "Lindegården",
    "Solgården",
    "Åbrinken",
    "Kastaniehaven",
    "Engly",
    "Skovbrynet",
    "Højvang",
    "Møllehaven",
    "Strandly",
    "Fyrrebo",
    "Bakkehuset",
    "Kildegården",
    "Vesterbo",
    "Egebakken",
    "Granly",
    "Aftensol",
)
HOUSING_NAMES = (
    "Kildevang",
    "Toftegården",
    "Hedebo",
    "Bøgebakken",
    "Solvang",
    "Enghaven",
    "Nørrevang",
    "Åhuset",
    "Klitgården",
    "Lyngholm",
    "Skrænten",
)
HOMECARE_DISTRICTS = ("Hjørring Nord", "Hjørring Syd", "Hjørring Øst", "Hirtshals", "Sindal", "Vrå", "Løkken", "Tårs")
JOB_TEAMS = (
    "Modtagelse og Visitation",
    "Jobparate",
    "Aktivitetsparate Nord",
    "Aktivitetsparate Syd",
    "Sygedagpenge",
    "Ressourceforløb og Jobafklaring",
    "Fleksjob og Ledighedsydelse",
    "Virksomhedsservice",
)
YOUTH_TEAMS = ("Ungevejledning", "Uddannelseshjælp", "Mentorindsats", "Overgang til uddannelse", "Unge 25-29")


@dataclass
class DemoUnit:
    """One unit of the demo tree: id, parent, name, kind, leader, and what its figures are about.

    `domain` names the kind of work an operational unit does (the indicators it reports);
    `staff` is its full-time staff and `load` its relative volume among units of its domain.
    """

    id: str
    parent: str | None
    name: str
    kind: str
    leader: Person
    domain: str = ""
    staff: float = 0.0
    load: float = 1.0
    children: list[str] = field(default_factory=list)


@dataclass
class DemoOrganisation:
    """The whole demo tree in creation order, with the reorganisation and the directorate."""

    units: dict[str, DemoUnit]
    directorate: list[Person]
    moves: list[tuple[str, str, str, dt.date]]  # unit, old parent, new parent, day of the move

    def leaves(self) -> list[DemoUnit]:
        """Operational units: teams, and institutions without teams (children as of today)."""
        return [u for u in self.units.values() if not u.children]

    def parent_on(self, unit_id: str, day: dt.date | None = None) -> str | None:
        """A unit's parent on a day (today's tree when no day is given)."""
        for unit, old, _new, moved_on in self.moves:
            if unit == unit_id and day is not None and day < moved_on:
                return old
        return self.units[unit_id].parent

    def ancestors(self, unit_id: str, day: dt.date | None = None) -> list[str]:
        """Parents up to the root, in the tree valid on `day` (today's tree when no day is given)."""
        chain = []
        parent = self.parent_on(unit_id, day)
        while parent is not None:
            chain.append(parent)
            parent = self.parent_on(parent, day)
        return chain

    def of_kind(self, kind: str) -> list[DemoUnit]:
        return [u for u in self.units.values() if u.kind == kind]


class _Builder:
    def __init__(self, rng: np.random.Generator, scale: float):
        self.rng = rng
        self.scale = scale
        self.people = PersonFactory(rng)
        self.units: dict[str, DemoUnit] = {}

    def count(self, full: int) -> int:
        return max(2, round(full * self.scale))

    def add(self, uid: str, parent: str | None, name: str, kind: str, domain: str = "", staff: float = 0.0) -> str:
        load = float(self.rng.lognormal(0.0, 0.25)) if domain else 1.0
        if domain and not staff:
            staff = float(np.round(self.rng.uniform(8, 22), 1))
        unit = DemoUnit(uid, parent, name, kind, self.people.person(), domain, float(np.round(staff * load, 1)), load)
        self.units[uid] = unit
        if parent is not None:
            self.units[parent].children.append(uid)
        return uid

    def institution(
        self,
        uid: str,
        parent: str,
        name: str,
        domain: str,
        teams: tuple[str, ...] = (),
        team_ids: tuple[str, ...] | None = None,
        staff: float = 0.0,
    ) -> str:
        self.add(uid, parent, name, "institution", "" if teams else domain, staff)
        ids = team_ids or tuple(f"{uid}-T{i:02d}" for i in range(1, len(teams) + 1))
        for tid, team in zip(ids, teams, strict=True):
            self.add(tid, uid, team, "team", domain, staff)
        return uid

    def places(self, n: int) -> list[str]:
        picks = self.rng.choice(len(PLACES), size=min(n, len(PLACES)), replace=False)
        return [PLACES[i] for i in sorted(picks)]

    def named(self, names: tuple[str, ...], n: int) -> list[str]:
        picks = self.rng.choice(len(names), size=min(n, len(names)), replace=False)
        return [names[i] for i in sorted(picks)]


def build_organisation(rng: np.random.Generator, scale: float = 1.0) -> DemoOrganisation:
    """The demo tree; `scale` below 1 shrinks the repeated institutions (schools, daycare...), a whole
    `scale` of 2 or more copies every institution with its teams that many times (see `_copies`)."""
    b = _Builder(rng, min(scale, 1.0))
    b.add(ROOT_ID, None, ROOT_NAME, "root")
    _labour_market(b)
    _children(b)
    _elderly(b)
    _technical(b)
    _copies(b, int(scale) if scale > 1 else 1)
    directorate = [b.units[ROOT_ID].leader] + [b.units[a].leader for a in ("AU", "BFU", "SAEH", "TM")]
    moves = [(MOVED_TEAM, MOVED_FROM, MOVED_TO, REORGANISATION_DAY)]
    return DemoOrganisation(b.units, directorate, moves)


def _labour_market(b: _Builder) -> None:
    b.add("AU", ROOT_ID, "Arbejdsmarked og Uddannelse", "area")
    b.add("BES", "AU", "Beskæftigelse", "sector")
    b.institution("JOB", "BES", "Jobcenter Hjørring", "jobcenter", JOB_TEAMS, REGISTER_TEAMS["beskaeftigelse"])
    b.institution(
        "YDE", "BES", "Ydelseskontoret", "benefits", ("Ydelser Nord", "Ydelser Syd", "Kontrol og Tilbagebetaling")
    )
    b.institution("VIR", "BES", "Virksomhedscenter Hjørring", "business", ("Virksomhedspraktik", "Job med løntilskud"))
    b.add("UNGS", "AU", "Unge og Uddannelse", "sector")
    b.institution("UNG", "UNGS", "Ungeenheden", "youth", YOUTH_TEAMS, REGISTER_TEAMS["unge"])
    b.institution(
        "UDS",
        "UNGS",
        "Hjørring Ungdomsskole",
        "youth_school",
        ("Klubber", "Heltidsundervisning", "Fritidsundervisning"),
    )
    b.institution("10KL", "UNGS", "10. klassecenter Vendsyssel", "tenth_grade")
    b.add("INTS", "AU", "Integration og Sprog", "sector")
    b.institution(
        "SPROG", "INTS", "Sprogcenter Hjørring", "language", ("Danskuddannelse", "Forberedende voksenundervisning")
    )
    b.institution("INTEG", "INTS", "Integrationsteamet", "integration")


def _children(b: _Builder) -> None:
    b.add("BFU", ROOT_ID, "Børn, Fritid og Undervisning", "area")
    b.add("SKO", "BFU", "Skoler", "sector")
    schools = b.places(b.count(24))
    for i, place in enumerate(schools, start=1):
        sid = f"SKO-{i:02d}"
        large = b.rng.random() < 0.55
        stages = ("Indskoling", "Mellemtrin", "Udskoling") if large else ("Indskoling", "Udskoling")
        b.institution(sid, "SKO", f"{place} Skole", "school", tuple(f"{s}, {place} Skole" for s in stages))
    b.institution("SKO-SPEC", "SKO", "Specialskolen Hjørring", "special_school")
    b.add("DAG", "BFU", "Dagtilbud", "sector")
    for i, name in enumerate(b.named(DAYCARE_NAMES, b.count(32)), start=1):
        b.institution(f"DAG-{i:02d}", "DAG", f"Børnehuset {name}", "daycare")
    b.institution("DAGPL", "DAG", "Dagplejen", "childminding", ("Dagpleje Nord", "Dagpleje Syd", "Dagpleje Vest"))
    b.add("FAM", "BFU", "Børn og Familie", "sector")
    b.institution(
        "BFM",
        "FAM",
        "Børne- og familierådgivningen",
        "family_authority",
        ("Småbørn 0-6 år", "Skolebørn 7-13 år", "Unge 14-17 år"),
    )
    b.institution("PPR", "FAM", "Pædagogisk Psykologisk Rådgivning", "ppr", ("PPR Nord", "PPR Syd"))
    b.institution("SUNDPL", "FAM", "Sundhedsplejen", "health_visitor")
    b.institution("FAMH", "FAM", "Familiehuset", "family_house", ("Familiebehandling", "Forældrekurser"))
    b.institution("BAKK", "FAM", "Børnehjemmet Bakkely", "residential_children")
    b.add("KUL", "BFU", "Kultur og Fritid", "sector")
    b.institution("BIB", "KUL", "Hjørring Bibliotekerne", "library", ("Hovedbiblioteket", "Lokalbibliotekerne"))
    b.institution("MUS", "KUL", "Hjørring Musikskole", "music_school")
    b.institution("IDR", "KUL", "Idrætsanlæg", "sports", ("Svømmehallerne", "Hallerne"))
    b.institution("KHUS", "KUL", "Kulturhuset Vendelbo", "culture_house")
    b.institution("FRK", "KUL", "Fritidsklubberne", "youth_club", ("Klub Nord", "Klub Syd", "Klub Opland"))


def _elderly(b: _Builder) -> None:
    b.add("SAEH", ROOT_ID, "Sundhed, Ældre og Handicap", "area")
    b.add("HJS", "SAEH", "Hjemmepleje og Sygepleje", "sector")
    districts = tuple(f"Hjemmeplejen {d}" for d in HOMECARE_DISTRICTS) + ("Aften og nat",)
    b.institution("HJP", "HJS", "Hjemmeplejen", "homecare", districts, (*REGISTER_TEAMS["aeldre"], "HJP-NAT"))
    b.units["HJP-NAT"].domain = "night_care"
    b.institution("SYG", "HJS", "Sygeplejen", "nursing", ("Sygepleje Nord", "Sygepleje Syd", "Akutteamet"))
    b.add("PLE", "SAEH", "Plejecentre", "sector")
    for i, name in enumerate(b.named(NURSING_HOME_NAMES, b.count(14)), start=1):
        shifts = ("Dag", "Aften", "Nat") if b.rng.random() < 0.4 else ("Dag", "Aften og nat")
        b.institution(
            f"PLE-{i:02d}",
            "PLE",
            f"Plejecenter {name}",
            "nursing_home",
            tuple(f"{s}, Plejecenter {name}" for s in shifts),
            staff=b.rng.uniform(12, 26),
        )
    b.add("SUN", "SAEH", "Sundhed og Forebyggelse", "sector")
    b.institution(MOVED_FROM, "SUN", "Træning og Rehabilitering", "training", ("Genoptræning", "Hjælpemidler"))
    b.add(MOVED_TEAM, MOVED_TO, "Hverdagsrehabilitering", "team", "rehab")
    b.institution("SCH", "SUN", "Sundhedscenter Hjørring", "health_centre", ("Forebyggelse", "Patientuddannelse"))
    b.institution("DEM", "SUN", "Demenskoordinationen", "dementia")
    b.institution("TAND", "SUN", "Kommunal Tandpleje", "dental", ("Børnetandplejen", "Omsorgstandplejen"))
    b.add("HAN", "SAEH", "Handicap og Psykiatri", "sector")
    for i, name in enumerate(b.named(HOUSING_NAMES, b.count(9)), start=1):
        b.institution(
            f"BO-{i:02d}",
            "HAN",
            f"Bostedet {name}",
            "housing_disabled",
            (f"Botilbud, Bostedet {name}", f"Aktivitet, Bostedet {name}"),
        )
    b.institution("SPSY", "HAN", "Socialpsykiatrien", "social_psychiatry", ("Bostøtte Nord", "Bostøtte Syd"))
    b.institution("VVS", "HAN", "Værkstedet Vendsyssel", "workshop")
    b.add("VIS", "SAEH", "Myndighed og Visitation", "sector")
    b.institution(
        "VISI", "VIS", "Visitationen", "visitation", ("Visitation Pleje", "Visitation Hjælpemidler og Boliger")
    )
    b.institution(
        "HMY", "VIS", "Handicapmyndigheden", "disability_authority", ("Voksenhandicap", "Socialpsykiatri-myndighed")
    )


def _technical(b: _Builder) -> None:
    b.add("TM", ROOT_ID, "Teknik og Miljø", "area")
    b.add("VEJ", "TM", "Vej og Park", "sector")
    b.institution(
        "DRIFT",
        "VEJ",
        "Driftsafdelingen",
        "roads",
        ("Vej Nord", "Vej Syd", "Park og Grønne Områder", "Vintertjeneste", "Kirkegårdene"),
    )
    b.institution("TRAF", "VEJ", "Trafik og Anlæg", "traffic", ("Trafiksikkerhed", "Anlæg"))
    b.add("MIL", "TM", "Miljø og Natur", "sector")
    b.institution("MILJ", "MIL", "Miljøafdelingen", "environment", ("Virksomhedstilsyn", "Jord og Vand"))
    b.institution("NAT", "MIL", "Natur og Kyst", "nature")
    b.institution("AFF", "MIL", "Affald og Genbrug", "waste", ("Genbrugspladserne", "Indsamling"))
    b.add("BYG", "TM", "Byg og Plan", "sector")
    b.institution("BSAG", "BYG", "Byggesagsafdelingen", "building", ("Byggesager Bolig", "Byggesager Erhverv"))
    b.institution("PLAN", "BYG", "Planafdelingen", "planning")
    b.institution(
        "EJD", "BYG", "Ejendomsservice", "property", ("Ejendomsservice Nord", "Ejendomsservice Syd", "Rengøring")
    )


def copy_id(unit_id: str, copy: int) -> str:
    """The id of a unit's `copy`-th copy at a larger scale (copy 1 is the unit itself)."""
    return unit_id if copy == 1 else f"{unit_id}-K{copy:02d}"


def _copies(b: _Builder, copies: int) -> None:
    """A larger municipality of the same structure: every institution and its teams again, `copies`
    times in all, under the same sector, with their own ids (`copy_id`), names and leaders.

    The moved team (the reorganisation) is not copied; everything else keeps its domain, so the
    copies report the same indicators, book on the same accounts and take register residents."""
    institutions = [u for u in b.units.values() if u.kind == "institution"]
    for copy in range(2, copies + 1):
        for inst in institutions:
            name = f"{inst.name} {copy}"
            new_id = b.add(copy_id(inst.id, copy), inst.parent, name, "institution", inst.domain, _base_staff(inst))
            for team in [b.units[c] for c in inst.children if c != MOVED_TEAM]:
                team_name = team.name.replace(inst.name, name) if inst.name in team.name else f"{team.name} {copy}"
                b.add(copy_id(team.id, copy), new_id, team_name, "team", team.domain, _base_staff(team))


def _base_staff(unit: DemoUnit) -> float:
    """A unit's staff before its own load was applied (a copy draws a load of its own)."""
    return unit.staff / unit.load if unit.domain else 0.0


def register_teams(org: DemoOrganisation) -> dict[str, list[str]]:
    """The units each register domain's residents are assigned to: the register teams and their copies."""
    return {
        domain: [u for team in teams for u in org.units if u == team or u.startswith(f"{team}-K")]
        for domain, teams in REGISTER_TEAMS.items()
    }


def organisation_rows(org: DemoOrganisation) -> list[dict[str, str]]:
    """The organisation import contract: one row per unit and validity span, parents before children."""
    rows = []
    moved = {m[0]: m for m in org.moves}
    for unit in org.units.values():
        base = {
            "unit_id": unit.id,
            "name": unit.name,
            "kind": unit.kind,
            "leader_email": unit.leader.email,
            "leader_name": unit.leader.name,
        }
        if unit.id in moved:
            _, old, new, day = moved[unit.id]
            rows.append(
                {
                    **base,
                    "parent_id": old,
                    "valid_from": HISTORY_START.isoformat(),
                    "valid_to": (day - dt.timedelta(days=1)).isoformat(),
                }
            )
            rows.append({**base, "parent_id": new, "valid_from": day.isoformat(), "valid_to": ""})
        else:
            rows.append(
                {**base, "parent_id": unit.parent or "", "valid_from": HISTORY_START.isoformat(), "valid_to": ""}
            )
    return rows


ORGANISATION_COLUMNS = ("unit_id", "parent_id", "name", "kind", "valid_from", "valid_to", "leader_email", "leader_name")
