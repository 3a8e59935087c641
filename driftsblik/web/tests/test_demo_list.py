"""The demo login list: every level of the tree, grouped by level from the top, team leaders included."""

from __future__ import annotations

import re

import pytest

from driftsblik.organisation.models import User
from driftsblik.web.tests.helpers import build_municipality, leader, people

pytestmark = pytest.mark.django_db


def test_the_demo_login_lists_every_level_grouped_team_leaders_included(client, settings):
    build_municipality()
    people()
    leader("t1@example.dk", "S1I1T1", "Tove Team")
    settings.DEMO_MODE = True
    User.objects.update(created_by_demo=True)
    html = client.get("/login/").content.decode()
    levels = re.findall(r'<h3 class="driftsblik-demo-level">([^<]+)</h3>', html)
    expected = ["Kommunaldirektør", "Direktør", "Chef", "Institutionsleder", "Teamleder"]
    assert levels[: len(expected)] == expected, levels
    assert len(levels) == len(set(levels)), "one group per level"
    team_group = html.split('<h3 class="driftsblik-demo-level">Teamleder</h3>')[1].split("</ul>")[0]
    assert 'value="t1@example.dk"' in team_group and "Tove Team" in team_group
    sector_group = html.split('<h3 class="driftsblik-demo-level">Chef</h3>')[1].split("</ul>")[0]
    assert 'value="s1@example.dk"' in sector_group and 'value="t1@example.dk"' not in sector_group
