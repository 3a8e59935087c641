"""A committee's members move from its report schedule to the committee (`Committee.members`), where
the organisation import names them."""

from django.db import migrations


def forwards(apps, schema_editor):
    ReportSchedule = apps.get_model("reports", "ReportSchedule")
    for schedule in ReportSchedule.objects.select_related("committee").prefetch_related("members"):
        schedule.committee.members.add(*schedule.members.all())


def backwards(apps, schema_editor):
    ReportSchedule = apps.get_model("reports", "ReportSchedule")
    for schedule in ReportSchedule.objects.select_related("committee"):
        schedule.members.set(schedule.committee.members.all())


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_issued_reports_append_only"),
        ("organisation", "0003_committee_members"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="reportschedule", name="members"),
    ]
