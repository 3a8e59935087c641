"""The organisation admin opens for an administrator: lists, a unit with its spans and leaders, search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from driftsblik.organisation.models import Committee, Leadership, TaskArea, UnitSpan, User
from driftsblik.organisation.services import org_import
from driftsblik.organisation.tests.factories import make_committee, make_user
from driftsblik.organisation.tests.test_org_import import example_path


@pytest.fixture
def admin_client_with_org(client, db):
    org_import(path=example_path())
    make_committee("BFU", "Børneudvalget", task_areas={"skole": ("Folkeskole", ["SKOLE", "NORD"])})
    admin = make_user("admin@eksempel.test", superuser=True)
    client.force_login(admin)
    return client


@pytest.mark.parametrize("model", ["user", "unit", "unitspan", "leadership", "committee", "taskarea"])
def test_every_list_opens(admin_client_with_org, model):
    response = admin_client_with_org.get(reverse(f"admin:organisation_{model}_changelist"))
    assert response.status_code == 200


def test_a_unit_page_shows_its_spans_and_its_leader(admin_client_with_org):
    response = admin_client_with_org.get(reverse("admin:organisation_unit_change", args=["NORD-UDS"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Udskoling Nord" in page
    assert "Udskoling (flyttet til Syd)" in page
    assert "Teamleder" in page  # the leader, as the autocomplete shows a user


@pytest.mark.parametrize(
    ("model", "pk"),
    [
        ("user", lambda: User.objects.get(email="leder.nord@eksempel.test").pk),
        ("unitspan", lambda: UnitSpan.objects.earliest("pk").pk),
        ("leadership", lambda: Leadership.objects.earliest("pk").pk),
        ("committee", lambda: Committee.objects.get(code="BFU").pk),
        ("taskarea", lambda: TaskArea.objects.get(code="skole").pk),
    ],
)
def test_every_change_page_opens(admin_client_with_org, model, pk):
    response = admin_client_with_org.get(reverse(f"admin:organisation_{model}_change", args=[pk()]))
    assert response.status_code == 200


def test_users_are_searched_by_email_and_name(admin_client_with_org):
    response = admin_client_with_org.get(reverse("admin:organisation_user_changelist"), {"q": "Skoleleder"})
    page = response.content.decode()
    assert "leder.nord@eksempel.test" in page
    assert "chef.pleje@eksempel.test" not in page


def test_the_add_user_form_opens(admin_client_with_org):
    assert admin_client_with_org.get(reverse("admin:organisation_user_add")).status_code == 200
