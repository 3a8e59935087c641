"""Synthetic people for the demo municipality: Danish first names and surnames drawn from seeded lists.

The names are common Danish names combined at random, so no demo leader is a real person; e-mail
addresses are `fornavn.efternavn@hjoerring-demo.dk` on a domain that is not the municipality's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

DEMO_DOMAIN = "hjoerring-demo.dk"
ANALYST_EMAIL = f"analytiker@{DEMO_DOMAIN}"
ANALYST_NAME = "Demo Analytiker"

FIRST_NAMES = (
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Susanne",
    "Lene",
    "Camilla",
    "Louise",
    "Marianne",
    "Pia",
    "Helle",
    "Tina",
    "Charlotte",
    "Birgitte",
    "Maria",
    "Julie",
    "Signe",
    "Line",
    "Rikke",
    "Trine",
    "Malene",
    "Heidi",
    "Karina",
    "Dorthe",
    "Stine",
    "Sanne",
    "Lotte",
    "Anja",
    "Gitte",
    "Ida",
    "Sara",
    "Emma",
    "Katrine",
    "Maja",
    "Sofie",
    "Cecilie",
    "Bente",
    "Inge",
    "Jette",
    "Vibeke",
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Thomas",
    "Søren",
    "Niels",
    "Jesper",
    "Martin",
    "Anders",
    "Morten",
    "Rasmus",
    "Christian",
    "Jan",
    "Hans",
    "Per",
    "Mads",
    "Kasper",
    "Jakob",
    "Torben",
    "Brian",
    "Ole",
    "Steen",
    "Kim",
    "Carsten",
    "Bo",
    "Frederik",
    "Mikkel",
    "Simon",
    "Kristian",
    "Claus",
    "Poul",
    "Erik",
    "Kenneth",
    "Jonas",
    "Troels",
    "Allan",
    "Bjarne",
    "Esben",
)
SURNAMES = (
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Mikkelsen",
    "Frederiksen",
    "Laursen",
    "Henriksen",
    "Lund",
    "Schmidt",
    "Eriksen",
    "Holm",
    "Kristiansen",
    "Clausen",
    "Simonsen",
    "Svendsen",
    "Andreasen",
    "Iversen",
    "Jeppesen",
    "Mogensen",
    "Jacobsen",
    "Vestergaard",
    "Nissen",
    "Lauridsen",
    "Kjær",
    "Dahl",
    "Thygesen",
    "Bech",
    "Lassen",
    "Overgaard",
    "Bak",
    "Dam",
    "Kjeldsen",
    "Mølgaard",
    "Nørgaard",
    "Skov",
    "Bruun",
    "Østergaard",
    "Lind",
    "Winther",
    "Riis",
    "Søndergaard",
    "Gregersen",
    "Toft",
    "Bertelsen",
    "Krogh",
    "Friis",
    "Vinther",
    "Ravn",
    "Brandt",
    "Kirkegaard",
    "Bisgaard",
    "Husted",
    "Bundgaard",
    "Juhl",
    "Lykke",
    "Nygaard",
    "Holst",
    "Bendtsen",
    "Stenbæk",
    "Hvidberg",
    "Kastrup",
)

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


@dataclass(frozen=True)
class Person:
    """A synthetic demo person: a name and the e-mail they log in with."""

    name: str
    email: str


def email_local_part(name: str) -> str:
    """`Søren Østergaard` -> `soeren.oestergaard`: Danish letters spelled out, other accents dropped."""
    text = name.translate(_TRANSLIT).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", ".", text).strip(".")


class PersonFactory:
    """Hands out distinct synthetic people in a seeded order; no name or e-mail is used twice."""

    def __init__(self, rng: np.random.Generator):
        pairs = [(f, s) for f in FIRST_NAMES for s in SURNAMES]
        order = rng.permutation(len(pairs))
        self._pairs = [pairs[i] for i in order]
        self._next = 0

    def person(self) -> Person:
        first, surname = self._pairs[self._next]
        self._next += 1
        name = f"{first} {surname}"
        return Person(name=name, email=f"{email_local_part(name)}@{DEMO_DOMAIN}")
