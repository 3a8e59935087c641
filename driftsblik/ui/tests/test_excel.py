"""The one Excel writer and the one CSV writer: layout, number formats, widths and formula neutralisation."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from driftsblik.indicators.models import Indicator
from driftsblik.ui import excel
from driftsblik.ui.csvfile import csv_text

SHARE = Indicator(code="s", name="s", measure="share")
COUNT = Indicator(code="c", name="c", measure="count")


def read(tables) -> list:
    return openpyxl.load_workbook(io.BytesIO(excel.workbook(tables))).worksheets


@pytest.mark.parametrize("text", ["=1+1", "+45", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")'])
def test_text_that_could_run_as_a_formula_is_neutralised(text):
    assert excel.neutralise(text) == "'" + text
    [sheet] = read([excel.Table(text, [text], [[text]], header=[(text, text)])])
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert values and all(v.startswith("'") for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_ordinary_text_and_numbers_are_left_alone():
    assert excel.neutralise("Sektor S1") == "Sektor S1" and excel.neutralise("–") == "–"
    [sheet] = read([excel.Table("T", ["Enhed", "Tal"], [["Sektor S1", excel.number(Decimal(-12))]])])
    assert sheet["A4"].value == "Sektor S1" and sheet["B4"].value == -12


def test_layout_title_header_lines_frozen_titles_and_filter():
    table = excel.Table("Resultatkort", ["Enhed", "Værdi"], header=[("Periode", "marts 2025"), ("Enhed", "S1")])
    table.add("Et langt enhedsnavn der fylder", excel.number(Decimal("1234.5"), 1))
    table.add("B", excel.number(None, 1))
    [sheet] = read([table])
    assert [sheet.cell(r, 1).value for r in range(1, 5)] == ["Resultatkort", "Periode", "Enhed", None]
    assert sheet["B2"].value == "marts 2025" and sheet["A1"].font.b
    assert [c.value for c in sheet[5]] == ["Enhed", "Værdi"] and sheet["A5"].font.b
    assert sheet.freeze_panes == "A6" and sheet.auto_filter.ref == "A5:B7"
    assert sheet.column_dimensions["A"].width == len("Et langt enhedsnavn der fylder") + 2
    assert sheet.column_dimensions["B"].width == len("1.234,5") + 2
    assert sheet["B6"].value == 1234.5 and sheet["B6"].number_format == "#,##0.0"
    assert sheet["B7"].value is None


def test_widths_have_a_ceiling():
    [sheet] = read([excel.Table("T", ["x" * 200], [["y"]])])
    assert sheet.column_dimensions["A"].width == excel.MAX_WIDTH


def test_shares_are_real_percentages_and_points_are_not():
    [sheet] = read(
        [
            excel.Table(
                "T",
                ["Andel", "Ændring", "Antal", "Ændring"],
                [
                    [
                        excel.measured(SHARE, Decimal("12.345")),
                        excel.measured(SHARE, Decimal("-1.25"), change=True),
                        excel.measured(COUNT, Decimal("1896")),
                        excel.measured(COUNT, Decimal("12"), change=True),
                    ]
                ],
            )
        ]
    )
    share, points, count, change = sheet[4]
    assert share.value == pytest.approx(0.12345) and share.number_format == "#,##0.0 %"
    assert points.value == -1.25 and points.number_format == excel.points_format(1) and "%" not in points.number_format
    assert '"pct.-point"' in points.number_format
    assert count.value == 1896 and isinstance(count.value, int) and count.number_format == "#,##0"
    assert change.value == 12 and change.number_format.startswith("+#,##0;")


def test_a_hidden_figure_reads_lt5_and_brings_the_note():
    with translation.override("da"):
        table = excel.Table("T", ["Enhed", "Værdi"], header=[("Periode", "marts 2025")])
        table.add("A", excel.figure(COUNT, Decimal(3), "green", suppressed=True))
        [sheet] = read([table])
    assert sheet["B6"].value == "<5" and sheet.freeze_panes == "A6"
    assert sheet["A3"].value == "Små tal" and "<5" in sheet["B3"].value
    [plain] = read([excel.Table("T", ["Enhed"], [["A"]], header=[("Periode", "marts 2025")])])
    assert plain["A3"].value is None  # no note without a hidden figure


def test_status_cells_carry_the_word_and_the_colour_of_the_table():
    with translation.override("da"):
        [sheet] = read([excel.Table("T", ["Status"], [[excel.status("red")], [excel.status("yellow", "budget")]])])
    assert sheet["A4"].value == "Ikke på mål" and sheet["A4"].fill.fgColor.rgb.endswith("F4C2C2")
    assert sheet["A5"].value == "Overskridelse inden for tolerance"


def test_dates_and_several_sheets_with_safe_names():
    when = dt.datetime(2025, 3, 31, 14, 5)
    sheets = read([excel.Table("Log: a/b", ["Hvornår"], [[when]]), excel.Table("Log: a/b", ["x"], [[1]])])
    assert [s.title for s in sheets] == ["Log  a b", "Log  a b (2)"]
    assert sheets[0]["A4"].value == when and sheets[0]["A4"].number_format == "dd-mm-yyyy hh:mm"
    assert sheets[1]["A4"].number_format == "#,##0"


def test_a_row_must_fit_the_columns():
    with pytest.raises(ValueError, match="2 cells for 1 columns"):
        excel.Table("T", ["a"]).add(1, 2)


def test_csv_neutralises_text_and_keeps_numbers():
    text = csv_text(["unit", "n"], [["=cmd|' /C calc'!A0", 12], ["-1", -3], ["Sektor", None]])
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["unit", "n"], ["'=cmd|' /C calc'!A0", "12"], ["'-1", "-3"], ["Sektor", ""]]
