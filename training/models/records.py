"""A social worker's record: registration periods and what counts in them, hours earned
elsewhere, numbered certificates, and the reminders sent before a period ends."""

import calendar
import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.storage import get_private_storage
from common.text import SingleLineCharField
from members.models import Member, Qualification
from stations.models import Division

from .events import HOURS, TOTAL_HOURS, ZERO, Attendance, Training

# A registration period (登记有效期) lasts three years.
PERIOD_YEARS = 3
# Hours of professional continuing education needed per registration period, by level.
REQUIRED_HOURS = {
    Qualification.ASSISTANT: Decimal("72"),
    Qualification.SOCIAL_WORKER: Decimal("90"),
    Qualification.SENIOR: Decimal("90"),
}
LEVELS = [(value, label) for value, label in Qualification.choices if value in REQUIRED_HOURS]


def add_years(day, years):
    """The same calendar day `years` later; 29 February falls on 1 March in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def add_months(day, months):
    """`day` moved by `months` calendar months (or earlier); the month's last day when the
    day does not exist in it (31 August − 6 months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def period_end(starts_on):
    """The last day of a registration period starting on `starts_on`: three years less a day.

    Both ends belong to the period: an hour credited on its last day counts in it, an hour
    credited the next day in the next period (which starts that day).
    """
    return add_years(starts_on, PERIOD_YEARS) - datetime.timedelta(days=1)


def evidence_path(instance, filename):
    return f"training/evidence/{instance.user_id}/{timezone.now():%Y%m}/{filename}"


class OutsideHours(models.Model):
    """Hours earned elsewhere, with evidence; they count once the secretariat approves them,
    on the day the training took place."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", pgettext_lazy("outside hours", "approved")
        REFUSED = "refused", pgettext_lazy("outside hours", "refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="outside_hours",
    )
    title = SingleLineCharField(_("name of the training"), max_length=200)
    provider = SingleLineCharField(
        _("held by"), max_length=120, help_text=_("Who gave it: a bureau, a university…")
    )
    completed_on = models.DateField(
        _("date"), help_text=_("The (last) day of the training: the hours count on that day.")
    )
    hours = models.DecimalField(
        _("hours"),
        **HOURS,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, storage=get_private_storage)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hours earned elsewhere")
        verbose_name_plural = _("hours earned elsewhere")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="training_outside_hours_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""),
                name="training_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.user}"


def _hours_in_period(model, date_field, **filters):
    """A subquery: the user's hours of `model` dated inside the outer period."""
    rows = model.objects.filter(
        user=OuterRef("user"),
        **{
            f"{date_field}__gte": OuterRef("starts_on"),
            f"{date_field}__lte": OuterRef("ends_on"),
        },
        **filters,
    )
    total = rows.order_by().values("user").annotate(total=Sum("hours")).values("total")
    return Coalesce(Subquery(total, output_field=TOTAL_HOURS), Value(ZERO))


class RegistrationPeriodQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)

    def with_hours(self):
        """Annotate hours (attended + approved outside hours dated inside the period, both
        ends included), required (72 or 90) and missing (0 when met). In the database, so a
        list of any length is one query."""
        attended = _hours_in_period(Attendance, "session__date")
        outside = _hours_in_period(
            OutsideHours, "completed_on", status=OutsideHours.Status.APPROVED
        )
        required = Case(
            *[
                When(qualification=level, then=Value(hours))
                for level, hours in REQUIRED_HOURS.items()
            ],
            output_field=TOTAL_HOURS,
        )
        return self.annotate(
            hours_attended=attended,
            hours_outside=outside,
            hours=models.ExpressionWrapper(attended + outside, output_field=TOTAL_HOURS),
            required=required,
        )

    def short(self):
        """Periods whose hours are below the requirement (call on with_hours())."""
        return self.filter(hours__lt=models.F("required"))

    def within(self, area):
        """Periods of individual members whose county lies inside `area` (a division): what
        a civil-affairs viewer with access to the hours may see."""
        members = Member.objects.individuals().filter(
            user=OuterRef("user"), county__in=Division.objects.within(area)
        )
        return self.filter(Exists(members))


