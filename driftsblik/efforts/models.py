"""Cross-cutting efforts (tværgående indsatser): results no single department owns.

An effort has a purpose, an owner in the directorate, a shared goal (one or more indicators with
shared targets per budget year), participants (internal units from any branch of the tree and
external partners, each with a named contact and a role), phases with milestones, and a method
community (metodefællesskab): which participant uses which method since when.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from driftsblik.indicators.models import Indicator
from driftsblik.organisation.models import Unit


class Phase(models.TextChoices):
    DEVELOPMENT = "development", _("development")
    IMPLEMENTATION = "implementation", _("implementation")
    RESULTS = "results", _("results")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    UNDER_WAY = "under_way", _("under way")
    DONE = "done", _("done")
    LATE = "late", _("late")


class CurrentEffortManager(models.Manager["Effort"]):
    """The efforts not retired: what the pages, the tick and the reports read."""

    def get_queryset(self) -> models.QuerySet[Effort]:
        return super().get_queryset().filter(retired__isnull=True)


class Effort(models.Model):
    """A cross-cutting effort: a shared goal pursued by units from several branches and external partners.

    `cohort` names the citizens' cohort in the pathway analysis (for example `youth_neet`), so the
    effort page can link to where those citizens went; empty when there is none.

    A retired effort (`retired` is the day it was retired, `driftsblik efforts retire CODE`) is kept
    with everything recorded about it, but `Effort.objects` no longer holds it: the pages, the
    overview, the tick's reminders and new committee reports leave it out, and issued reports keep it
    as they were issued. `Effort.all_objects` holds every effort.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_efforts", verbose_name=_("owner")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.DEVELOPMENT)
    cohort = models.CharField(_("cohort"), max_length=64, blank=True)
    retired = models.DateField(_("retired"), null=True, blank=True)

    all_objects = models.Manager()  # the default manager: relations and the admin see retired efforts too
    objects = CurrentEffortManager()

    class Meta:
        ordering = ["name", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="effort_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class EffortIndicator(models.Model):
    """An indicator of the effort's shared goal."""

    effort = models.ForeignKey(Effort, on_delete=models.CASCADE, related_name="goal_indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["effort_id", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["effort", "indicator"], name="effort_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.effort_id}: {self.indicator_id}"


class EffortTarget(models.Model):
    """A shared target of a goal indicator for a budget year: for the whole effort (no unit), or for
    one participating unit's part of it."""

    effort = models.ForeignKey(Effort, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("budget year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["effort_id", "indicator_id", "year", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["effort", "indicator", "year"], condition=Q(unit__isnull=True), name="effort_target_shared"
            ),
            models.UniqueConstraint(
                fields=["effort", "indicator", "year", "unit"],
                condition=Q(unit__isnull=False),
                name="effort_target_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effort_id} {self.indicator_id} {self.year} {self.unit_id or ''}: {self.value}"


class Participant(models.Model):
    """One who takes part: an internal unit (from any branch of the tree) or an external partner
    (named, for example a vocational school, an employer, the region), with a contact and a role."""

    effort = models.ForeignKey(Effort, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    partner = models.CharField(_("external partner"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=300)

    class Meta:
        ordering = ["effort_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["effort", "unit"], condition=Q(unit__isnull=False), name="participant_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["effort", "partner"], condition=~Q(partner=""), name="participant_partner_unique"
            ),
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(partner="")) | (Q(unit__isnull=True) & ~Q(partner="")),
                name="participant_unit_or_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effort_id}: {self.unit_id or self.partner}"


class Milestone(models.Model):
    """A milestone of a phase, with its due date and status. A milestone not done after its due date
    reads as late whatever its stored status."""

    effort = models.ForeignKey(Effort, on_delete=models.CASCADE, related_name="milestones")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    title = models.CharField(_("title"), max_length=300)
    due = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=MilestoneStatus.choices, default="planned")

    class Meta:
        ordering = ["effort_id", "due", "id"]

    def __str__(self) -> str:
        return f"{self.effort_id}: {self.title} ({self.due})"

    def status_on(self, day: dt.date) -> str:
        if self.status != MilestoneStatus.DONE and self.due < day:
            return MilestoneStatus.LATE
        return self.status


class Method(models.Model):
    """A method of the method community, for example individual placement and support (IPS)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name


class MethodUse(models.Model):
    """A participant uses a method since a date."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="method_uses")
    method = models.ForeignKey(Method, on_delete=models.PROTECT, related_name="uses")
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["method__name", "since", "id"]
        constraints = [models.UniqueConstraint(fields=["participant", "method"], name="method_use_unique")]

    def __str__(self) -> str:
        return f"{self.participant} uses {self.method_id} since {self.since}"
