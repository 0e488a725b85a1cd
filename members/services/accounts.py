"""Accounts: the roles an account holds from its membership, and staff two-factor
enrolment links."""

import contextlib
import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from association.outbox import send_on_commit
from common.mail import absolute_url

from .. import emails, roles
from ..models import (
    Application,
    Member,
    TwoFactorEnrolment,
    enrolment_token_hash,
)
from ._shared import MEMBER_ROLE_STATUSES


def account_roles_sync(*, user):
    """Give or take the member and applicant roles to match the account's records.

    member: the account votes for an active or suspended member (its own individual
    membership, or a unit it represents). applicant: it has an open application.
    """
    wanted = {
        roles.MEMBER: Member.objects.filter(user=user, status__in=MEMBER_ROLE_STATUSES).exists(),
        roles.APPLICANT: Application.objects.filter(
            applicant=user, status__in=Application.OPEN_STATUSES
        ).exists(),
    }
    for name, should_have in wanted.items():
        group, _created = Group.objects.get_or_create(name=name)
        if should_have:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    forget_cached_roles(user)


def forget_cached_roles(user):
    """roles._in_group caches group names on the user object; the next check must re-read."""
    # delattr, not __dict__: request.user is a lazy proxy that forwards attribute deletion.
    with contextlib.suppress(AttributeError):
        del user._role_names


def two_factor_link_issue(*, user, actor=None, base_url=""):
    """E-mail `user` a single-use link to set up two-factor login; returns the link's URL.

    A staff role counts only with two-factor login, and a staff account enrols its first
    authenticator only through such a link, so a stolen password cannot enrol the thief's.
    The secretariat issues links (`actor`; a superuser account's only by a superuser), or an
    operator with `manage.py two_factor_link` (actor None). A new link voids older ones.
    """
    if actor is not None and not roles.is_secretariat(actor):
        raise ValidationError(_("Only the secretariat can send two-factor enrolment links."))
    if user.is_superuser and actor is not None and not actor.is_superuser:
        raise ValidationError(
            _("Only a superuser can send a superuser account a two-factor enrolment link.")
        )
    if not user.is_active:
        raise ValidationError(_("%(user)s: the account is inactive.") % {"user": user})
    if not roles.is_staff_role(user):
        raise ValidationError(
            _("%(user)s is no staff account: it can set up two-factor login by itself.")
            % {"user": user}
        )
    if roles.has_two_factor(user):
        raise ValidationError(_("%(user)s already has two-factor login set up.") % {"user": user})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        TwoFactorEnrolment.objects.filter(user=user).unused(now).update(expires_at=now)
        link = TwoFactorEnrolment.objects.create(
            user=user,
            token_hash=enrolment_token_hash(token),
            issued_by=actor,
            issued_at=now,
            expires_at=now + datetime.timedelta(hours=settings.TWO_FACTOR_LINK_HOURS),
        )
        path = reverse("members:two-factor-link", args=[token])
        send_on_commit(
            emails.two_factor_link,
            # Known now; the link's secret stays out of the task queue (and the outbox
            # forgets it once the message is sent).
            recipients=[(user.email, user.email)],
            link=link.pk,
            base_url=base_url,
            path=path,
        )
    return absolute_url(base_url, path)


def two_factor_link_use(*, token, user):
    """Use the link of `token` for `user` (the account signed in): it works once, for its
    own account, until it expires. Returns the link; the caller lets the session enrol."""
    with transaction.atomic():
        link = (
            TwoFactorEnrolment.objects.select_for_update()
            .filter(token_hash=enrolment_token_hash(token), user=user)
            .first()
        )
        if link is None:
            raise ValidationError(
                _("This link is not valid for the account you are signed in with.")
            )
        if link.used_at is not None:
            raise ValidationError(
                _("This link has been used already. Ask the secretariat for a new one.")
            )
        if link.expires_at <= timezone.now():
            raise ValidationError(_("This link has expired. Ask the secretariat for a new one."))
        if roles.has_two_factor(user):
            raise ValidationError(_("Your account already has two-factor login set up."))
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return link


def two_factor_link_allows(*, link_id, user):
    """Whether the link `link_id`, used by this session, still lets `user` enrol now."""
    window = datetime.timedelta(minutes=settings.TWO_FACTOR_LINK_SESSION_MINUTES)
    return TwoFactorEnrolment.objects.filter(
        pk=link_id, user=user, used_at__gt=timezone.now() - window
    ).exists()
