from decimal import Decimal

import openpyxl
import pytest

from driftsblik.core import tabular
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


def _blocks(path):
    found = tabular.column_blocks(path)
    if found is None:
        return None
    return found, [(b.first_row, {k: v.to_pylist() for k, v in b.columns.items()}) for b in found.blocks]


def test_column_blocks_number_rows_across_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "COLUMN_BLOCK_BYTES", 16)
    path = tmp_path / "f.csv"
    path.write_bytes(b'\xef\xbb\xbf"A";B;a\r\n1;x;y\r\n22;;z\r\n333;q;w')  # no line end at the end
    import pyarrow as pa

    pool = pa.default_memory_pool().backend_name
    found, blocks = _blocks(path)
    assert pa.default_memory_pool().backend_name == pool  # the reader's own pool is given back
    assert (found.name, found.columns, found.total, found.decimal_comma) == ("f.csv", ["a", "b", "a"], 3, True)
    rows = [(first + i, {k: v[i] for k, v in cols.items()}) for first, cols in blocks for i in range(len(cols["b"]))]
    assert rows == [(2, {"a": "y", "b": "x"}), (3, {"a": "z", "b": ""}), (4, {"a": "w", "b": "q"})]


@pytest.mark.parametrize(
    "data",
    [
        b'a,b\n1,"2"\n',  # a quote in the data
        b"a,b\n1,2\n\n3,4\n",  # a blank line
        b"a,b\n1,2\r3,4\n",  # a lone carriage return
        b"a,b\n",  # no rows
    ],
)
def test_column_blocks_leave_to_the_row_reader_what_it_numbers_better(tmp_path, data):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert tabular.column_blocks(path) is None


@pytest.mark.parametrize("data", [b"a,b\n1,2\n3\n", b"a,b\n1,2\n\xff,3\n"])
def test_column_blocks_stop_at_a_row_they_cannot_read(tmp_path, data):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    found = tabular.column_blocks(path)
    assert found is not None
    with pytest.raises(tabular.NotColumnar):
        list(found.blocks)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"indicator,unit_id\rshare,T11\rshare,T12\r", "lone carriage return"),
    ],
)
def test_a_header_the_csv_reader_cannot_read_is_refused_naming_the_file_and_row(tmp_path, data, reason):
    path = tmp_path / "figures.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as caught:
        table = tabular.stream_table(path)
        list(table.rows)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == ("figures.csv", 1) and reason in problem.reason
