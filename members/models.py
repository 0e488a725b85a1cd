from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An account. Roles are groups (see members.roles); the civil-affairs scope is data here."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
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


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def in_good_standing(self, on=None):
        """Members entitled to vote on `on` (today by default); see Member.is_in_good_standing."""
        on = on or timezone.localdate()
        return self.active().filter(member_since__lte=on).exclude(member_until__lt=on)


class Member(models.Model):
    """A unit member (单位会员) or an individual member (个人会员) of the association."""

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

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    number = models.CharField(_("member number"), max_length=30, unique=True, null=True, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
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

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["number", "name"]

    def __str__(self):
        return self.name

    def is_in_good_standing(self, on=None):
        """Whether the member may vote on `on` (today by default)."""
        on = on or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.member_since <= on
            and (self.member_until is None or self.member_until >= on)
        )
