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
