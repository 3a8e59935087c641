"""Reading a downloaded workbook back in tests: `from driftsblik.ui.tests.helpers import read_table`."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook


@dataclass
class Downloaded:
    """One sheet of a download as the Excel writer lays it out: title, header lines, column titles, rows."""

    title: str
    header: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]

    def column(self, title: str) -> list[Any]:
        index = self.columns.index(title)
        return [row[index] for row in self.rows]

    def row(self, first: Any) -> list[Any]:
        """The row whose first cell is `first`."""
        return next(row for row in self.rows if row[0] == first)


def read_table(response: Any, sheet: int = 0) -> Downloaded:
    """The `sheet`-th sheet of a downloaded workbook (a FileResponse)."""
    ws = load_workbook(io.BytesIO(response.getvalue())).worksheets[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    blank = next(i for i, r in enumerate(rows) if i > 0 and all(v is None for v in r))
    width = len([v for v in rows[blank + 1] if v is not None])
    return Downloaded(
        title=rows[0][0],
        header={r[0]: r[1] for r in rows[1:blank]},
        columns=rows[blank + 1][:width],
        rows=[r[:width] for r in rows[blank + 2 :]],
    )
