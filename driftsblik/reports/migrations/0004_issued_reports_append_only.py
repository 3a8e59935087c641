"""Issued reports are append-only like the audit log (core/appendonly.py): triggers refuse UPDATE and
DELETE on both databases and TRUNCATE on PostgreSQL (CASCADE included), lifted only by
`append_only_lifted()` (emptying a database with `driftsblik flush`). Replaces 0002's triggers,
which let TRUNCATE through on PostgreSQL and DELETE on SQLite."""

import importlib

from django.db import migrations

from driftsblik.core import appendonly

TABLE = "reports_issuedreport"
MESSAGE = "issued reports are immutable: issue a new version"


def _drop_0002(vendor):
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE};", f"DROP FUNCTION IF EXISTS {TABLE}_immutable();"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {TABLE}_no_update;", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;"]
    return []


def _create_0002(vendor):
    module = importlib.import_module("driftsblik.reports.migrations.0002_issued_reports_immutable")
    return {"sqlite": module.SQLITE, "postgresql": module.POSTGRESQL}.get(vendor, [])


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in [*_drop_0002(vendor), *appendonly.create_sql(vendor, TABLE, MESSAGE)]:
        schema_editor.execute(sql, None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in [*appendonly.drop_sql(vendor, TABLE), *_create_0002(vendor)]:
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_commentary_challenges"), ("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
