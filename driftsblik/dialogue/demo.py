"""The demo's dialogue: threads across the leadership chain, some answered, some closed, some overdue.

The heart of it is the story of the issue: the director of Sundhed, Ældre og Handicap asks the
head of Hjemmepleje og Sygepleje why the delivered home-care hours fell in one district; the
answer comes late, with an action for Hjemmeplejen's leader, and the sector head passes a
sub-challenge down to Hjemmeplejen, which is now overdue. Around it, a dozen other threads in
every area. Everything goes through the services, with dates relative to the day the demo is
built (so "overdue" means overdue when you look), and the periods are the demo's last month and
quarter. E-mails are not sent while the demo is built; the messages are in the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from driftsblik.core.periods import Month
from driftsblik.demo.organisation import REGISTER_TEAMS
from driftsblik.dialogue import services
from driftsblik.dialogue.models import Challenge
from driftsblik.indicators.models import Indicator, Observation
from driftsblik.organisation.models import Unit, User
from driftsblik.ui.formats import number_da


class _Story:
    def __init__(self, files: Any, today: dt.date):
        self.org = files.organisation
        self.today = today
        self.last = files.last_month
        self.month = str(files.last_month)
        last = files.last_month
        self.quarter = f"{last.year}Q{(last.month + 2) // 3}"
        self.users = {u.email.lower(): u for u in User.objects.all()}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.count = 0

    def leader(self, unit_id: str) -> User:
        return self.users[self.org.units[unit_id].leader.email.lower()]

    def at(self, days_ago: int, hour: int = 9) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def raise_(self, author_unit: str, unit_id: str, code: str, question: str, *, ago: int, answer_in: int | None,
               quarter: bool = False, parent: Challenge | None = None) -> Challenge:  # fmt: skip
        self.count += 1
        return services.challenge_raise(
            author=self.leader(author_unit),
            unit=Unit.objects.get(pk=unit_id),
            indicator=self.indicators[code],
            period=self.quarter if quarter else self.month,
            question=question,
            answer_by=None if answer_in is None else self.day(-ago + answer_in),
            parent=parent,
            at=self.at(ago),
        )

    def answer(self, challenge: Challenge, text: str, *, ago: int, actions: list[tuple[str, str, int]] = ()) -> None:
        specs = [{"title": t, "owner": self.leader(u), "due": self.day(due)} for t, u, due in actions]
        services.challenge_answer(
            challenge=challenge, by=challenge.addressee, text=text, actions=specs, at=self.at(ago, 14)
        )


def _first_child(org: Any, unit_id: str) -> str:
    return org.units[unit_id].children[0]


def load_demo(files: Any, *, say: Callable[[str], object]) -> str:
    """Create the demo's threads through the services; a one-line summary."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        story = _Story(files, timezone.localdate())
        _homecare(story)
        _around_the_chain(story, files.organisation)
    challenges = Challenge.objects.count()
    overdue = Challenge.objects.filter(status="open", answer_by__lt=story.today).count()
    return f"{challenges} challenges ({overdue} overdue), {story.count} raised by the demo"


def _weakest_district(s: _Story, last: Month) -> tuple[str, Decimal | None, Decimal | None]:
    """The home-care district whose delivered hours changed least (fell most) into the last month."""
    hours = dict.fromkeys(REGISTER_TEAMS["aeldre"], None)
    rows = Observation.objects.filter(
        indicator_id="homecare_hours", unit_id__in=list(hours), period__in=[last.shift(-1).first, last.first]
    ).values_list("unit_id", "period", "numerator")
    found: dict[str, dict] = {}
    for unit_id, period, numerator in rows:
        found.setdefault(unit_id, {})[period] = numerator
    change = {
        u: (p[last.shift(-1).first], p[last.first]) for u, p in found.items() if len(p) == 2 and p[last.shift(-1).first]
    }
    if not change:
        return REGISTER_TEAMS["aeldre"][0], None, None
    unit_id = min(sorted(change), key=lambda u: change[u][1] / change[u][0])
    return unit_id, *change[unit_id]


