"""The audit log and the issued reports are append-only in the database itself: UPDATE and DELETE
are refused by triggers on SQLite and PostgreSQL, TRUNCATE (CASCADE included) on PostgreSQL, and
only `append_only_lifted()` (which `driftsblik flush` uses) lets them through.

Run on the database of the run: SQLite by default, PostgreSQL with DATABASE_URL=postgresql://...
(CI runs both). The TRUNCATE tests need PostgreSQL and say so when skipped.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from driftsblik.core.appendonly import append_only_lifted
from driftsblik.core.audit import audit_record
from driftsblik.core.models import AppendOnly, AuditEntry
from driftsblik.organisation.models import Committee
from driftsblik.organisation.tests.factories import make_user
from driftsblik.reports.models import IssuedReport

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="TRUNCATE triggers are PostgreSQL's: run with DATABASE_URL=postgresql://... (CI does)",
)


@pytest.fixture
def entry(db):
    return audit_record(user=make_user("a@example.dk"), access=AuditEntry.Access.READ, what="thread")


@pytest.fixture
def issued(db):
    committee = Committee.objects.create(code="OEU", name="Økonomiudvalget")
    return IssuedReport.objects.create(
        committee=committee,
        period="2026Q1",
        version=1,
        issued_at=timezone.now(),
        title="Status",
        html="<p>x</p>",
        pdf=b"%PDF",
        snapshot={},
        pdf_sha256="0" * 64,
        snapshot_sha256="0" * 64,
    )


def _refused(sql: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_the_audit_log_refuses_update_and_delete_in_sql(entry):
    _refused("UPDATE core_auditentry SET what = 'changed'")
    _refused("DELETE FROM core_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(what="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(AuditEntry.objects.db)
    assert AuditEntry.objects.get(pk=entry.pk).what == "thread"


def test_the_model_refuses_too(entry):
    entry.what = "changed"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()


def test_the_dialogue_audit_lines_are_the_same_rows(entry):
    """The dialogue's audit table (which PostgreSQL let change) is gone: its lines live in the
    general log, under the same triggers."""
    from driftsblik.dialogue.models import AuditEntry as ThreadEntry

    assert ThreadEntry._meta.db_table == "core_auditentry" and ThreadEntry._meta.proxy


def test_issued_reports_refuse_update_and_delete_in_sql(issued):
    _refused("UPDATE reports_issuedreport SET html = 'changed'")
    _refused("DELETE FROM reports_issuedreport")
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedReport.objects.filter(pk=issued.pk).delete()
    assert IssuedReport.objects.get(pk=issued.pk).html == "<p>x</p>"


@needs_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE core_auditentry",
        "TRUNCATE core_auditentry CASCADE",
        "TRUNCATE reports_issuedreport",
        "TRUNCATE reports_issuedreport CASCADE",
        "TRUNCATE organisation_committee CASCADE",  # reaches the issued reports through their key
    ],
)
def test_postgresql_refuses_truncate(entry, issued, sql):
    _refused(sql)
    assert AuditEntry.objects.filter(pk=entry.pk).exists() and IssuedReport.objects.filter(pk=issued.pk).exists()


def test_the_lift_lets_one_transaction_through_and_ends_with_it(entry, issued):
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET what = 'changed'")
        cursor.execute("DELETE FROM reports_issuedreport")
    assert AuditEntry.objects.get(pk=entry.pk).what == "changed" and not IssuedReport.objects.exists()
    _refused("DELETE FROM core_auditentry")
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    assert not AuditEntry.objects.exists()


def test_the_lift_ends_when_its_transaction_fails(entry):
    with pytest.raises(RuntimeError), append_only_lifted():
        raise RuntimeError("the data migration failed")
    _refused("DELETE FROM core_auditentry")


@needs_postgresql
@pytest.mark.django_db(transaction=True)  # committed rows: a TRUNCATE waits for no pending key checks
def test_the_lift_lets_truncate_through(entry, issued):
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry, reports_issuedreport")
    assert not AuditEntry.objects.exists() and not IssuedReport.objects.exists()
    _refused("TRUNCATE core_auditentry")


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_append_only_tables():
    """`driftsblik flush` (the test runner's and `driftsblik demo`'s way to empty a database) is the
    one command that lifts the triggers."""
    audit_record(email="x@example.dk", access=AuditEntry.Access.SIGN_IN, what="login_failed")
    _refused("DELETE FROM core_auditentry")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    audit_record(email="x@example.dk", access=AuditEntry.Access.SIGN_IN, what="login_failed")
    _refused("DELETE FROM core_auditentry")
