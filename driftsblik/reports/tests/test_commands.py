"""`driftsblik report committees | build | issue`, and the demo's reports."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from driftsblik.reports.models import Commentary, IssuedReport, ReportSchedule


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_committees_lists_codes_and_the_next_report(town):
    output = run("committees")
    assert "AUU" in output and "Arbejdsmarkeds- og Uddannelsesudvalget" in output and "next: Status" in output
    assert "AU " in output and "no schedule" in output  # the fixture's other committee has none


@pytest.mark.django_db
def test_build_writes_pdf_and_html(town, tmp_path):
    run("build", "--committee", "AUU", "--period", "2025Q1", "--out", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    run("build", "--committee", "AUU", "--period", "2025Q1", "--format", "html", "--out", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Sammenfatning" in html and "Status 1. kvartal 2025" in html
    assert not IssuedReport.objects.exists()  # building issues nothing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--committee", "NOPE", "--period", "2025Q1"), "no committee 'NOPE' (codes: AU, AUU)"),
        (("--committee", "AUU", "--period", "2025-03"), "--period: '2025-03' is no quarter"),
        (("--committee", "AUU", "--period", "2025Q1", "--by", "x@example.dk"), "--by: no user"),
    ],
)
def test_bad_input_is_a_clear_error(town, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("issue", *args)
    assert not IssuedReport.objects.exists()


@pytest.mark.django_db
def test_issue_twice_makes_two_versions(town):
    assert "version 1" in run("issue", "--committee", "AUU", "--period", "2025Q1", "--by", "sekretaer@example.dk")
    assert "version 2" in run("issue", "--committee", "AUU", "--period", "2025Q1")
    assert list(IssuedReport.objects.values_list("version", "issued_by__email").order_by("version")) == [
        (1, "sekretaer@example.dk"),
        (2, None),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_schedules_commentary_and_an_issued_report(tmp_path):
    out = io.StringIO()
    call_command(
        "demo",
        "--no-serve",
        "--no-registers",
        "--scale",
        "0.1",
        "--until",
        "2026-10",
        "--data-dir",
        str(tmp_path),
        stdout=out,
    )
    assert "reports" in out.getvalue()
    assert ReportSchedule.objects.count() == 5
    assert Commentary.objects.filter(period="2026Q3").count() >= 4
    issued = IssuedReport.objects.get()
    assert (issued.committee.code, issued.period, issued.version) == ("AUU", "2026Q2", 1)
    assert bytes(issued.pdf).startswith(b"%PDF")