def _homecare(s: _Story) -> None:
    # The director asks the sector head about the district whose hours fell; the answer comes two
    # days late, with an action.
    district, before, after = _weakest_district(s, s.last)
    name = s.org.units[district].name
    if before is None:
        fact = f"De leverede timer i {name} udvikler sig dårligere end i de andre distrikter."
    elif after < before:
        fact = (
            f"De leverede timer i {name} faldt fra {number_da(before, 0)} til {number_da(after, 0)} i "
            f"{s.last.label_da}."
        )
    else:
        fact = (
            f"De leverede timer i {name} steg kun fra {number_da(before, 0)} til {number_da(after, 0)} i "
            f"{s.last.label_da}, mindst af distrikterne."
        )
    top = s.raise_(
        "SAEH",
        "HJS",
        "homecare_hours",
        f"{fact} Hvad skyldes det, og er borgerne blevet berørt?",
        ago=20,
        answer_in=8,
    )
    s.answer(
        top,
        "Det skyldes især sygefravær og tre ubesatte stillinger i distriktet; aflyste besøg er flyttet, "
        "ikke droppet, men praktisk hjælp er udskudt for 40 borgere. Vi gennemgår ruteplanlægningen, og "
        "Hjemmeplejen redegør for, hvordan de udskudte besøg indhentes.",
        ago=10,
        actions=[(f"Gennemgå ruteplanlægningen i {name}", "HJP", 14)],
    )
    # ...and passes a sub-challenge down to Hjemmeplejen, which has not answered by its date.
    s.raise_(
        "HJS",
        "HJP",
        "homecare_hours",
        f"Direktøren spørger til de leverede timer i {name}. Hvornår er de udskudte besøg indhentet, "
        "og hvad gør I for at besætte de ledige stillinger?",
        ago=9,
        answer_in=6,
        parent=top,
    )
    # The municipal director asks about the quarter; answered on time and closed.
    share = s.raise_(
        next(u for u in s.org.units.values() if u.parent is None).id,
        "SAEH",
        "homecare_delivered_share",
        "Andelen af visiterede timer, der bliver leveret, ligger under målet i kvartalet. Hvad er planen?",
        ago=40,
        answer_in=14,
        quarter=True,
    )
    s.answer(
        share,
        "Vi har indført daglig opfølgning på aflyste besøg og forventer at være på målet inden for to måneder.",
        ago=31,
    )
    services.challenge_close(challenge=share, by=share.author, text="Tak, vi følger op i næste kvartal.", at=s.at(29))
    # The sector head and Hjemmeplejen on the number of citizens: an action done on time, closed.
    citizens = s.raise_(
        "HJS",
        "HJP",
        "homecare_citizens",
        "Antallet af borgere i hjemmeplejen stiger mere end forventet. "
        "Ser I flere nye borgere eller færre afslutninger?",
        ago=55,
        answer_in=10,
    )
    s.answer(
        citizens,
        "Flere nye borgere efter udskrivning fra sygehuset. Vi koordinerer med visitationen.",
        ago=50,
        actions=[("Fast ugemøde med visitationen om udskrivninger", "HJP", -40)],
    )
    action = citizens.actions.get()
    services.action_update(action=action, by=action.owner, status="under_way", at=s.at(48))
    services.action_update(action=action, by=action.owner, status="done", note="Møderne kører.", at=s.at(42))
    services.challenge_close(challenge=citizens, by=citizens.author, at=s.at(41))
    # Hjemmeplejen asks one level up: a question to the sector head, not yet due.
    s.raise_(
        "HJP",
        "HJS",
        "visitation_days",
        "Sagsbehandlingstiden i visitationen er steget. Kan sektoren hjælpe med at få den ned, så vi kan planlægge?",
        ago=3,
        answer_in=14,
    )


def _around_the_chain(s: _Story, org: Any) -> None:
    root = next(u for u in org.units.values() if u.parent is None).id
    # Labour market: an answered thread with an overdue action, and an overdue sub-challenge.
    cash = s.raise_(
        "AU",
        "BES",
        "cash_benefit_long_term",
        "Antallet af langvarige kontanthjælpsmodtagere er ikke faldet som planlagt. Hvilke grupper står stille?",
        ago=35,
        answer_in=10,
    )
    s.answer(
        cash,
        "Især borgere over 50 med helbredsproblemer. Vi styrker virksomhedsrettede forløb for dem.",
        ago=27,
        actions=[("Plan for virksomhedsrettede forløb for borgere over 50", "BES", -5)],
    )
    s.raise_(
        "BES",
        "JOB",
        "interviews_on_time",
        "Hvorfor holdes færre samtaler rettidigt i jobcentret end sidste år?",
        ago=12,
        answer_in=9,
        parent=cash,
    )
    youth = s.raise_(
        "AU",
        "UNGS",
        "youth_in_job_or_education",
        "Andelen af unge i job eller uddannelse er steget i kvartalet. Hvad har virket, som andre kan lære af?",
        ago=30,
        answer_in=14,
        quarter=True,
    )
    s.answer(youth, "Fast mentor fra første samtale og tæt kontakt til erhvervsskolerne.", ago=22)
    services.challenge_close(challenge=youth, by=youth.author, text="Godt. Del det i metodefællesskabet.", at=s.at(21))
    # The municipal director asks an area again after the first answer.
    work = s.raise_(
        root,
        "AU",
        "cash_benefit_long_term_in_work",
        "Hvor mange af de langvarige modtagere har løntimer, og hvordan flytter vi flere?",
        ago=25,
        answer_in=10,
        quarter=True,
    )
    s.answer(work, "Andelen er stabil. Vi afprøver småjob i samarbejde med virksomhedscentret.", ago=18)
    services.challenge_ask_again(
        challenge=work,
        by=work.author,
        text="Hvornår kan vi se effekten i tallene, og hvad er målet for året?",
        answer_by=s.day(7),
        at=s.at(16),
    )
    # Children and schools: an open challenge, not yet due.
    children_sector = _first_child(org, "BFU")
    s.raise_(
        "BFU",
        children_sector,
        "school_absence",
        "Fraværet stiger i vintermånederne. Er det bredt eller koncentreret på enkelte skoler?",
        ago=4,
        answer_in=10,
    )
    # Technical area: answered late, the action done late, closed.
    tech_sector = _first_child(org, "TM")
    roads = s.raise_(
        "TM",
        tech_sector,
        "road_repairs",
        "Vejreparationerne ligger bagud. Skyldes det vejret eller kapaciteten?",
        ago=60,
        answer_in=7,
    )
    s.answer(roads, "Kapaciteten: to medarbejdere på orlov. Vi har hyret en entreprenør.", ago=50, actions=[
        ("Aftale med entreprenør om reparationer", tech_sector, -45),
    ])  # fmt: skip
    action = roads.actions.get()
    services.action_update(action=action, by=action.owner, status="done", at=s.at(40))
    services.challenge_close(challenge=roads, by=roads.author, at=s.at(39))
    # Nursing homes: open, due in a week.
    s.raise_(
        "SAEH",
        "PLE",
        "nursing_home_occupancy",
        "Belægningen på plejecentrene er faldet. Står der pladser tomme, og hvad koster det?",
        ago=2,
        answer_in=9,
    )
