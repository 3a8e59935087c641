"""Indicators: what is measured, the targets per unit and budget year, and the monthly observations.

Every observation stores numerator and denominator, never only a ratio, so every level of the
leadership chain is computed correctly by the roll-up (driftsblik.indicators.rollup).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from driftsblik.organisation.models import TaskArea, Unit


class Kind(models.TextChoices):
    ACTIVITY = "activity", _("activity")
    RESULT = "result", _("result")


class Measure(models.TextChoices):
    COUNT = "count", _("count")
    SHARE = "share", _("share (%)")
    RATE_PER_1000 = "rate_per_1000", _("rate per 1,000")
    RATIO = "ratio", _("mean (numerator / denominator)")


class Temporal(models.TextChoices):
    FLOW = "flow", _("flow")
    STOCK = "stock", _("stock")


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(models.Model):
    """An activity or result indicator: what is counted, how it rolls up and which way is better.

    - measure: a count, a share (100 * numerator / denominator), a rate per 1,000, or a ratio
      (numerator / denominator: a mean such as days per case);
    - temporal: a flow adds up over months (admissions), a stock takes the last month (people on
      benefit at the quarter's end);
    - tolerance_pct: the traffic light is green when the target is met, yellow when the value is
      within this many percent of the target, red when it is worse;
    - person_based: figures count persons, so small numbers are suppressed.
    """

    code = models.CharField(_("code"), primary_key=True, max_length=64)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices)
    temporal = models.CharField(_("flow or stock"), max_length=8, choices=Temporal.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    unit_label = models.CharField(_("unit label"), max_length=60, blank=True)
    tolerance_pct = models.DecimalField(_("tolerance (%)"), max_digits=6, decimal_places=2, default=5)
    task_area = models.ForeignKey(TaskArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators")
    person_based = models.BooleanField(_("counts persons"), default=False)
    key = models.BooleanField(_("key indicator"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> int:
        scales: dict[str, int] = {Measure.SHARE: 100, Measure.RATE_PER_1000: 1000}
        return scales.get(self.measure, 1)


class Target(models.Model):
    """The target of an indicator at a unit for a budget year, in the indicator's value units.

    For stocks and ratios it is the level to reach; for flow counts it is the year's total. A
    target at a parent may differ from the roll-up of its children's targets.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("budget year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "year"], name="target_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.year}: {self.value}"


class Observation(models.Model):
    """One figure: an indicator at a unit for a month (stored as its first day).

    `source` says where it came from (the file, the engine run, or a public source and its table);
    `retrieved_at` is set only for figures fetched from a public source: when the source gave them.
    It is a nullable column that file and engine imports never write, so their inserts stay as they
    were (a provenance table keyed to the import batch would need a batch column written on every row
    of every import, and a join to show a figure's source).
    """

    # No index of their own: every look-up by indicator or by unit is served by the indexes below
    # that start with it (on PostgreSQL a foreign key's own index to a text key comes with a second,
    # `varchar_pattern_ops` one for LIKE, which nothing asks; each index is written on every import)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="observations", db_index=False)
    period = models.DateField(_("month"))
    numerator = models.DecimalField(max_digits=18, decimal_places=4)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    # When a public source (driftsblik.sources) gave the figure; empty for files and the engine.
    retrieved_at = models.DateTimeField(_("retrieved at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"], name="observation_unique"),
        ]
        indexes = [
            models.Index(fields=["indicator", "period"]),
            # the latest month with data (every page's default period) is read from this index's
            # end, not from a scan of all observations
            models.Index(fields=["period"], name="observation_period"),
            models.Index(fields=["unit", "period"], name="observation_unit_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.period:%Y-%m}"


class ObservationRevision(models.Model):
    """A value an observation held before a re-import replaced it, kept with when it was replaced."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    numerator = models.DecimalField(max_digits=18, decimal_places=4)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    loaded_at = models.DateTimeField()
    source = models.CharField(max_length=200, blank=True)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["indicator", "unit", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.period:%Y-%m} (replaced {self.replaced_at:%Y-%m-%d %H:%M})"


class ImportBatch(models.Model):
    """One import run: which file, what kind, how many rows, by whom, when. Shows data freshness."""

    kind = models.CharField(max_length=32)
    file_name = models.CharField(max_length=300)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.rows} rows)"


class RolledUpCell(models.Model):
    """The rolled-up figures of one indicator at one unit for one month, kept for every worker and server.

    Derived from the observations and the tree valid at the month's end by `indicators.rollup`,
    which alone writes and reads this table: the sums of the unit's own observations and of every
    unit below it. `denominator_sum` adds the denominators there are (0 when none). Plain codes,
    no foreign keys: the table is rebuilt from the observations, never edited on its own.
    """

    indicator_code = models.CharField(max_length=64)
    unit_code = models.CharField(max_length=64)
    period = models.DateField()
    numerator_sum = models.DecimalField(max_digits=24, decimal_places=4)
    denominator_sum = models.DecimalField(max_digits=24, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator_code", "period", "unit_code"], name="rolled_up_cell_unique"),
        ]
        # a page reads the cells of a few units (a leader's unit and those beside and below it) for
        # every indicator over some months: by unit first, not a scan of every unit's cells
        indexes = [models.Index(fields=["unit_code", "period"], name="rolled_up_cell_unit_period")]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.unit_code} {self.period:%Y-%m}"


class RolledUpYear(models.Model):
    """The version of one indicator's rolled-up figures for one budget year: the data version at
    which any of its months was last rolled up (`indicators.rollup` writes it with the cells, in
    the same transaction). What a suppression pattern is keyed by, so that an import changes the
    patterns of the indicators and years it changed and no others.
    """

    indicator_code = models.CharField(max_length=64)
    year = models.IntegerField()
    version = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator_code", "year"], name="rolled_up_year_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.year} at {self.version}"


class RollUpState(models.Model):
    """Which data version the rolled-up cells hold (one row; none until the first roll-up).

    `version` is the data version the cells were computed for (`indicators.rollup.version_key`);
    `spans` the fingerprint of the unit spans they were rolled up through, so an import can tell
    whether refreshing the months it changed is enough.
    """

    version = models.CharField(max_length=64)
    spans = models.CharField(max_length=64)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rolled up at {self.version}"


class SuppressionPattern(models.Model):
    """One indicator's suppression pattern for one budget year and data version, kept for every
    worker and server (`indicators.suppression` alone writes and reads it).

    `key` is a digest of everything the pattern depends on: the version of the indicator's figures
    for that year (`RolledUpYear`) and the unit spans, the small-number limit, the named sums.
    `marks` lists the hidden figures as [node, first year, first month, last year, last month,
    period kind, mark], a node being a unit id or [kind, id]. Computed by the import that changed
    the figures (in its transaction) and by `driftsblik tick`, ahead of the pages, or by the first
    page that needs it.
    """

    indicator_code = models.CharField(max_length=64)
    year = models.IntegerField()
    key = models.CharField(max_length=64, unique=True)
    marks = models.JSONField()
    computed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.year}"
