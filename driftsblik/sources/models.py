"""Public sources: each fetch's record, figures for other municipalities, and peer groups.

Figures for the municipality's own units are observations (driftsblik.indicators), loaded through
the same checked import as files. Figures for other municipalities are not units of the tree: they
are `ComparisonFigure`s, kept for the comparison with similar municipalities.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from driftsblik.indicators.models import Indicator

COUNTRY = "000"  # Danmarks Statistik's OMRÅDE code for the whole country ("Hele landet")
_CODE = re.compile(r"^\d{3}$")


class RunStatus(models.TextChoices):
    OK = "ok", _("fetched")
    FAILED = "failed", _("failed")
    DRY_RUN = "dry_run", _("dry run")


class SourceRun(models.Model):
    """One fetch of one source (a mapping file): when, what it changed, or why it failed.

    A failed fetch stores nothing but this record, so `driftsblik sources list` and the schedule
    know the last good fetch and the reason of the last failure.
    """

    name = models.CharField(_("source"), max_length=100, db_index=True)
    connector = models.CharField(max_length=32)
    label = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=RunStatus.choices)
    message = models.TextField(blank=True)
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    compared = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "status", "started_at"])]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class ComparisonFigure(models.Model):
    """An indicator's figure for one municipality (or the whole country, code 000) in a month.

    Numerator and denominator as for observations (sum/sum makes a group's figure); `value` is the
    figure in the indicator's own units. `suppressed` marks a figure the source withheld (`..` in
    Statistikbanken): it has no numbers and is shown as withheld, never as zero. `synthetic` marks
    the demo's invented figures.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comparison_figures")
    municipality = models.CharField(_("municipality code"), max_length=3)
    period = models.DateField(_("month"))
    numerator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    suppressed = models.BooleanField(_("withheld by the source"), default=False)
    source = models.CharField(_("source"), max_length=200)
    retrieved_at = models.DateTimeField(_("retrieved at"))
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "municipality", "period"], name="comparison_figure_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.municipality} {self.period:%Y-%m}"


def validate_codes(text: str) -> None:
    codes = split_codes(text)
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:
        raise ValidationError(_("Not municipality codes (three digits): %(codes)s"), params={"codes": ", ".join(bad)})
    if not codes:
        raise ValidationError(_("Name at least one municipality code."))


def split_codes(text: str) -> list[str]:
    """Municipality codes written with commas, spaces or line breaks between them, in order, once each."""
    return list(dict.fromkeys(part for part in re.split(r"[\s,;]+", text or "") if part))


class PeerGroup(models.Model):
    """The municipalities a municipality compares itself with.

    Without one, a municipality is compared with Danmarks Statistik's municipality group
    (kommunegruppe) it belongs to; a stored group replaces that with its own list of codes.
    """

    municipality = models.CharField(_("municipality code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200)
    codes = models.TextField(
        _("municipality codes"),
        validators=[validate_codes],
        help_text=_("Three-digit codes separated by commas or spaces, e.g. 810, 813, 849."),
    )

    class Meta:
        verbose_name = _("peer group")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.name}"

    @property
    def members(self) -> list[str]:
        return split_codes(self.codes)
