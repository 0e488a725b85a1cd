from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.text import SingleLineCharField


class DivisionQuerySet(models.QuerySet):
    def townships(self):
        return self.filter(level=Division.Level.TOWNSHIP)

    def counties(self):
        return self.filter(level=Division.Level.COUNTY)

    def within(self, area):
        """Divisions inside `area`, itself included (None: everywhere).

        The one statement of "inside a division": statistical codes nest, so a division
        is inside another when its code starts with the other's code. Rows of other models
        are inside an area when their division is in this queryset (see `_in_area`).
        """
        if area is None:
            return self
        return self.filter(code__startswith=area.code)

    def townships_in_scope(self, area):
        """Townships inside `area` that count toward coverage."""
        return self.townships().within(area).filter(counts_toward_coverage=True)


def _in_area(queryset, division_path, area):
    """`queryset` narrowed to the rows whose division (at `division_path`) is inside `area`."""
    if area is None:
        return queryset
    return queryset.filter(**{f"{division_path}__in": Division.objects.within(area)})


class Division(models.Model):
    """An administrative division (行政区划) with its official statistical code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", pgettext_lazy("division level", "city")
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


class StationQuerySet(models.QuerySet):
    def within(self, area):
        """Stations of the townships inside `area` (None: everywhere)."""
        return _in_area(self, "township", area)

    def operating_on(self, on):
        """Stations that count on `on`: operating now and opened on or before that day.

        The rule of "operating on a date", written once in Station.operating_on_q:
        coverage, the home page's figures and every export count by it. An operating
        station without an opening date (only possible for rows written around the forms
        and imports, which require it) counts on every date.
        """
        return self.filter(Station.operating_on_q(on))


class Station(models.Model):
    """A township social-work station (乡镇（街道）社工站): one per township."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPERATING = "operating", _("operating")
        SUSPENDED = "suspended", _("suspended")

    class Tier(models.TextChoices):
        PROVINCIAL = "provincial", _("provincial demonstration station")
        CITY = "city", _("city demonstration station")
        NONE = "none", pgettext_lazy("demonstration tier", "none")

    township = models.OneToOneField(
        Division,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="station",
        limit_choices_to={"level": Division.Level.TOWNSHIP},
    )
    name = SingleLineCharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    operator = models.ForeignKey(
        "members.Member",
        verbose_name=_("operating organisation (unit member)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_stations",
        limit_choices_to={"kind": "unit"},
    )
    operator_name = SingleLineCharField(
        _("operating organisation (not a member)"),
        max_length=100,
        blank=True,
        help_text=_("Only when the operating organisation is not a unit member."),
    )
    address = SingleLineCharField(_("address"), max_length=200, blank=True)
    site_area = models.DecimalField(
        _("site area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    annual_funding = models.DecimalField(
        _("annual funding (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    demonstration_tier = models.CharField(
        _("demonstration tier"), max_length=10, choices=Tier.choices, default=Tier.NONE
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["township__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site_area__gte=0), name="station_site_area_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(annual_funding__gte=0), name="station_funding_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def operating_on_q(on, station=""):
        """The condition of Station.objects.operating_on, on the station at the path
        `station` ("station__" from a township or a social worker, "" for a station), for
        counts that filter by it within one query."""
        return Q(**{f"{station}status": Station.Status.OPERATING}) & (
            Q(**{f"{station}opened_on__lte": on}) | Q(**{f"{station}opened_on__isnull": True})
        )

    @property
    def operator_display(self):
        """The operating organisation's name, whether it is a unit member or not."""
        if self.operator_id:
            return self.operator.name
        return self.operator_name

    def clean(self):
        errors = {}
        if self.status == self.Status.OPERATING:
            if self.opened_on is None:
                errors["opened_on"] = _("An operating station needs its opening date.")
            elif self.opened_on > timezone.localdate():
                errors["opened_on"] = _(
                    "An operating station cannot open in the future; mark it as planned."
                )
        if self.operator_id and self.operator_name:
            errors["operator_name"] = _(
                "Choose a unit member or type the name of an organisation, not both."
            )
        if errors:
            raise ValidationError(errors)


def _photo_path(instance, filename):
    return f"stations/{instance.station_id or 'new'}/{filename}"


class StationPhoto(models.Model):
    """A photo of a station, validated and re-encoded on upload (common.uploads)."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_photo_path, blank=True)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("station photo")
        verbose_name_plural = _("station photos")
        ordering = ["station", "pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]


class StaffQuerySet(models.QuerySet):
    def within(self, area):
        """Staff of the stations inside `area` (None: everywhere)."""
        return _in_area(self, "station__township", area)

    def active_on(self, on):
        """Staff at their station on `on`: arrived on or before it, not yet left."""
        return self.filter(Staff.active_on_q(on))

    def certified(self):
        return self.filter(Staff.CERTIFIED)


class Staff(models.Model):
    """A resident social worker (驻站社工) of a station, with the dates they served there."""

    class Role(models.TextChoices):
        HEAD = "head", _("head of station")
        SOCIAL_WORKER = "social_worker", pgettext_lazy("staff role", "social worker")
        ASSISTANT = "assistant", pgettext_lazy("staff role", "assistant")

    class Qualification(models.TextChoices):
        NONE = "none", pgettext_lazy("qualification", "none")
        ASSISTANT = "assistant", pgettext_lazy("qualification", "assistant social worker")
        SOCIAL_WORKER = "social_worker", pgettext_lazy("qualification", "social worker")
        SENIOR = "senior", pgettext_lazy("qualification", "senior social worker")

    # Certified: holding a national qualification. A Q, for counts that filter with it.
    CERTIFIED = ~Q(qualification=Qualification.NONE)

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="staff"
    )
    name = SingleLineCharField(_("name"), max_length=40)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.SOCIAL_WORKER
    )
    qualification = models.CharField(
        _("qualification"),
        max_length=20,
        choices=Qualification.choices,
        default=Qualification.NONE,
        help_text=_("The national social-work qualification (社会工作者职业资格)."),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    since_on = models.DateField(_("at the station since"))
    until_on = models.DateField(
        _("left the station on"),
        null=True,
        blank=True,
        help_text=_("Empty while the social worker is at the station."),
    )

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident social worker")
        verbose_name_plural = _("resident social workers")
        ordering = ["station", "since_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="staff_unique_name_per_station",
                violation_error_message=_("This station already has a staff member of this name."),
            ),
            models.CheckConstraint(
                condition=Q(until_on__gte=models.F("since_on")),
                name="staff_leaves_after_arriving",
                violation_error_message=_("The leaving date is before the arrival date."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Like a station's opening date: the registry records what is, not what is planned.
        if self.since_on and self.since_on > timezone.localdate():
            raise ValidationError(
                {
                    "since_on": _(
                        "The arrival date cannot be in the future; add the social worker "
                        "once they have arrived."
                    )
                }
            )

    @staticmethod
    def active_on_q(on):
        """The condition of Staff.objects.active_on, for counts that filter by it."""
        return Q(since_on__lte=on) & (Q(until_on__isnull=True) | Q(until_on__gte=on))


class ServiceRecordQuerySet(models.QuerySet):
    def within(self, area):
        """Records of the stations inside `area` (None: everywhere)."""
        return _in_area(self, "station__township", area)

    def of_year_until(self, on):
        """The records of `on`'s year up to its month: what "this year" adds up on `on`."""
        return self.filter(month__gte=on.replace(month=1, day=1), month__lte=on)


class ServiceRecord(models.Model):
    """What a station did in one month: cases, groups, activities, people served, funds."""

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    casework_cases = models.PositiveIntegerField(_("casework cases"), default=0)
    group_sessions = models.PositiveIntegerField(_("group sessions"), default=0)
    community_activities = models.PositiveIntegerField(_("community activities"), default=0)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers mobilised"), default=0)
    funds_linked = models.DecimalField(
        _("funds linked (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    # The figures of a month, in the order every form, sheet and import lists them.
    FIGURES = (
        "casework_cases",
        "group_sessions",
        "community_activities",
        "people_served",
        "volunteers",
        "funds_linked",
    )

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["station", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "month"],
                name="service_record_one_per_station_month",
                violation_error_message=_("This station already has a record for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="service_record_month_is_first_day"
            ),
            models.CheckConstraint(
                condition=Q(casework_cases__gte=0)
                & Q(group_sessions__gte=0)
                & Q(community_activities__gte=0)
                & Q(people_served__gte=0)
                & Q(volunteers__gte=0)
                & Q(funds_linked__gte=0),
                name="service_record_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.station} {self.month:%Y-%m}"

    def clean(self):
        if self.month:
            self.month = self.month.replace(day=1)
            if self.month > timezone.localdate():
                raise ValidationError(
                    {"month": _("A service record cannot be for a future month.")}
                )
