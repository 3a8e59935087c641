"""Demo mode cannot open a real database: the demo login takes only the people the demo created,
never a superuser, and `driftsblik serve` refuses demo mode on a database with anyone else."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core.models import AuditEntry
from driftsblik.organisation.models import User
from driftsblik.organisation.tests.factories import make_user


@pytest.fixture
def demo_town(town, settings):
    settings.DEMO_MODE = True
    User.objects.update(created_by_demo=True)
    return town


def test_demo_login_lists_leaders_and_logs_in_without_password(client, demo_town):
    html = client.get("/login/").content.decode()
    for email in ("kd@example.dk", "a1@example.dk", "s1@example.dk", "i1@example.dk", "analytiker@example.dk"):
        assert f'value="{email}"' in html
    assert 'action="/login/demo/"' in html
    response = client.post("/login/demo/", {"email": "s1@example.dk"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Sofie Sektor" in client.get("/").content.decode()
    assert AuditEntry.objects.get(what="login").detail == "demo"
    response = client.post("/login/demo/", {"email": "s1@example.dk", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.post("/login/demo/", {"email": "s1@example.dk", "next": "/enhed/S1I1/"})
    assert response["Location"] == "/enhed/S1I1/"


@pytest.mark.parametrize("email", ["", "nobody@example.dk"])
def test_demo_login_refuses_unknown_people(client, demo_town, email):
    assert client.post("/login/demo/", {"email": email}).status_code == 404


def test_demo_login_refuses_people_the_demo_did_not_create(client, demo_town):
    """Before: POST /login/demo/ with a superuser's address not on the demo list logged in as them."""
    make_user("root@kommune.dk", superuser=True)
    make_user("leder@kommune.dk")
    User.objects.filter(email="kd@example.dk").update(is_superuser=True, created_by_demo=True)
    html = client.get("/login/").content.decode()
    assert "root@kommune.dk" not in html and "leder@kommune.dk" not in html and 'value="kd@example.dk"' not in html
    for email in ("root@kommune.dk", "leder@kommune.dk", "kd@example.dk"):
        assert client.post("/login/demo/", {"email": email}).status_code == 404
        assert client.get("/").status_code == 302


def test_demo_login_is_404_outside_demo_mode(client, demo_town, settings):
    settings.DEMO_MODE = False
    html = client.get("/login/").content.decode()
    assert "kd@example.dk" not in html and "/login/demo/" not in html
    response = client.post("/login/demo/", {"email": "kd@example.dk"})
    assert response.status_code == 404
    assert client.get("/").status_code == 302  # still not logged in
    assert client.get("/login/demo/").status_code == 404
    settings.DEMO_MODE = True
    assert client.get("/login/demo/").status_code == 405


def test_serve_refuses_demo_mode_on_a_database_with_other_people(demo_town, settings):
    """Before: `serve` started in demo mode on a database with real users."""
    make_user("leder@kommune.dk")
    with pytest.raises(CommandError, match=r"people the demo did not create \(leder@kommune.dk\)"):
        call_command("serve", port=0)


def test_the_demo_marks_the_people_it_makes(db, tmp_path):
    from driftsblik.core.periods import Month
    from driftsblik.demo.build import load_demo_files, write_demo_files

    make_user("leder@kommune.dk")
    files = write_demo_files(tmp_path, seed=7, last_month=Month(2026, 3), scale=0.05, budget_years=1)
    load_demo_files(files, say=lambda _text: None)
    assert User.objects.filter(created_by_demo=True).count() > 10
    assert not User.objects.filter(created_by_demo=True, is_superuser=True).exists()
    assert list(User.objects.filter(created_by_demo=False).values_list("email", flat=True)) == ["leder@kommune.dk"]
