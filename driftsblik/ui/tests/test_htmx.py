"""The one htmx partial helper: the main part for htmx, the whole page otherwise."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from driftsblik.ui.htmx import is_partial, partial_template, render_page

PAGES = {
    "kit/page.html": "<html><body>{% include 'kit/_page_main.html' %}</body></html>",
    "kit/_page_main.html": "<main>{{ word }}</main>",
}


@pytest.fixture
def templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", PAGES)]},
        }
    ]


def request(**headers):
    made = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda r: None)(made)
    return made


def test_the_partial_lives_beside_its_page():
    assert partial_template("web/overview.html") == "web/_overview_main.html"
    assert partial_template("pathways/cohort.html") == "pathways/_cohort_main.html"
    with pytest.raises(ValueError):
        partial_template("web/overview.txt")


def test_htmx_gets_the_main_part_and_everything_else_the_page(templates):
    assert is_partial(request(HX_Request="true"))
    assert not is_partial(request())
    assert not is_partial(request(HX_Request="true", HX_History_Restore_Request="true"))
    partial = render_page(request(HX_Request="true"), "kit/page.html", {"word": "hej"})
    assert partial.content.decode() == "<main>hej</main>"
    whole = render_page(request(), "kit/page.html", {"word": "hej"})
    assert whole.content.decode() == "<html><body><main>hej</main></body></html>"
    restore = render_page(request(HX_Request="true", HX_History_Restore_Request="true"), "kit/page.html", {"word": "x"})
    assert restore.content.decode().startswith("<html>")
