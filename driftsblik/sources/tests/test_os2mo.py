"""OS2mo through the real connector against a loopback Keycloak and GraphQL v29, into the organisation import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from driftsblik.organisation.models import Leadership, UnitSpan
from driftsblik.organisation.tests.factories import org_snapshot
from driftsblik.sources.mapping import EXAMPLES, source_named
from driftsblik.sources.models import RunStatus, SourceRun
from driftsblik.sources.services import FetchFailed, source_fetch

pytestmark = pytest.mark.django_db


def mapping(folder: Path, edit=lambda t: t) -> str:
    text = (EXAMPLES / "os2mo.yaml").read_text(encoding="utf-8")
    (folder / "os2mo.yaml").write_text(edit(text), encoding="utf-8")
    return "os2mo"


def fetch(name: str = "os2mo", **kwargs):
    return source_fetch(source=source_named(name), **kwargs)


def spans(unit_id: str) -> list[tuple]:
    return list(
        UnitSpan.objects.filter(unit_id=unit_id)
        .order_by("valid_from")
        .values_list("parent_id", "name", "kind", "valid_from", "valid_to")
    )


def leaders(unit_id: str) -> list[tuple]:
    return list(
        Leadership.objects.filter(unit_id=unit_id)
        .order_by("valid_from")
        .values_list("user__email", "valid_from", "valid_to")
    )


def test_the_tree_with_its_history_and_managers_follows_the_master(os2mo, sources_dir):
    report = fetch(mapping(sources_dir))
    # the MED organisation is another tree: only the units under the root HJK are imported
    assert set(UnitSpan.objects.values_list("unit_id", flat=True)) == {"AU", "HJK", "JOB", "UNGE", "YDL"}
    assert spans("HJK") == [(None, "Hjørring Kommune", "root", dt.date(2020, 1, 1), None)]
    # renamed on 2024-07-01 (OS2mo's end is exclusive) and split where the manager changed
    assert spans("JOB") == [
        ("AU", "Jobcenter", "sector", dt.date(2020, 1, 1), dt.date(2024, 3, 31)),
        ("AU", "Jobcenter", "sector", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("AU", "Jobcenter Hjørring", "sector", dt.date(2024, 7, 1), None),
    ]
    assert leaders("JOB") == [
        ("bo@hjoerring.example.dk", dt.date(2020, 1, 1), dt.date(2024, 3, 31)),
        ("carl@hjoerring.example.dk", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("carl@hjoerring.example.dk", dt.date(2024, 7, 1), None),
    ]
    # moved from JOB to AU on 2025-01-01; its manager has no e-mail, so no leader
    assert spans("UNGE") == [
        ("JOB", "Ungeteamet", "team", dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
        ("AU", "Ungeteamet", "team", dt.date(2025, 1, 1), None),
    ]
    assert leaders("UNGE") == [] and leaders("AU") == []  # AU's manager position is vacant
    # a change of unit type only (not kept by Driftsblik) leaves one span
    assert spans("YDL") == [("JOB", "Ydelse", "team", dt.date(2020, 1, 1), None)]
    assert report.organisation.units_created == 5
    # paging: org units in three pages (one of them empty), managers in two
    assert [r.get_json()["variables"]["cursor"] for r in os2mo.requests if r.path == "/graphql/v29"] == [
        None,
        "page-1",
        "page-2",
        None,
        "page-1",
    ]
    assert SourceRun.objects.get().status == RunStatus.OK


def test_a_second_fetch_changes_nothing(os2mo, sources_dir):
    fetch(mapping(sources_dir))
    before = org_snapshot()
    report = fetch()
    assert not report.organisation.changed
    assert org_snapshot() == before


def test_a_new_manager_closes_the_open_span_and_opens_one(os2mo, sources_dir):
    fetch(mapping(sources_dir))

    def new_manager(pages):
        anne = pages[0]["objects"][0]["validities"][0]
        anne["validity"]["to"] = "2026-01-01T00:00:00+01:00"
        pages[1]["objects"].append(
            {
                "validities": [
                    {
                        "validity": {"from": "2026-01-01T00:00:00+01:00", "to": None},
                        "org_unit_response": {"uuid": anne["org_unit_response"]["uuid"]},
                        "person_response": {
                            "current": {"name": "Frida Friis", "addresses": [{"value": "frida@hjoerring.example.dk"}]}
                        },
                    }
                ]
            }
        )
        return pages

    os2mo.edit["managers"] = new_manager
    report = fetch()
    assert report.organisation.spans_closed == 1 and report.organisation.spans_added == 1
    assert leaders("HJK") == [
        ("anne@hjoerring.example.dk", dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
        ("frida@hjoerring.example.dk", dt.date(2026, 1, 1), None),
    ]


def test_a_rewritten_history_is_refused_by_the_import_and_changes_nothing(os2mo, sources_dir):
    fetch(mapping(sources_dir))
    before = org_snapshot()

    def rename_in_the_past(pages):
        pages[0]["objects"][2]["validities"][0]["name"] = "Jobcentret"
        return pages

    os2mo.edit["org_units"] = rename_in_the_past
    with pytest.raises(FetchFailed, match="the answer was not stored"):
        fetch()
    assert org_snapshot() == before
    message = SourceRun.objects.filter(status=RunStatus.FAILED).get().message
    assert "would rewrite" in message and "row 4: unit JOB from 2020-01-01" in message


def test_a_dry_run_prints_the_import_summary_and_stores_nothing(os2mo, sources_dir):
    before = org_snapshot()
    report = fetch(mapping(sources_dir), dry_run=True)
    assert org_snapshot() == before
    text = "\n".join(report.lines())
    assert "(dry run: nothing stored)" in text and "units: 5 in the file, 5 new" in text


def test_several_top_units_need_a_root(os2mo, sources_dir):
    with pytest.raises(
        FetchFailed, match=r"OS2mo has 2 top units \(Hjørring Kommune .*MED-organisationen .*name one as root"
    ):
        fetch(mapping(sources_dir, lambda t: t.replace("root: HJK", "")))


def test_a_changed_schema_stops_the_fetch_with_the_graphql_error(os2mo, sources_dir):
    os2mo.errors = ["Cannot query field 'parent_response' on type 'OrganisationUnit'."]
    with pytest.raises(FetchFailed, match="GraphQL v29 answered errors: Cannot query field 'parent_response'"):
        fetch(mapping(sources_dir))
    assert not UnitSpan.objects.exists()


def test_wrong_client_credentials_are_refused(os2mo, sources_dir, settings):
    settings.OS2MO_CLIENT_SECRET = "wrong"
    with pytest.raises(FetchFailed, match="HTTP 401: Invalid client secret"):
        fetch(mapping(sources_dir))


def test_missing_settings_are_named(os2mo, sources_dir, settings):
    settings.OS2MO_TOKEN_URL = ""
    with pytest.raises(FetchFailed, match="not configured: set DRIFTSBLIK_OS2MO_TOKEN_URL"):
        fetch(mapping(sources_dir))
    assert os2mo.requests == []


def test_a_5xx_from_the_master_is_retried(os2mo, sources_dir):
    os2mo.fail(times=2, status=500)
    fetch(mapping(sources_dir))
    assert UnitSpan.objects.filter(unit_id="JOB").count() == 3
