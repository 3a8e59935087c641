"""What a signed-in person is shown is stored by no cache; static files may be."""

from __future__ import annotations

import pytest

from driftsblik.web.tests.helpers import build_municipality, people

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_signed_in_pages_parts_and_downloads_are_private_and_not_stored(client):
    build_municipality()
    leaders = people()
    client.force_login(leaders["sector"])
    for path, headers in [
        ("/", {}),
        ("/", {"HX-Request": "true"}),  # an htmx part
        ("/enhed/S1I1/", {}),
        ("/eksport/below/S1/", {}),  # a download
    ]:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= directives(response), path


def test_static_files_stay_cacheable_for_a_signed_in_person(client):
    build_municipality()
    client.force_login(people()["sector"])
    response = client.get("/static/web/driftsblik.css")
    response.close()  # WhiteNoise streams the file
    assert response.status_code == 200
    assert "no-store" not in directives(response)


@pytest.mark.parametrize(
    "url",
    ["/indikator/visits%00/K/", "/enhed/K%00/", "/eksport/months/K/?indikator=visits%00", "/?periode=2025-01&x%00=1"],
)
def test_a_nul_character_in_the_address_is_a_400_in_danish(client, url):
    build_municipality()
    client.force_login(people()["kd"])
    response = client.get(url)
    assert response.status_code == 400
    assert "Ugyldig forespørgsel" in response.content.decode()
