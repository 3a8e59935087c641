"""The one CSV writer: rows as text a spreadsheet opens safely.

Every text cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` (OWASP's
rule against formula injection, the same as the Excel writer's); numbers are written as numbers.
Semicolon-separated by default, which Danish Excel opens into columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from driftsblik.ui.excel import neutralise


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> str:
    """The header and rows as CSV text; None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) if isinstance(v, str) else v for v in row])
    return buffer.getvalue()
