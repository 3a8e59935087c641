"""Committee reports: the schedule each committee reports on, the leaders' commentary, and the
issued reports, which are frozen snapshots that never change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from driftsblik.organisation.models import Committee, TaskArea, Unit


class Cadence(models.TextChoices):
    QUARTERLY = "quarterly", _("quarterly")
    HALF_YEARLY = "half_yearly", _("half-yearly")
    YEARLY = "yearly", _("yearly")


CADENCE_MONTHS = {Cadence.QUARTERLY: (3, 6, 9, 12), Cadence.HALF_YEARLY: (6, 12), Cadence.YEARLY: (12,)}


class ReportKind(models.TextChoices):
    STATUS = "status", _("status report")
    BUDGET = "budget", _("budget follow-up")


class Level(models.TextChoices):
    UNIT = "unit", _("unit")
    DIRECTOR = "director", _("director")


class ReportSchedule(models.Model):
    """When a committee gets its reports, when its commentary is due, and who receives the reports.

    A status report is due for the quarter (or half-year, year) ending in each month of the cadence,
    for the committee meeting `meeting_offset_weeks` after the period's end. The budget follow-ups
    (budgetopfølgning 1, 2, 3) are per the ends of `budget_months`. Commentary is due bottom-up:
    the leaders of the task areas' units `unit_deadline_days` before the meeting, the director
    `director_deadline_days` before it (a later day, so the director writes on top). `indicators`
    names the report's own selection of indicators; without it a task area shows all its key and
    result indicators.
    """

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="report_schedule")
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices, default=Cadence.QUARTERLY)
    budget_months = models.JSONField(_("budget follow-up months"), default=list, blank=True)
    meeting_offset_weeks = models.PositiveSmallIntegerField(_("meeting, weeks after the period"), default=6)
    unit_deadline_days = models.PositiveSmallIntegerField(_("units' commentary, days before the meeting"), default=21)
    director_deadline_days = models.PositiveSmallIntegerField(
        _("director's commentary, days before the meeting"), default=14
    )
    recipients = models.TextField(_("recipients (e-mail addresses)"), blank=True)
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("indicators in the report"),
        related_name="report_schedules",
        blank=True,
        help_text=_(
            "The indicators the reports show, per task area. A task area none of them belongs to, or where "
            "none of them has figures, shows all its key and result indicators (the default when empty)."
        ),
    )

    class Meta:
        ordering = ["committee__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(director_deadline_days__lt=models.F("unit_deadline_days")),
                name="schedule_director_after_units",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee.code} ({self.get_cadence_display()})"

    @property
    def recipient_list(self) -> list[str]:
        parts = self.recipients.replace(";", ",").replace("\n", ",").split(",")
        return [p.strip() for p in parts if p.strip()]


class Commentary(models.Model):
    """A leader's commentary on a task area's results for one report, written at one unit's level.

    Append-only: writing again adds a row, and the latest row per (report, task area, unit) is the
    current text; earlier rows are its history. The director's commentary may carry an example
    from operations ("fra driften") and the open challenges (`challenges`, thread ids) the director
    puts in the report: no other dialogue text ever reaches a report.
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="commentaries")
    period = models.CharField(_("period"), max_length=8)
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices, default=ReportKind.STATUS)
    task_area = models.ForeignKey(TaskArea, on_delete=models.CASCADE, related_name="commentaries")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="report_commentaries")
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commentaries")
    text = models.TextField(_("commentary"))
    example = models.TextField(_("example from operations"), blank=True)
    challenges = models.JSONField(_("challenges put in the report"), default=list, blank=True)
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["committee_id", "period", "kind", "task_area_id", "unit_id", "-written_at", "-id"]
        indexes = [models.Index(fields=["committee", "period", "kind"])]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.period} {self.task_area_id} {self.unit_id} ({self.level})"


class IssuedReport(models.Model):
    """An issued report: its HTML, PDF and figures as they were, with checksums. Never changed.

    Issuing the same committee, period and kind again makes a new version; the earlier versions
    stay as they were. The database refuses updates and deletes of issued reports (a trigger),
    so no code path can alter one after the fact.
    """

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="issued_reports")
    period = models.CharField(_("period"), max_length=8)
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices, default=ReportKind.STATUS)
    version = models.PositiveIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_reports"
    )
    title = models.CharField(_("title"), max_length=300)
    html = models.TextField()
    pdf = models.BinaryField()
    snapshot = models.JSONField()
    pdf_sha256 = models.CharField(max_length=64)
    snapshot_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["committee__code", "-period", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "period", "kind", "version"], name="issued_report_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
