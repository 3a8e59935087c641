"""The one Excel writer: every download of a table is a workbook ready to filter and sum.

A `Table` is what a page shows: a title, header lines above the table (the unit, the period, when
the data were loaded, who downloaded it; the suppression note when a figure is hidden), the column
titles and the rows. `workbook(*tables)` writes one sheet per table:

- the title in bold, the header lines as label and text, a blank row, then the table;
- the column titles in bold, frozen (they stay in view while scrolling) and with an autofilter over
  the whole table;
- every column as wide as its longest content (from the column title and the cells as they read);
- numbers as numbers, with Danish-reading number formats (Excel shows `#,##0.0` as `1.234,5` in a
  Danish locale): counts whole or with the page's decimals, shares as real percentages (12,3 % is
  the number 0.123 formatted `0.0 %`), differences between shares as numbers in percentage points
  (`+1,2 pct.-point`), never as per cent;
- every text cell starting with `=`, `+`, `-`, `@`, tab or carriage return neutralised with a
  leading `'` (OWASP's rule against formula injection), so a unit named `=HYPERLINK(...)` stays
  inert text; numbers stay numbers.

Cells are plain values (text, numbers, None) or `Cell`s made by `number`, `percent`, `points`,
`figure` and `status`, which carry the number format and a status fill.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from driftsblik.indicators.models import Measure
from driftsblik.indicators.suppression import SECONDARY, limit, suppression_label
from driftsblik.indicators.suppression import label as hidden_label
from driftsblik.ui import formats
from driftsblik.ui import status as status_table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 8, 60
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


def neutralise(text: str) -> str:
    """Text that a spreadsheet could read as a formula, made inert with a leading `'` (OWASP)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def number_format(places: int = 0) -> str:
    """'#,##0' or '#,##0.0': thousands separated, `places` decimals."""
    return "#,##0" + ("." + "0" * places if places else "")


def percent_format(places: int = 1) -> str:
    return number_format(places) + " %"


def signed_format(places: int = 0, suffix: str = "") -> str:
    """A difference, always with its sign: '+12', '-3', '0' (and the suffix)."""
    base = number_format(places) + suffix
    return f"+{base};-{base};{base}"


def points_format(places: int = 1) -> str:
    """Signed percentage points: '+1,2 pct.-point', '-0,4 pct.-point', '0,0 pct.-point'."""
    return signed_format(places, f' "{formats.POINTS}"')


@dataclass(frozen=True)
class Cell:
    """A value with its number format and an optional fill (a status colour)."""

    value: Any
    format: str | None = None
    fill: str | None = None
    text: str | None = None  # how it reads, for the column width; made from the value when None
    hidden: bool = False  # a figure hidden by small-number suppression: the sheet gets the note
    mark: str | None = None  # SECONDARY for a figure hidden so that a small one cannot be worked out


def number(value: Decimal | float | int | None, places: int = 0) -> Cell:
    """A count or amount with `places` decimals, as on the page."""
    return Cell(_numeric(value), number_format(places), text=formats.number_da(value, places))


def amount(value: Decimal | None) -> Cell:
    """A numerator or denominator: whole numbers without decimals, fractions with one."""
    places = 0 if value is None or value == value.to_integral_value() else 1
    return number(value, places)


def percent(value: Decimal | float | None, places: int = 1) -> Cell:
    """A percentage as the page shows it (12.3 means 12,3 %), written as the share 0.123 in a % format."""
    share = None if value is None else Decimal(str(value)) / 100
    return Cell(_numeric(share), percent_format(places), text=formats.percent_da(value, places))


def points(value: Decimal | float | None, places: int = 1) -> Cell:
    """A difference between two percentages, in percentage points (never as per cent)."""
    return Cell(_numeric(value), points_format(places), text=formats.points_da(value, places))


def measured(measure: formats.Measured, value: Decimal | None, *, change: bool = False) -> Cell:
    """An indicator's value (or, with `change`, a difference of two values) in the page's format:
    shares as percentages (differences in points), counts whole or with one decimal, rates with one."""
    places = formats.places_for(measure.measure, value)
    if measure.measure == Measure.SHARE:
        return points(value, places) if change else percent(value, places)
    if change:
        return Cell(_numeric(value), signed_format(places), text=formats.number_da(value, places, sign=True))
    return number(value, places)


def figure(
    measure: formats.Measured, value: Decimal | None, shown_status: str | None, *, suppressed: bool | str | None
) -> Any:
    """A figure as the page shows it: the suppression label when hidden, else the value coloured by status."""
    if suppressed:
        return hidden(suppressed if isinstance(suppressed, str) else None)
    cell = measured(measure, value)
    return Cell(cell.value, cell.format, status_table.status(shown_status).tone.fill, cell.text)


def hidden(mark: str | bool | None = None) -> Cell:
    """A figure hidden by small-number suppression: it reads '<5' (small) or 'x' (hidden so that a small
    one cannot be worked out: `mark` is SECONDARY), and the sheet says why."""
    mark = mark if isinstance(mark, str) else None
    return Cell(hidden_label(mark), hidden=True, mark=mark)


def secondary_note() -> tuple[str, str]:
    return (_("Hidden figures"), _("x: hidden so that small numbers cannot be worked out."))


