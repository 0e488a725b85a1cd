"""Training events: fields of practice, the expert pool, trainings, their sessions,
registrations with the waiting list, and attendance (the hours credited per session).

Hours are Decimals with one decimal place, summed in the database and compared exactly:
71.5 of 72 is short, 72.0 is enough. No float ever holds an hour.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.checkin import new_check_in_code
from common.storage import get_private_storage
from common.text import SingleLineCharField
from members import roles
from members.models import Member

ZERO = Decimal("0.0")
HOURS = {"max_digits": 4, "decimal_places": 1}
TOTAL_HOURS = DecimalField(max_digits=7, decimal_places=1)


class Topic(models.Model):
    """A field of practice (领域) of experts and trainings: 心理咨询, 社工站建设…"""

    name = models.CharField(pgettext_lazy("name of a field of practice", "name"), max_length=40)
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"), default=0
    )

    class Meta:
        verbose_name = pgettext_lazy("field of practice", "field")
        verbose_name_plural = pgettext_lazy("fields of practice", "fields")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="training_topic_unique")]

    def __str__(self):
        return self.name


def expert_photo_path(instance, filename):
    return f"training/experts/{timezone.now():%Y%m}/{filename}"


class ExpertQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Expert(models.Model):
    """A member of the expert pool (专家库). Contact data is for the secretariat only."""

    name = SingleLineCharField(pgettext_lazy("name of a person", "name"), max_length=60)
    title = SingleLineCharField(
        pgettext_lazy("of an expert", "title"),
        max_length=100,
        blank=True,
        help_text=_("For example 教授、高级社会工作师."),
    )
    organisation = SingleLineCharField(_("organisation"), max_length=120, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=pgettext_lazy("fields of practice", "fields"), blank=True
    )
    biography = models.TextField(_("short biography"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to=expert_photo_path, storage=get_private_storage, blank=True
    )
    is_public = models.BooleanField(
        _("shown in public"),
        default=True,
        help_text=_("Untick to keep the expert out of the public pool and the event pages."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes for the secretariat"), blank=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


def _count_registrations(status):
    rows = (
        Registration.objects.filter(training=OuterRef("pk"), status=status)
        .order_by()
        .values("training")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), Value(0))


class TrainingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published trainings the user may see: members-only ones only by members (and the
        secretariat); to everyone else they do not exist."""
        trainings = self.published()
        if roles.is_member(user) or roles.is_secretariat(user):
            return trainings
        return trainings.exclude(audience=Training.Audience.MEMBERS)

    def with_dates(self):
        """Annotate first_day, last_day and total_hours from the sessions."""
        return self.annotate(
            first_day=models.Min("sessions__date"),
            last_day=models.Max("sessions__date"),
            total_hours=Coalesce(Sum("sessions__hours"), Value(ZERO), output_field=TOTAL_HOURS),
        )

    def with_seats(self):
        """Annotate taken (seats given) and waiting (on the waiting list), as subqueries so
        that they combine with with_dates() without multiplying its sums."""
        return self.annotate(
            taken=_count_registrations("confirmed"), waiting=_count_registrations("waiting")
        )


class Training(models.Model):
    """A training event (讲座, 研讨会, 培训班, 督导, 线上课程) with its sessions."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("lecture")
        SEMINAR = "seminar", _("seminar")
        COURSE = "course", _("training course")
        SUPERVISION = "supervision", _("supervision")
        ONLINE = "online", _("online course")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("members only")
        ANYONE = "anyone", _("any social worker with an account")

    title = SingleLineCharField(pgettext_lazy("name of a training", "title"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("kind of training", "kind"), max_length=20, choices=Kind.choices
    )
    description = models.TextField(pgettext_lazy("of a training", "description"), blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=pgettext_lazy("fields of practice", "fields"), blank=True
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Seats; empty for no limit. Registrations beyond it join the waiting list."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens at"), null=True, blank=True, help_text=_("Empty: open at once.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Empty: open until the training starts."),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.ANYONE
    )
    organiser = models.ForeignKey(
        Member,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings_organised",
        limit_choices_to={"kind": Member.Kind.UNIT},
        help_text=_("A unit member that organises it; empty when the association does."),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published trainings are shown.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="training_registration_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            raise ValidationError(
                {"registration_closes_at": _("Registration must close after it opens.")}
            )

    @property
    def organiser_name(self):
        return self.organiser.name if self.organiser_id else None

    def starts_at(self):
        """When the first session begins (None without sessions): registrations can be
        cancelled until then."""
        first = self.sessions.order_by("date", "starts_at").first()
        return first.begins_at if first else None

    def registration_state(self, now=None):
        """'not_yet', 'open' or 'closed' at `now`: the window, and never after the start."""
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if self.registration_closes_at and now >= self.registration_closes_at:
            return "closed"
        starts_at = self.starts_at()
        if starts_at is None or now >= starts_at:
            return "closed"
        return "open"

    def is_visible_to(self, user):
        return Training.objects.visible_to(user).filter(pk=self.pk).exists()

    def seats_taken(self):
        return self.registrations.filter(status=Registration.Status.CONFIRMED).count()


class Session(models.Model):
    """One session of a training (a lecture, a half-day): hours are credited per session."""

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = SingleLineCharField(pgettext_lazy("of a session", "topic"), max_length=200)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    hours = models.DecimalField(
        _("hours credited"),
        **HOURS,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
        help_text=_("Continuing-education hours (学时) an attendee is credited, e.g. 3.0."),
    )
    speakers = models.ManyToManyField(
        Expert, verbose_name=_("speakers"), blank=True, related_name="sessions"
    )
    check_in_code = models.CharField(
        _("check-in code"), max_length=8, default=new_check_in_code, editable=False
    )
    check_in_open = models.BooleanField(_("check-in open"), default=False, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="training_session_hours_positive"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session ends after it starts.")})

    @property
    def begins_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts_at))


class Registration(models.Model):
    """A signed-in user's registration for a training: a seat, or a place on the waiting list.

    The waiting list is first come, first served: its order is (created_at, pk).
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")

    training = models.ForeignKey(
        Training,
        verbose_name=_("training"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("seat given at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=~Q(status="cancelled"),
                name="training_one_live_registration",
            ),
        ]
        indexes = [models.Index(fields=["training", "status", "created_at"])]

    def __str__(self):
        return f"{self.training} · {self.user}"

    def waiting_position(self):
        """1 for the first in line, None when not waiting."""
        if self.status != self.Status.WAITING:
            return None
        ahead = Registration.objects.filter(
            training_id=self.training_id, status=self.Status.WAITING
        ).filter(Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk))
        return ahead.count() + 1


class Attendance(models.Model):
    """Hours credited to a user for a session they attended. Once per user and session."""

    class Source(models.TextChoices):
        SELF = "self", _("checked in with the code")
        SECRETARIAT = "secretariat", _("checked in by the secretariat")
        CORRECTION = "correction", _("corrected by the secretariat")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    hours = models.DecimalField(_("hours credited"), **HOURS)
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    source = models.CharField(_("recorded how"), max_length=12, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = pgettext_lazy("training attendance", "attendance")
        verbose_name_plural = pgettext_lazy("training attendance", "attendance")
        ordering = ["session", "checked_in_at", "pk"]
        constraints = [
            # A session attended twice counts once.
            models.UniqueConstraint(fields=["session", "user"], name="training_attended_once"),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="training_attendance_hours_positive"
            ),
        ]

    def __str__(self):
        return f"{self.session} · {self.user}"
