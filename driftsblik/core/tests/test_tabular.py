from decimal import Decimal

import openpyxl
import pytest

from driftsblik.core.tabular import ImportRejected, parse_date, parse_decimal, read_table, read_tables


def test_reads_comma_csv(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("Indicator,unit_id\nA,U1\n\nB,U2\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["indicator", "unit_id"]
    assert [(r.number, r.get("indicator")) for r in table.rows] == [(2, "A"), (4, "B")]
    assert not table.decimal_comma


def test_reads_danish_excel_csv_with_semicolons_and_bom(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_bytes("\ufeffindikator;tal\nA;1.234,5\n".encode())
    table = read_table(path)
    assert table.decimal_comma
    assert parse_decimal(table.rows[0].get("tal"), decimal_comma=table.decimal_comma) == Decimal("1234.5")


def test_refuses_wrong_encoding_naming_row(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("a,b\nx,y\nS\u00f8nderg\u00e5rd,1\n".encode("cp1252"))
    with pytest.raises(ImportRejected) as exc:
        read_table(path)
    problem = exc.value.problems[0]
    assert problem.file == "latin.csv"
    assert problem.row == 3
    assert "UTF-8" in problem.reason


def test_refuses_ragged_rows(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="row 2"):
        read_table(path)


def test_missing_columns_name_what_the_header_has(tmp_path):
    path = tmp_path / "pipes.csv"
    path.write_text("a|b|c\n1|2|3\n", encoding="utf-8")
    table = read_table(path)
    with pytest.raises(ImportRejected) as exc:
        table.require_columns(["a", "b"])
    assert "a|b|c" in str(exc.value)


def test_reads_every_sheet_of_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Units"
    sheet.append(["unit_id", "name"])
    sheet.append(["K", "Kommune"])
    other = book.create_sheet("committees")
    other.append(["committee"])
    other.append(["AUU"])
    path = tmp_path / "org.xlsx"
    book.save(path)
    tables = read_tables(path)
    assert set(tables) == {"units", "committees"}
    assert tables["units"].rows[0].get("name") == "Kommune"
    assert tables["units"].rows[0].number == 2


def test_unknown_file_type_and_missing_file(tmp_path):
    with pytest.raises(ImportRejected, match="unknown file type"):
        (tmp_path / "x.json").write_text("{}")
        read_tables(tmp_path / "x.json")
    with pytest.raises(ImportRejected, match="no such file"):
        read_tables(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("12", False, "12"),
        ("12.5", False, "12.5"),
        ("12,5", True, "12.5"),
        ("1.234,5", True, "1234.5"),
        ("12,5", False, "12.5"),
        (7, False, "7"),
        (2.5, False, "2.5"),
        ("-3", False, "-3"),
    ],
)
def test_parse_decimal(text, comma, expected):
    assert parse_decimal(text, decimal_comma=comma) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "NaN", "inf", "", True])
def test_parse_decimal_refuses_text(text):
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal(text, decimal_comma=True)


def test_parse_date_formats():
    assert str(parse_date("2025-03-31")) == "2025-03-31"
    assert str(parse_date("31-03-2025")) == "2025-03-31"
    with pytest.raises(ValueError, match="no date"):
        parse_date("2025-02-30")
