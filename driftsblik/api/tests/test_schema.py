"""The OpenAPI 3 document and its rendered page: valid, described in English and Danish, served
from our own static files with no inline script (the site's CSP refuses it)."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_document_is_valid_openapi_3(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    validate(document)
    paths = set(document["paths"])
    assert {
        "/api/v1/units",
        "/api/v1/figures/{code}/{unit_id}",
        "/api/v1/table",
        "/api/v1/imports/observations",
    } <= paths


def test_every_field_is_described_in_english_and_danish(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    missing = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, spec in schema.get("properties", {}).items()
        if "Dansk:" not in spec.get("description", "")
    ]
    assert not missing


def test_every_query_parameter_is_described_in_english_and_danish(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    missing = [
        f"{path} {parameter['name']}"
        for path, operations in paths.items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and "Dansk:" not in parameter.get("description", "")
    ]
    assert not missing


def test_the_page_loads_no_inline_script_and_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attributes, body in scripts:
        assert 'type="application/json"' in attributes or (not body.strip() and "src=" in attributes)
    assert not re.search(r'(src|href)="https?://', html)
    assert "script-src 'self'" in response["Content-Security-Policy"]