def suppression_note() -> tuple[str, str]:
    return (
        _("Small numbers"),
        _("%(label)s: the figure counts between 1 and %(top)s persons and is hidden to protect them.")
        % {"label": suppression_label(), "top": limit() - 1},
    )


class ShownFigure(Protocol):
    """A figure as one person may see it (indicators.selectors.Figure)."""

    @property
    def indicator(self) -> formats.Measured: ...
    @property
    def value(self) -> Decimal | None: ...
    @property
    def shown_status(self) -> str | None: ...
    @property
    def suppressed(self) -> str | None: ...


def figure_of(shown: ShownFigure) -> Any:
    """A figure as the page shows it: '<5' when suppressed, else its value in its status colour."""
    return figure(shown.indicator, shown.value, shown.shown_status, suppressed=shown.suppressed)


def status_of(shown: ShownFigure) -> Any:
    """A figure's status in words; nothing for a suppressed figure (its status would give it away)."""
    return "" if shown.suppressed else status(shown.shown_status)


def loaded(moment: dt.datetime | None) -> tuple[str, str]:
    """The header line saying when the data were last loaded."""
    return (_("Data loaded"), formats.table_datetime(moment))


def downloaded_by(user: object) -> tuple[str, str]:
    """The header line saying who downloaded the file, and when."""
    return (_("Downloaded by"), f"{user} {formats.table_datetime(timezone.now())}")


def status(code: str | None, family: str = status_table.TARGET.name) -> Cell:
    """A status in words, in its colour (never colour alone)."""
    entry = status_table.status(code, family)
    return Cell(entry.word, None, entry.tone.fill)


@dataclass
class Table:
    """One sheet: a title, header lines (label, text) above the table, column titles and rows."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    header: list[tuple[str, Any]] = field(default_factory=list)

    def add(self, *cells: Any) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.title}: a row of {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))


def workbook(tables: Sequence[Table]) -> bytes:
    """The .xlsx bytes of the tables, one sheet each, in order."""
    if not tables:
        raise ValueError("a workbook needs at least one table")
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _write(book, table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(book: Workbook, table: Table) -> None:
    """Title in row 1, the header lines from row 2, a blank row, the column titles, the rows."""
    sheet = book.create_sheet(_sheet_title(table.title, book.sheetnames))
    sheet.cell(1, 1, _safe(table.title)).font = TITLE_FONT
    header = list(table.header)
    cells = [item for row in table.rows for item in row if isinstance(item, Cell) and item.hidden]
    for note, wanted in (
        (suppression_note(), any(c.mark != SECONDARY for c in cells)),
        (secondary_note(), any(c.mark == SECONDARY for c in cells)),
    ):
        if wanted and all(name != note[0] for name, _text in header):
            header.append(note)
    for number, (label, text) in enumerate(header, start=2):
        sheet.cell(number, 1, _safe(label))
        for column, item in enumerate(text if isinstance(text, tuple) else (text,), start=2):
            _style(sheet.cell(number, column, _value(item)), item)
    head = len(header) + 3
    for column, title in enumerate(table.columns, start=1):
        sheet.cell(head, column, _safe(title)).font = BOLD
    widths = [len(title) for title in table.columns]
    for number, row in enumerate(table.rows, start=head + 1):
        for column, item in enumerate(row, start=1):
            _style(sheet.cell(number, column, _value(item)), item)
            widths[column - 1] = max(widths[column - 1], len(_reads(item)))
    widths[0] = max([widths[0], *(len(str(label)) for label, _text in header)])
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = f"A{head + 1}"
    sheet.auto_filter.ref = f"A{head}:{get_column_letter(len(table.columns))}{head + len(table.rows)}"


def _sheet_title(title: str, taken: Iterable[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name, and no two alike."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "Ark"
    name, n = clean, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return name


def _numeric(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _safe(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def _value(item: Any) -> Any:
    raw = item.value if isinstance(item, Cell) else item
    if isinstance(raw, str):
        return neutralise(raw)
    if isinstance(raw, Decimal):
        return _numeric(raw)
    if raw is None or isinstance(raw, int | float | dt.date):
        return raw
    return neutralise(str(raw))


def _style(target: SheetCell, item: Any) -> None:
    if not isinstance(item, Cell):
        if isinstance(target.value, dt.datetime):
            target.number_format = "dd-mm-yyyy hh:mm"
        elif isinstance(target.value, dt.date):
            target.number_format = "dd-mm-yyyy"
        elif isinstance(target.value, int) and not isinstance(target.value, bool):
            target.number_format = number_format(0)
        elif isinstance(target.value, float):
            target.number_format = number_format(1)
        return
    if item.format and isinstance(target.value, int | float):
        target.number_format = item.format
    if item.fill:
        target.fill = PatternFill("solid", fgColor=item.fill)


def _reads(item: Any) -> str:
    """How a cell reads, for its column's width."""
    if isinstance(item, Cell):
        return item.text if item.text is not None else _reads(item.value)
    if item is None:
        return ""
    if isinstance(item, dt.datetime):
        return "00-00-0000 00:00"
    if isinstance(item, dt.date):
        return "00-00-0000"
    if isinstance(item, int | float | Decimal) and not isinstance(item, bool):
        return formats.number_da(item, 0 if item == int(item) else 1)
    return str(item)