class RegistrationPeriod(models.Model):
    """A registration period (登记有效期) of a certified social worker, as entered by them
    from their registration certificate: level and first day; it lasts three years."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="registration_periods",
    )
    qualification = models.CharField(
        _("qualification level"),
        max_length=20,
        choices=LEVELS,
        help_text=_("助理社会工作师 needs 72 hours per period; 社会工作师 and 高级社会工作师 90."),
    )
    certificate_number = models.CharField(
        _("registration certificate number"), max_length=40, blank=True
    )
    starts_on = models.DateField(
        _("first day of the registration period"),
        help_text=_("As printed on the registration certificate (登记证书)."),
    )
    ends_on = models.DateField(_("last day of the registration period"), editable=False)
    created_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    objects = RegistrationPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration period")
        verbose_name_plural = _("registration periods")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "starts_on"], name="training_period_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="training_period_ordered"
            ),
        ]
        permissions = [
            (
                "view_hours_report",
                _("Can see the continuing-education hours of social workers in their scope"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.ends_on = period_end(self.starts_on)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.starts_on or not self.user_id:
            return
        self.ends_on = period_end(self.starts_on)
        overlapping = (
            RegistrationPeriod.objects.filter(user_id=self.user_id)
            .exclude(pk=self.pk)
            .filter(starts_on__lte=self.ends_on, ends_on__gte=self.starts_on)
        )
        if overlapping.exists():
            message = _(
                "This period overlaps another of your registration periods; correct that one "
                "instead."
            )
            raise ValidationError({"starts_on": ValidationError(message, code="overlap")})

    @property
    def required_hours(self):
        return REQUIRED_HOURS[self.qualification]

    def days_left(self, on=None):
        """Days from `on` to the last day, the last day included (0 once it has passed)."""
        on = on or timezone.localdate()
        return max((self.ends_on - on).days + 1, 0)


CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_number():
    """JX-XXXX-XXXX: unguessable (31⁸ numbers), so nobody can list certificates by trying."""
    body = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(8))
    return f"JX-{body[:4]}-{body[4:]}"


class Certificate(models.Model):
    """A numbered certificate of hours: attendance at one training, or the hours of one
    registration period (继续教育学时证明). What it states is frozen when it is issued; when
    the hours change, a new certificate replaces it."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("attendance certificate")
        PERIOD = "period", _("continuing-education hours certificate")

    number = models.CharField(
        pgettext_lazy("of a certificate", "number"),
        max_length=20,
        unique=True,
        default=new_certificate_number,
        editable=False,
    )
    kind = models.CharField(
        pgettext_lazy("kind of certificate", "kind"), max_length=12, choices=Kind.choices
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="training_certificates",
    )
    holder_name = SingleLineCharField(pgettext_lazy("name of a person", "name"), max_length=60)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    training = models.ForeignKey(
        Training,
        verbose_name=_("training"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    period = models.ForeignKey(
        RegistrationPeriod,
        verbose_name=_("registration period"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    covers_from = models.DateField(_("first day covered"))
    covers_until = models.DateField(_("last day covered"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("training certificate")
        verbose_name_plural = _("training certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="attendance", training__isnull=False, period__isnull=True)
                | Q(kind="period", period__isnull=False, training__isnull=True),
                name="training_certificate_subject",
            ),
            models.UniqueConstraint(
                fields=["user", "training"],
                condition=Q(replaced_at__isnull=True, kind="attendance"),
                name="training_one_current_attendance_certificate",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(replaced_at__isnull=True, kind="period"),
                name="training_one_current_period_certificate",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_current(self):
        return self.replaced_at is None


class Reminder(models.Model):
    """A reminder e-mail sent for a period still short of hours, so each is sent once."""

    period = models.ForeignKey(
        RegistrationPeriod,
        verbose_name=_("registration period"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    months_before = models.PositiveSmallIntegerField(_("months before the end"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "months_before"], name="training_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.period} · {self.months_before}"


class CreditedItem:
    """One line of a user's record: a session attended or approved hours from elsewhere."""

    def __init__(self, *, on, title, hours, outside, source=None):
        self.on = on
        self.title = title
        self.hours = hours
        self.outside = outside
        self.source = source

    def __repr__(self):
        return f"CreditedItem({self.on}, {self.title!r}, {self.hours})"


def credited_items(user, *, since=None, until=None):
    """The user's credited items dated from `since` to `until` (both included), by date.

    The same rule as RegistrationPeriodQuerySet.with_hours(): sessions count on their date,
    hours from elsewhere on the day they were earned, and only once approved.
    """
    attended = Attendance.objects.filter(user=user).select_related("session__training")
    outside = OutsideHours.objects.filter(user=user, status=OutsideHours.Status.APPROVED)
    if since:
        attended = attended.filter(session__date__gte=since)
        outside = outside.filter(completed_on__gte=since)
    if until:
        attended = attended.filter(session__date__lte=until)
        outside = outside.filter(completed_on__lte=until)
    items = [
        CreditedItem(
            on=row.session.date,
            title=f"{row.session.training.title} · {row.session.title}",
            hours=row.hours,
            outside=False,
            source=row,
        )
        for row in attended
    ] + [
        CreditedItem(
            on=row.completed_on, title=row.title, hours=row.hours, outside=True, source=row
        )
        for row in outside
    ]
    return sorted(items, key=lambda item: (item.on, item.title))
