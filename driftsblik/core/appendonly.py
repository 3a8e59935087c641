"""Append-only tables, held by the database itself.

Triggers refuse UPDATE and DELETE of rows, and on PostgreSQL a BEFORE TRUNCATE trigger refuses
TRUNCATE (CASCADE included), so neither a bug, an administrator's SQL session nor `flush` can
rewrite the audit log or an issued report. The migrations create them with `create_sql`.

The one legitimate lift is `append_only_lifted()`: emptying a whole database (`driftsblik flush`,
which the test runner and `driftsblik demo` use) or a data migration. It holds for one transaction
on one connection: on PostgreSQL a transaction-local setting (`driftsblik.append_only`) the trigger
function reads; on SQLite a function (`driftsblik_append_only_lifted()`) that Driftsblik registers
on each of its connections. A connection without it (the sqlite3 shell) cannot change the rows
at all: the trigger's call fails.

SQLite keeps a table's triggers only while the table exists: a migration that rebuilds one of
these tables on SQLite (Django's way of altering a column there) must create the triggers again.
The tests in core/tests/test_appendonly.py would fail if one did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

SETTING = "driftsblik.append_only"
SQLITE_FUNCTION = "driftsblik_append_only_lifted"
PG_FUNCTION = "driftsblik_append_only"

PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF current_setting('{SETTING}', true) = 'lifted' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '%: % refused', TG_ARGV[0], TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
PG_FUNCTION_DROP = f"DROP FUNCTION IF EXISTS {PG_FUNCTION}();"


def create_sql(vendor: str, table: str, message: str) -> list[str]:
    """The statements that make `table` append-only on `vendor` (postgresql or sqlite; others: none).
    On PostgreSQL the trigger function (PG_FUNCTION_SQL) must exist."""
    quoted = message.replace("'", "''")
    if vendor == "postgresql":
        return [
            f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}('{quoted}');""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}('{quoted}');""",
        ]
    if vendor == "sqlite":
        return [
            f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
            WHEN NOT {SQLITE_FUNCTION}()
            BEGIN SELECT RAISE(ABORT, '{quoted}: {op} refused'); END;"""
            for op in ("UPDATE", "DELETE")
        ]
    return []


def drop_sql(vendor: str, table: str) -> list[str]:
    """The statements that remove what `create_sql` made."""
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("update", "delete")]
    return []


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: give each new SQLite connection the function its triggers ask."""
    if connection.vendor != "sqlite":
        return
    connection.append_only_lifted = False
    connection.connection.create_function(
        SQLITE_FUNCTION, 0, lambda: int(getattr(connection, "append_only_lifted", False))
    )


@contextmanager
def append_only_lifted(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let the statements inside change or empty the append-only tables, in one transaction on this
    connection only. For emptying a whole database and for data migrations; never for a request."""
    connection: Any = connections[using]  # the SQLite branch sets an attribute of our own
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'lifted', true)", [SETTING])
            try:
                yield
            finally:
                if not connection.needs_rollback:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT set_config(%s, '', true)", [SETTING])
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            connection.append_only_lifted = True  # read by the function the triggers call
            try:
                yield
            finally:
                connection.append_only_lifted = False
        else:
            yield
