"""The leadership chain: units and their history, the people who lead them, committees and task areas."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, TypeVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DIRECTORATE_GROUP = "directorate"
ANALYST_GROUP = "analysts"
ROOT_UNIT_ID = "_root_"  # never used as a unit id; the root is whichever unit has no parent
UNASSIGNED_UNIT_ID = "_unassigned"


class DriftsblikUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        user: User = self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})
        return user


class User(AbstractUser):
    """A person who logs in: a leader of one or more units, a director, an analyst or an administrator.

    People are identified by e-mail; `username` is kept equal to it for Django's admin.
    `created_by_demo` marks the people `driftsblik demo` made: the only ones demo mode logs in without
    a password, and a database with anyone else is refused demo mode.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_by_demo = models.BooleanField(_("created by the demo"), default=False, editable=False)

    objects: ClassVar[DriftsblikUserManager] = DriftsblikUserManager()
    # what the visibility policy found out about this person, kept for the request
    # (organisation/visibility.py: sees_everything, is_directorate)
    _sees_everything_cache: bool
    _is_directorate_cache: bool

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_directorate(self) -> bool:
        return self.groups.filter(name=DIRECTORATE_GROUP).exists()


class UnitKind(models.TextChoices):
    ROOT = "root", _("municipality")
    AREA = "area", _("directorate area")
    SECTOR = "sector", _("sector")
    INSTITUTION = "institution", _("institution")
    TEAM = "team", _("team")


class Unit(models.Model):
    """A unit of the leadership chain (kommune, direktørområde, sektor, institution, team).

    The unit itself only carries its stable id; its name, kind and parent live in `UnitSpan`s,
    one per validity span, so a move or a rename is a new span and history is never overwritten.
    """

    id = models.CharField(_("unit id"), primary_key=True, max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


def valid_on(valid_from: dt.date, valid_to: dt.date | None, day: dt.date) -> bool:
    """The validity rule of every span in the organisation, on plain values: valid from `valid_from`
    through `valid_to` (inclusive; empty: still valid)."""
    return valid_from <= day and (valid_to is None or valid_to >= day)


_Span = TypeVar("_Span", bound=models.Model)


class ValidOnQuerySet(models.QuerySet[_Span]):
    """Rows that hold over a span of days (`valid_from`, `valid_to` inclusive, empty = open)."""

    def valid_on(self, day: dt.date) -> ValidOnQuerySet[_Span]:
        """The rows valid on `day` (the query form of `valid_on`)."""
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class UnitSpan(models.Model):
    """A unit's name, kind and parent over a span of days (valid_to inclusive, empty = open)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="spans")
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_spans")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidOnQuerySet["UnitSpan"].as_manager()

    class Meta:
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitspan_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unitspan_valid_order",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.name} ({self.valid_from}..{self.valid_to or ''})"


class Leadership(models.Model):
    """A person leads a unit over a span of days (valid_to inclusive, empty = open)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="leaderships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="leaderships")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidOnQuerySet["Leadership"].as_manager()

    class Meta:
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "valid_from"], name="leadership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} leads {self.unit_id} from {self.valid_from}"


class Committee(models.Model):
    """A political committee (udvalg) that owns task areas and receives status reports.

    Its `members` (the politicians, named by `driftsblik org import`) sign in to read the committee's
    issued reports, and nothing else unless they also lead a unit or hold a role.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(User, blank=True, related_name="committees", verbose_name=_("members"))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TaskArea(models.Model):
    """A task area (opgaveområde) of a committee: groups indicators and the units that deliver them."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="task_areas")
    units = models.ManyToManyField(Unit, blank=True, related_name="task_areas")

    class Meta:
        ordering = ["committee__code", "code"]

    def __str__(self) -> str:
        return self.name
