"""An issued report's HTML is a frozen document with its stylesheet inline: it is served with a
policy of its own that allows exactly that stylesheet (by hash) and its data: charts."""

from __future__ import annotations

import base64
import hashlib
import os
import re

import pytest
from django.urls import reverse

from driftsblik.core.periods import Period
from driftsblik.reports.services import report_issue
from driftsblik.web.tests.test_accessibility import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

Q1 = Period.parse("2025Q1")


def test_the_policy_allows_the_documents_own_stylesheet_and_nothing_else():
    from driftsblik.reports.render import document_policy

    document = "<html><head><style>\nbody { color: red; }\n</style></head><body><img src='data:x'></body></html>"
    digest = base64.b64encode(hashlib.sha256(b"\nbody { color: red; }\n").digest()).decode()
    policy = document_policy(document)
    assert f"style-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "img-src data:" in policy and "script-src" not in policy
    assert "style-src 'none'" in document_policy("<html><body>no style</body></html>")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_issued_document_is_styled_under_its_policy(short_connections, live_server, browser_page, town):
    issued = report_issue(committee=town["committee"], period=Q1, kind="status", by=None, deliver=False)
    page, errors = browser_page
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "style-src" in message.text else None)
    log_in(page, live_server.url, email="sekretaer@example.dk")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}{reverse('reports:issued_html', args=[issued.pk])}")
    assert response is not None and response.status == 200
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", response.headers["content-security-policy"])
    # the document's own stylesheet applies (body 10pt), its charts show, nothing was refused
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "13.3333px"
    assert page.locator("img[src^='data:image/svg+xml']").count() > 0
    assert page.evaluate("[...document.images].every(img => img.complete && img.naturalWidth > 0)")
    assert refused == []
    assert errors == []
