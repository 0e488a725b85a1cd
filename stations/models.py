from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionQuerySet(models.QuerySet):
    def townships(self):
        return self.filter(level=Division.Level.TOWNSHIP)

    def within(self, division):
        """Divisions under `division` (itself included): codes share its prefix."""
        return self.filter(code__startswith=division.code)

    def townships_in_scope(self, division):
        """Townships under `division` that count toward coverage."""
        return self.townships().within(division).filter(counts_toward_coverage=True)


class Division(models.Model):
    """An administrative division (行政区划) with its official statistical code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        TOWNSHIP = "township", _("township")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    counts_toward_coverage = models.BooleanField(
        _("counts toward coverage"),
        default=True,
        help_text=_("Untick for statistical-only units such as development zones."),
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Station(models.Model):
    """A township social-work station (乡镇（街道）社工站): one per township."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPERATING = "operating", _("operating")
        SUSPENDED = "suspended", _("suspended")

    township = models.OneToOneField(
        Division,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="station",
        limit_choices_to={"level": Division.Level.TOWNSHIP},
    )
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["township__code"]

    def __str__(self):
        return self.name
