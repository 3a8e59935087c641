"""Text on the indicator page that reads right in Danish."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db


def _kind_line(client, user, url: str) -> str:
    client.force_login(user)
    html = client.get(url).content.decode()
    match = re.search(r"<dd>((?:resultat|aktivitet), [^<]*)</dd>", html)
    assert match, url
    return match.group(1)


def test_the_unit_is_named_once_beside_the_measure():
    build_municipality()
    analyst = people()["analyst"]
    client = Client(headers={"accept-language": "da"})
    # a share's unit "%" is already in "andel (%)"; a count's unit is added
    assert _kind_line(client, analyst, "/indikator/in_job/S1/") == "resultat, andel (%)"
    assert _kind_line(client, analyst, "/indikator/visits/S1/") == "aktivitet, antal (besøg)"
