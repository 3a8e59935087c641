"""Schemathesis calls every operation of the live OpenAPI document with generated parameters and
bodies, as a pipeline with an import token would (on the page tests' seeded municipality): no
answer is a 500, and every answer conforms to the document (status, content type, shape)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from driftsblik.api.models import Scope
from driftsblik.api.tests.helpers import token_for
from driftsblik.web.tests.helpers import build_municipality, people

# What the issue holds the API to: no 500, and every answer as the document says (status, content
# type, shape). Left out: whether a schema-valid request is accepted, since a request may be valid
# by the document and still wrong by meaning (a start month after its end month is a 400).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's WSGI handler closes the database connection when a request starts and finishes;
    the test's transaction must outlive each call (Django's test client holds it open the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def import_token(db, settings):
    settings.API_RATE = "1000000/m"
    build_municipality()
    return token_for(people()["analyst"], Scope.IMPORT)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_conforms_to_the_document(case, import_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {import_token}"}, checks=CHECKS)
