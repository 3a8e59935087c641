"""The dialogue's own audit table moves into the general audit log (dialogue 0002)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("dialogue", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_the_dialogue_audit_entries_move_into_the_general_log(town):
    from driftsblik.dialogue.tests.test_services import _raise

    challenge = _raise(town["director"])
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("dialogue", "AuditEntry")
    assert old.objects.filter(challenge_id=challenge.pk, what="raised").count() == 1  # moved back on the way down
    old.objects.create(
        user_id=town["sector"].pk,
        user_email="s1@example.dk",
        access="read",
        what="thread",
        unit_id_copy="S1",
        challenge_id=challenge.pk,
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    from driftsblik.dialogue.models import AuditEntry

    lines = {(e.user_email, e.access, e.what, e.challenge_id, e.unit_id_copy) for e in AuditEntry.objects.all()}
    assert ("s1@example.dk", "read", "thread", challenge.pk, "S1") in lines
    assert ("a1@example.dk", "write", "raised", challenge.pk, "S1") in lines
