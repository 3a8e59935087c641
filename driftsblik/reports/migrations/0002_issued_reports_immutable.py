"""Issued reports are immutable in the database itself: a trigger refuses updates (and on PostgreSQL
deletes of single rows; a test database is still emptied by TRUNCATE). On SQLite deletes stay possible,
because the test runner empties tables with DELETE between tests; no code path deletes one."""

from django.db import migrations

TABLE = "reports_issuedreport"

SQLITE = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'issued reports are immutable: issue a new version'); END;""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update;", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;"]

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_immutable() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'issued reports are immutable: issue a new version'; END;
    $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_immutable();""",
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE};", f"DROP FUNCTION IF EXISTS {TABLE}_immutable();"]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
