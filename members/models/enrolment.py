"""Two-factor enrolment links: how a staff account sets up its first authenticator."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def enrolment_token_hash(token):
    """Only a hash of a link's token is stored: the database alone enrols nobody."""
    return hashlib.sha256(token.encode()).hexdigest()


class TwoFactorEnrolmentQuerySet(models.QuerySet):
    def unused(self, now=None):
        """Links that may still be used: neither used nor expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class TwoFactorEnrolment(models.Model):
    """A single-use, expiring link e-mailed to a staff account to set up two-factor login.

    A staff role counts only with two-factor login, and a password alone must not be enough
    to enrol an authenticator: the link goes to the account's own address, so enrolling
    needs the password and the mailbox.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="two_factor_enrolments",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when an operator issued it with manage.py two_factor_link."),
    )
    issued_at = models.DateTimeField(
        pgettext_lazy("enrolment link", "issued at"), default=timezone.now
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = TwoFactorEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("two-factor enrolment link")
        verbose_name_plural = _("two-factor enrolment links")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.user} · {self.issued_at:%Y-%m-%d %H:%M}"
