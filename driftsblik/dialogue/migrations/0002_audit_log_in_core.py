"""The dialogue's audit entries move into the general audit log (core.AuditEntry); what stays in
the dialogue is a view of its lines about threads (a proxy model)."""

from django.db import migrations

SUBJECT = "dialogue.challenge"


def move_entries(apps, schema_editor):
    Old = apps.get_model("dialogue", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    alias = schema_editor.connection.alias
    batch = []
    for entry in Old.objects.using(alias).order_by("id").iterator(chunk_size=2000):
        batch.append(
            New(
                at=entry.at,
                user_id=entry.user_id,
                user_email=entry.user_email,
                access=entry.access,
                what=entry.what,
                subject_type=SUBJECT if entry.challenge_id else "",
                subject_id=str(entry.challenge_id or ""),
                unit_id_copy=entry.unit_id_copy,
            )
        )
        if len(batch) >= 2000:
            New.objects.using(alias).bulk_create(batch)
            batch = []
    New.objects.using(alias).bulk_create(batch)


def move_back(apps, schema_editor):
    """The thread lines are copied back; the general log keeps its copies (it is append-only)."""
    Old = apps.get_model("dialogue", "AuditEntry")
    New = apps.get_model("core", "AuditEntry")
    alias = schema_editor.connection.alias
    Old.objects.using(alias).bulk_create(
        Old(
            at=entry.at,
            user_id=entry.user_id,
            user_email=entry.user_email,
            access=entry.access if entry.access in ("read", "write") else "read",
            what=entry.what,
            challenge_id=int(entry.subject_id),
            unit_id_copy=entry.unit_id_copy,
        )
        for entry in New.objects.using(alias).filter(subject_type=SUBJECT).order_by("id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("dialogue", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_entries, move_back),
        migrations.DeleteModel(name="AuditEntry"),
        migrations.CreateModel(
            name="AuditEntry",
            fields=[],
            options={
                "verbose_name": "thread audit entry",
                "verbose_name_plural": "audit log of the threads",
                "ordering": ["-at", "-id"],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("core.auditentry",),
        ),
    ]
