import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from driftsblik.core import appendonly

TABLE = "core_auditentry"
MESSAGE = "the audit log is append-only"


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(appendonly.PG_FUNCTION_SQL, None)
    for sql in appendonly.create_sql(vendor, TABLE, MESSAGE):
        schema_editor.execute(sql, None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for sql in appendonly.drop_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="when")),
                ("user_email", models.CharField(blank=True, max_length=254, verbose_name="person")),
                (
                    "access",
                    models.CharField(
                        choices=[("read", "read"), ("write", "write"), ("signin", "sign-in")],
                        max_length=6,
                        verbose_name="access",
                    ),
                ),
                ("what", models.CharField(max_length=40, verbose_name="what")),
                ("subject_type", models.CharField(blank=True, max_length=60, verbose_name="subject")),
                ("subject_id", models.CharField(blank=True, max_length=64, verbose_name="subject id")),
                ("unit_id_copy", models.CharField(blank=True, max_length=64, verbose_name="unit")),
                ("address", models.CharField(blank=True, max_length=64, verbose_name="address")),
                ("detail", models.CharField(blank=True, max_length=300, verbose_name="detail")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit log",
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["subject_type", "subject_id"], name="core_audite_subject_817cab_idx")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
