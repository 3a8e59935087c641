"""The main menu: every part of the app is one click away, and the current part is marked once."""

from __future__ import annotations

import re

import pytest

from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="driftsblik-nav[^"]*"[^>]*>(.*?)</nav>', re.S)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/indsatser/", "/indsatser/"),
        ("/rapporter/", "/rapporter/"),
        ("/budget/", "/budget/"),
        ("/dialog/", "/dialog/"),
        ("/beskeder/", "/beskeder/"),
    ],
)
def test_the_menu_marks_exactly_the_current_part(client, path, current):
    build_municipality()
    client.force_login(people()["sector"])
    response = client.get(path)
    assert response.status_code == 200
    menu = MENU.search(response.content.decode()).group(1)
    marked = re.findall(r'<a href="([^"]+)" aria-current="page"', menu)
    assert marked == [current]
    for target in ("/", "/indsatser/", "/rapporter/", "/budget/", "/forloeb/", "/dialog/", "/beskeder/"):
        assert f'href="{target}"' in menu


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    from driftsblik.engine.generate import generate

    out = tmp_path_factory.mktemp("registers")
    units = {"beskaeftigelse": ["S1I1T1"], "unge": ["S1I2T1"], "aeldre": ["S3I1T1"]}
    generate(out, persons=300, start="2024-01", end="2025-03", seed=3, units=units)
    return out


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_menu_link_opens_for_every_role(client, settings, registers):
    """Each role's menu offers only what opens for them: no link in it answers 404 (or anything but 200)."""
    from driftsblik.organisation.models import Committee
    from driftsblik.organisation.tests.factories import make_committee, make_user
    from driftsblik.pathways import services
    from driftsblik.web.tests.helpers import leader

    settings.REGISTERS = str(registers)
    services.cache_clear()
    build_municipality()
    who = people()
    who["team"] = leader("t1@example.dk", "S2I1T1", "Tove Team")  # a team with no register units in view
    who["member"] = make_user("politiker@example.dk", name="Poul Politiker")  # on a committee, nothing else
    committee = Committee.objects.filter(code="AU").first() or make_committee("AU", "Udvalget")
    committee.members.add(who["member"])
    offered: dict[str, list[str]] = {}
    for role, user in who.items():
        client.force_login(user)
        home = client.get("/", follow=True)
        menu = MENU.search(home.content.decode())
        links = re.findall(r'<a href="([^"]+)"', menu.group(1)) if menu else []
        offered[role] = links
        for link in links:
            assert client.get(link).status_code == 200, (role, link)
    services.cache_clear()
    assert "/forloeb/" not in offered["team"] and "/forloeb/" in offered["sector"]
    assert offered["member"] == ["/rapporter/"]
    assert "/sammenlign/" in offered["kd"] and "/sammenlign/" not in offered["institution"]
