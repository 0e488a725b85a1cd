"""Invitations to be a unit's voting representative (会员代表).

Naming a representative by e-mail address never looks the address up. Whatever the address
(an account's, nobody's yet, the inviter's own), the inviter gets the same answer, the same
page and the same work done on the server; an invitation goes to the address, and the
person answers it from their own signed-in account, whose verified addresses must include
the invited one. Only an acceptance names anybody: it records the application's
representative, or starts the member's new representative term (ending the old one then,
not at the invitation). A staff account may decline an invitation but never accept one
(members.roles.may_represent_a_unit says why).

The link carries a stored random token, not a signed one: a single-use link that a newer
invitation replaces and that closing the application voids needs a row anyway, and the
row is what the application pages and the back office show. The token is
secrets.token_urlsafe(32) (256 bits); only its SHA-256 is stored, so the database alone
accepts no invitation. It works once, until expires_at (REPRESENTATIVE_INVITATION_DAYS after
it was sent), and only while it is the pending invitation of its application or member.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admission import Application
from .membership import Member


def invitation_token_hash(token):
    """Only a hash of an invitation's token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class RepresentativeInvitationQuerySet(models.QuerySet):
    def pending(self):
        """Not answered, replaced, cancelled or void yet (expired ones included)."""
        return self.filter(state=RepresentativeInvitation.State.PENDING)

    def latest_first(self):
        return self.order_by("-invited_at", "-pk")

    def current(self):
        """The invitation the application (or member) now stands on, or None: the latest
        one still waiting, answered, or expired unanswered. Replaced, cancelled and void
        invitations are history."""
        State = RepresentativeInvitation.State
        return (
            self.filter(state__in=[State.PENDING, State.DECLINED, State.ACCEPTED])
            .latest_first()
            .first()
        )


class RepresentativeInvitation(models.Model):
    """An e-mailed invitation to be a unit's voting representative, for an application or
    for a member's handover; answered from the invitee's own account."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REPLACED = "replaced", _("replaced by a newer invitation")
        CANCELLED = "cancelled", _("cancelled by the inviter")
        VOID = "void", _("void: the application was closed")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="representative_invitations",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("unit member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representative_invitations",
    )
    email = models.EmailField(_("invited address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RepresentativeInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative invitation")
        verbose_name_plural = _("representative invitations")
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=True, member__isnull=False)
                | Q(application__isnull=False, member__isnull=True),
                name="members_invitation_for_an_application_or_a_member",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="pending"),
                name="members_one_pending_invitation_per_application",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="pending"),
                name="members_one_pending_invitation_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.unit_name} · {self.email}"

    @property
    def unit_name(self):
        return self.application.name if self.application_id else self.member.name

    def is_expired(self, now=None):
        return self.expires_at <= (now or timezone.now())

    @property
    def is_waiting(self):
        """Pending and not expired: an answer may still come."""
        return self.state == self.State.PENDING and not self.is_expired()
