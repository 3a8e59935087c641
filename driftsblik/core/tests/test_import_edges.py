"""Every import refuses a file with a header and no rows, and a workbook that unpacks beyond the
limit before it is read (a zip bomb), through the command an operator runs."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from driftsblik.core.tabular import ImportRejected, read_table

pytestmark = pytest.mark.django_db


def refused(*args: str) -> str:
    """The command's refusal: its error and what it wrote to stderr (some list the problems there)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stderr=err)
    return f"{caught.value}\n{err.getvalue()}"


HEADERS = {
    ("observations", "import"): "indicator,unit_id,period,numerator,denominator",
    ("targets", "import"): "indicator,unit_id,year,target",
    ("org", "import"): "unit_id,parent_id,name,kind,valid_from,valid_to,leader_email,leader_name",
    ("indicators", "define"): "code,name,kind,measure,temporal,direction",
    ("budget", "import"): "period,unit_id,account,kind,amount",
    ("budget", "accounts", "import"): "function;name",
    ("report", "schedules"): (
        "committee,cadence,budget_months,meeting_offset_weeks,unit_deadline_days,director_deadline_days,recipients"
    ),
}


@pytest.mark.parametrize("command", list(HEADERS), ids=" ".join)
def test_a_csv_file_with_a_header_and_no_rows_is_refused(tmp_path, command):
    path = tmp_path / "file.csv"
    path.write_text(HEADERS[command] + "\n\n", encoding="utf-8")
    assert "file.csv: the file has no rows" in refused(*command, str(path))


@pytest.mark.parametrize("command", [("observations", "import"), ("org", "import"), ("budget", "import")], ids=" ".join)
def test_a_workbook_with_a_header_and_no_rows_is_refused(tmp_path, command):
    book = openpyxl.Workbook()
    book.active.append(HEADERS[command].split(","))
    path = tmp_path / "file.xlsx"
    book.save(path)
    assert "file.xlsx [Sheet]: the file has no rows" in refused(*command, str(path))


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A real workbook with one more part that unpacks to `megabytes` MB of blanks (a few hundred kB packed)."""
    book = openpyxl.Workbook()
    book.active.append(["indicator", "unit_id", "period", "numerator", "denominator"])
    book.active.append(["visits", "U1", "2025-01", 4, None])
    book.save(path)
    block = b" " * (1 << 20)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(megabytes):
            part.write(block)
    return path


def test_an_xlsx_that_unpacks_beyond_the_default_limit_is_refused_before_it_is_read(tmp_path):
    path = zip_bomb(tmp_path / "figures.xlsx", 210)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(CommandError, match=r"figures.xlsx: the workbook unpacks to 210 MB, more than the 200 MB"):
        call_command("observations", "import", str(path))


def test_the_limit_is_a_setting(tmp_path, settings):
    path = zip_bomb(tmp_path / "figures.xlsx", 3)
    settings.IMPORT_MAX_UNPACKED_MB = 2
    with pytest.raises(ImportRejected, match="DRIFTSBLIK_IMPORT_MAX_UNPACKED_MB"):
        read_table(path)
    settings.IMPORT_MAX_UNPACKED_MB = 4
    assert [row.values["unit_id"] for row in read_table(path).rows] == ["U1"]


def test_an_upload_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from driftsblik.api.models import Scope
    from driftsblik.api.tokens import token_create
    from driftsblik.organisation.visibility import today
    from driftsblik.web.tests.helpers import build_municipality, people

    build_municipality()
    analyst: Any = people()["analyst"]
    expires = today() + dt.timedelta(days=30)
    token = token_create(user=analyst, name="test", scope=Scope.IMPORT, expires_on=expires).secret
    settings.IMPORT_MAX_UNPACKED_MB = 2
    upload = SimpleUploadedFile("figures.xlsx", zip_bomb(tmp_path / "figures.xlsx", 3).read_bytes())
    response = client.post("/api/v1/imports/observations", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    assert "the workbook unpacks to 3 MB, more than the 2 MB allowed" in response.content.decode()


def test_a_workbook_refused_for_its_columns_is_closed(tmp_path, monkeypatch) -> None:
    """A workbook whose header lacks a column is refused before its rows are read, and its file
    is released then (an open zip file would be a ResourceWarning at some later, random point)."""
    import openpyxl

    from driftsblik.core.tabular import ImportRejected, stream_table

    book = openpyxl.Workbook()
    book.active.append(["indicator", "unit_id"])
    book.active.append(["x", "y"])
    book.save(tmp_path / "figures.xlsx")
    opened = []
    load = openpyxl.load_workbook

    def recording_load(*args, **kwargs):
        opened.append(load(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(openpyxl, "load_workbook", recording_load)
    table = stream_table(tmp_path / "figures.xlsx")
    with pytest.raises(ImportRejected, match="period"):
        table.require_columns(["indicator", "unit_id", "period"])
    assert len(opened) == 1 and opened[0]._archive.fp is None
