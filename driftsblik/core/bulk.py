"""Plain rows into a model's table in a few statements: what the roll-ups write by the hundred thousand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows` (Python values in the order of `fields`: str, int, date, Decimal) into
    `model`'s table: one COPY on PostgreSQL, one executemany elsewhere. No model is built, no
    signal sent, no default filled in: the caller gives every column it needs."""
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(str(meta.get_field(f).column)) for f in fields)  # type: ignore[union-attr]
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datefield_value
        places = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({places})",  # noqa: S608 - names from the model
            [tuple(_plain(value, adapt) for value in row) for row in rows],
        )


def _plain(value: Any, adapt: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return adapt(value)
    return value
