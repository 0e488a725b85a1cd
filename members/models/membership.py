"""Accounts, members, representatives, dues, activities and certificates."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.storage import get_private_storage
from common.text import SingleLineCharField

from ..validators import normalise_credit_code, validate_credit_code, validate_phone

# A member who has paid no dues and joined no activity for one year is not in good
# standing. A payment or activity dated 365 days before a day still counts on that
# day; one dated 366 days before does not.
STANDING_WINDOW = datetime.timedelta(days=365)
# A certificate (会员证) is valid for at most one board term: five years.
CERTIFICATE_YEARS = 5


class User(AbstractUser):
    """An account. Roles are groups (see members.roles); the civil-affairs scope is data here."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = SingleLineCharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    consent_at = models.DateTimeField(
        _("consented to the privacy notice at"), null=True, blank=True
    )
    civil_affairs_scope = models.ForeignKey(
        "stations.Division",
        verbose_name=_("civil-affairs scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "For civil-affairs viewers: the city or the one county whose stations they may see."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.full_name or self.email or self.username

    @property
    def display_name(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        """What the admin's header greets: the person's name, not the login name."""
        return self.display_name


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class Qualification(models.TextChoices):
    """National social-work qualification (社会工作者职业资格)."""

    NONE = "none", _("none")
    ASSISTANT = "assistant", _("assistant social worker")
    SOCIAL_WORKER = "social_worker", _("social worker")
    SENIOR = "senior", _("senior social worker")


class OrganisationType(models.TextChoices):
    SOCIAL_WORK = "social_work", _("social-work service organisation")
    SOCIAL_ORGANISATION = "social_organisation", _("other social organisation")
    UNIVERSITY = "university", _("university or school")
    INSTITUTION = "institution", _("public institution")
    ENTERPRISE = "enterprise", _("enterprise")
    OTHER = "other", _("other organisation")


def member_logo_path(instance, filename):
    return f"members/logos/{timezone.now():%Y%m}/{filename}"


def member_photo_path(instance, filename):
    return f"members/photos/{timezone.now():%Y%m}/{filename}"


def _standing_condition(on):
    """The good-standing rule as one database condition (see Member.is_in_good_standing)."""
    since = on - STANDING_WINDOW
    recent_dues = DuesPayment.objects.filter(member=OuterRef("pk"), paid_on__range=(since, on))
    recent_activity = Activity.objects.filter(member=OuterRef("pk"), on__range=(since, on))
    return (
        Q(status=Member.Status.ACTIVE, member_since__lte=on)
        & (Q(member_until__isnull=True) | Q(member_until__gte=on))
        & (Q(member_since__gte=since) | Exists(recent_dues) | Exists(recent_activity))
    )


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def in_good_standing(self, on=None):
        """Members entitled to vote on `on` (today by default); see Member.is_in_good_standing.

        The same rule as the method, evaluated in the database: one query for any number of
        members, so the ballot box can freeze the roll of voters in one statement.
        """
        on = on or timezone.localdate()
        return self.active().filter(_standing_condition(on))

    def with_standing(self, on=None):
        """Annotate `good_standing` (True/False) with the same rule, for lists and filters."""
        on = on or timezone.localdate()
        return self.annotate(
            good_standing=ExpressionWrapper(
                _standing_condition(on), output_field=models.BooleanField()
            )
        )

    def units(self):
        return self.filter(kind=Member.Kind.UNIT)

    def individuals(self):
        return self.filter(kind=Member.Kind.INDIVIDUAL)


class Member(models.Model):
    """A unit member (单位会员) or an individual member (个人会员) of the association."""

    # The descriptive data of each kind (files aside): what an application carries over on
    # admission, what the roster exports and what a member's own data download holds.
    UNIT_FIELDS = (
        "credit_code",
        "organisation_type",
        "legal_representative",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
    )
    INDIVIDUAL_FIELDS = (
        "gender",
        "employer",
        "qualification",
        "certificate_number",
        "phone",
        "email",
    )

    class Kind(models.TextChoices):
        UNIT = "unit", _("unit member")
        INDIVIDUAL = "individual", _("individual member")

    class Tier(models.TextChoices):
        MEMBER = "member", _("member")
        COUNCIL = "council", _("council unit")
        STANDING_COUNCIL = "standing_council", _("standing-council unit")
        VICE_PRESIDENT = "vice_president", _("vice-president unit")
        PRESIDENT = "president", _("president unit")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        LEFT = "left", _("left")
        EXPELLED = "expelled", _("expelled")

    kind = models.CharField(pgettext_lazy("member", "kind"), max_length=10, choices=Kind.choices)
    name = SingleLineCharField(_("name"), max_length=100)
    number = models.CharField(_("member number"), max_length=30, unique=True, null=True, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    status_reason = models.CharField(_("reason for the status"), max_length=300, blank=True)
    member_since = models.DateField(_("member since"), default=timezone.localdate)
    member_until = models.DateField(_("member until"), null=True, blank=True)
    county = models.ForeignKey(
        "stations.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voting account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_(
            "The individual member's own account, or the unit's current voting representative."
        ),
    )
    # Unit members
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        error_messages={
            "unique": _("A unit with this unified social credit code is already a member.")
        },
    )
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    address = SingleLineCharField(_("address"), max_length=200, blank=True)
    contact_name = SingleLineCharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    logo = models.FileField(
        _("logo"), upload_to=member_logo_path, storage=get_private_storage, blank=True
    )
    # Individual members
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    qualification = models.CharField(
        _("social-work qualification"),
        max_length=20,
        choices=Qualification.choices,
        default=Qualification.NONE,
    )
    certificate_number = models.CharField(
        _("qualification certificate number"), max_length=40, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.FileField(
        _("photo"), upload_to=member_photo_path, storage=get_private_storage, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["number", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="unit") | Q(credit_code__isnull=True),
                name="members_credit_code_only_for_units",
            ),
            models.CheckConstraint(
                condition=Q(member_until__isnull=True)
                | Q(member_until__gte=models.F("member_since")),
                name="members_member_until_after_since",
            ),
        ]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        """Field checks plus the kind/credit-code rules, reported on the fields themselves.

        These live here, not in clean(), because clean_fields knows which fields a form
        leaves out: an error cannot be attached to a field the form does not show.
        """
        # Empty codes are NULL so that the unique constraint ignores them.
        self.credit_code = normalise_credit_code(self.credit_code) or None
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "credit_code" not in exclude and "credit_code" not in errors:
            if self.kind == self.Kind.UNIT and not self.credit_code:
                errors["credit_code"] = [_("A unit member needs its unified social credit code.")]
            if self.kind == self.Kind.INDIVIDUAL and self.credit_code:
                errors["credit_code"] = [_("Only unit members have a unified social credit code.")]
        if (
            "member_until" not in exclude
            and "member_until" not in errors
            and self.member_until
            and self.member_since
            and self.member_until < self.member_since
        ):
            errors["member_until"] = [_("The membership cannot end before it began.")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_unit(self):
        return self.kind == self.Kind.UNIT

    def kind_is_fixed(self):
        """A member's kind (unit or individual) is fixed once it has a voting account or a
        representative term: switching a unit to an individual and back would change its
        voting account past the handover. The back office and the import both hold to it."""
        return bool(self.pk) and (bool(self.user_id) or self.representatives.exists())

    # The columns is_in_good_standing reads of the member itself (for .only()).
    standing_fields = ("status", "member_since", "member_until")

    def is_in_good_standing(self, on=None):
        """Whether the member may vote on `on` (today by default).

        True exactly when all of these hold on that day:
        - the status is active (suspended, left and expelled members never are);
        - the membership has begun (member_since <= on) and not ended (member_until is
          empty or >= on);
        - and the member shows a sign of life within STANDING_WINDOW (365 days) up to and
          including `on`: they joined on or after on - 365 days, or a dues payment was made
          (paid_on) or an activity joined (Activity.on, e.g. meeting attendance) on a day
          between on - 365 days and `on`, both included.
        So a member whose last payment or activity was 365 days ago is still in good
        standing, and from the 366th day on they are not (no dues and no activity for one
        year). Payments and activities dated after `on` do not count.
        MemberQuerySet.in_good_standing(on) applies the same rule in the database.
        """
        on = on or timezone.localdate()
        if not (
            self.status == self.Status.ACTIVE
            and self.member_since <= on
            and (self.member_until is None or self.member_until >= on)
        ):
            return False
        since = on - STANDING_WINDOW
        if self.member_since >= since:
            return True
        return (
            self.dues_payments.filter(paid_on__range=(since, on)).exists()
            or self.activities.filter(on__range=(since, on)).exists()
        )

    def standing_expires_on(self, on=None):
        """The last day of good standing if nothing new is paid or joined after `on`.

        None when the member is not active; used to remind members before they lapse.
        """
        on = on or timezone.localdate()
        if self.status != self.Status.ACTIVE:
            return None
        last_dues = (
            self.dues_payments.filter(paid_on__lte=on)
            .order_by("-paid_on")
            .values_list("paid_on", flat=True)
            .first()
        )
        last_activity = (
            self.activities.filter(on__lte=on).order_by("-on").values_list("on", flat=True).first()
        )
        latest = max(day for day in (self.member_since, last_dues, last_activity) if day)
        expires = latest + STANDING_WINDOW
        if self.member_until:
            expires = min(expires, self.member_until)
        return expires

    def current_certificate(self):
        return self.certificates.filter(revoked_on__isnull=True).order_by("-issued_on").first()


class MemberChange(models.Model):
    """One change to a member's record: who made it, when, what changed and why."""

    class Action(models.TextChoices):
        ADMITTED = "admitted", _("admitted")
        PROFILE = "profile", _("profile edited")
        TIER = "tier", _("tier changed")
        STATUS = "status", _("status changed")
        REPRESENTATIVE = "representative", _("representative changed")
        CERTIFICATE = "certificate", _("certificate issued")
        IMPORTED = "imported", _("imported")
        EDITED = "edited", _("edited in the back office")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="changes"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.TextField(_("what changed"), blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("change of a member's record")
        verbose_name_plural = _("changes of members' records")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.member} · {self.get_action_display()}"


class Representative(models.Model):
    """A term of an account as a unit member's voting representative (会员代表)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("unit member"),
        on_delete=models.PROTECT,
        related_name="representatives",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="representations",
    )
    since = models.DateTimeField(_("since"), default=timezone.now)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("voting representative")
        verbose_name_plural = _("voting representatives")
        ordering = ["-since", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(until__isnull=True),
                name="members_one_current_representative_per_unit",
                violation_error_message=_(
                    "A unit has exactly one voting representative at a time."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.user}"


class DuesRate(models.Model):
    """The yearly dues (会费) of one tier, set by the secretariat for one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    tier = models.CharField(_("tier"), max_length=20, choices=Member.Tier.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("dues rate")
        verbose_name_plural = _("dues rates")
        ordering = ["-year", "amount"]
        constraints = [
            models.UniqueConstraint(fields=["year", "tier"], name="members_one_rate_per_tier_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="members_rate_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_tier_display()} · {self.amount}"

    @classmethod
    def for_member(cls, member, year):
        """The rate in force for the member's tier: the year's own, else the latest before."""
        return cls.objects.filter(tier=member.tier, year__lte=year).order_by("-year").first()


class DuesPayment(models.Model):
    """A dues payment recorded by the secretariat, with the receipt it issued."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    year = models.PositiveSmallIntegerField(_("for the year"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    receipt_number = models.CharField(
        _("receipt number"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("A payment with this receipt number is already recorded.")},
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="members_one_payment_per_member_year",
                violation_error_message=_(
                    "Dues for this year are already recorded for this member."
                ),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="members_payment_positive"),
        ]

    def __str__(self):
        return f"{self.member} · {self.year} · {self.receipt_number}"


class Activity(models.Model):
    """An activity the member joined (a meeting attended, a training): keeps them in standing."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="activities"
    )
    on = models.DateField(_("date"))
    description = models.CharField(_("activity"), max_length=200)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "on", "description"], name="members_activity_recorded_once"
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.on} · {self.description}"


class Certificate(models.Model):
    """A member certificate (会员证): the member's number, tier and validity at issue."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="certificates"
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Member.Tier.choices)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("member certificate")
        verbose_name_plural = _("member certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(revoked_on__isnull=True),
                name="members_one_valid_certificate_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member.number} · {self.issued_on}"

    @staticmethod
    def validity_end(issued_on, member_until=None):
        """Five years less a day from the issue date, or the end of membership if earlier."""
        try:
            end = issued_on.replace(year=issued_on.year + CERTIFICATE_YEARS)
        except ValueError:  # 29 February
            end = issued_on.replace(year=issued_on.year + CERTIFICATE_YEARS, day=28)
        end -= datetime.timedelta(days=1)
        if member_until and member_until < end:
            end = member_until
        return end

    def is_current(self, on=None):
        """Genuine and current: not revoked, in its validity, and the member still active."""
        on = on or timezone.localdate()
        return (
            self.revoked_on is None
            and self.issued_on <= on <= self.valid_until
            and self.member.status == Member.Status.ACTIVE
            and (self.member.member_until is None or self.member.member_until >= on)
        )


class MemberNumberSequence(models.Model):
    """The last member number handed out per prefix and year; locked while numbering."""

    prefix = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("member number sequence")
        verbose_name_plural = _("member number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="members_one_sequence_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"
