"""A unit's voting representative: handovers and e-mailed invitations."""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.outbox import send_on_commit
from common.mail import absolute_url

from .. import emails, roles
from ..models import (
    Application,
    Member,
    MemberChange,
    Representative,
    RepresentativeInvitation,
    invitation_token_hash,
)
from ._shared import MEMBER_ROLE_STATUSES, _locked, _normalise_email, _refuse_staff_representative
from .accounts import account_roles_sync


def _refuse_representative(member, user, current):
    if member.kind != Member.Kind.UNIT:
        raise ValidationError(_("Only unit members have a voting representative."))
    if member.status not in MEMBER_ROLE_STATUSES:
        raise ValidationError(_("This unit is no longer a member."))
    if not user.is_active:
        raise ValidationError({"email": _("This account is disabled.")})
    _refuse_staff_representative(user)
    if (current and current.user_id == user.pk) or (not current and member.user_id == user.pk):
        raise ValidationError({"email": _("This account already represents the unit.")})


def representative_change_check(*, member, user):
    """Raise the ValidationError representative_change would, without changing anything:
    for a form to show before it saves (`member` may be a unit not saved yet)."""
    current = member.representatives.filter(until__isnull=True).first() if member.pk else None
    _refuse_representative(member, user, current)


@transaction.atomic
def representative_change(*, member, user, actor, reason="", base_url=""):
    """Hand a unit's vote to another account: close the current term, open a new one,
    point Member.user at the new representative and move the member role with it. Both
    accounts are told by e-mail. The portal's invitations and the back office's data entry
    (a handover on paper) both come here."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    current = member.representatives.select_for_update().filter(until__isnull=True).first()
    _refuse_representative(member, user, current)
    now = timezone.now()
    if current:
        current.until = now
        current.save(update_fields=["until"])
    term = Representative(member=member, user=user, since=now, appointed_by=actor, reason=reason)
    term.full_clean()
    term.save()
    previous = member.user
    member.user = user
    member.save(update_fields=["user"])
    MemberChange.objects.create(
        member=member,
        action=MemberChange.Action.REPRESENTATIVE,
        changed_by=actor,
        details=_("Voting representative: %(old)s → %(new)s")
        % {"old": previous.display_name if previous else "—", "new": user.display_name},
        reason=reason,
    )
    account_roles_sync(user=user)
    if previous is not None:
        account_roles_sync(user=previous)
    send_on_commit(
        emails.representative_changed,
        member=member.pk,
        previous=previous.pk if previous else None,
        base_url=base_url,
    )
    return term


def _void_invitations(application):
    """A withdrawn or decided application's invitation can no longer be answered."""
    application.representative_invitations.pending().update(
        state=RepresentativeInvitation.State.VOID, closed_at=timezone.now()
    )


def _refuse_too_many_invitations(actor, now):
    """Each invitation e-mails an address the inviter chose: the portal must not become a
    way to flood someone's mailbox. The count is the inviter's, whatever the addresses."""
    if roles.is_secretariat(actor):
        return
    limit = settings.REPRESENTATIVE_INVITATIONS_PER_DAY
    sent = RepresentativeInvitation.objects.filter(
        invited_by=actor, invited_at__gt=now - datetime.timedelta(days=1)
    ).count()
    if sent >= limit:
        raise ValidationError(
            _(
                "You have sent %(count)s invitations in the last 24 hours, the most allowed. "
                "Try again tomorrow, or ask the secretariat."
            )
            % {"count": sent},
            code="too_many",
        )


@transaction.atomic
def representative_invite(*, email, actor, application=None, member=None, reason="", base_url=""):
    """Invite `email` to be the voting representative of a unit `application` (open) or
    `member` (a unit still a member), replacing the pending invitation; returns it.

    The address is not looked up: the work done and the answer are the same for any
    address. The e-mail with the link goes out on commit; `invitation.link` (not stored)
    is the link's URL.
    """
    email = _normalise_email(email)
    now = timezone.now()
    _refuse_too_many_invitations(actor, now)
    if application is not None:
        target = _locked(
            application, Application.OPEN_STATUSES, _("This application is no longer open.")
        )
        if not target.is_unit:
            raise ValidationError(_("Only a unit names a voting representative."))
    else:
        target = Member.objects.select_for_update().get(pk=member.pk)
        if target.kind != Member.Kind.UNIT:
            raise ValidationError(_("Only unit members have a voting representative."))
        if target.status not in MEMBER_ROLE_STATUSES:
            raise ValidationError(_("This unit is no longer a member."))
        if target.user_id and target.user.email.lower() == email.lower():
            # The inviter is that account or the secretariat: this tells them nothing new.
            raise ValidationError({"email": _("This account already represents the unit.")})
    target.representative_invitations.pending().update(
        state=RepresentativeInvitation.State.REPLACED, closed_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = RepresentativeInvitation(
        application=target if application is not None else None,
        member=target if member is not None else None,
        email=email,
        token_hash=invitation_token_hash(token),
        reason=(reason or "").strip(),
        invited_by=actor,
        invited_at=now,
        expires_at=now + datetime.timedelta(days=settings.REPRESENTATIVE_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    path = reverse("members:invitation", args=[token])
    send_on_commit(
        emails.representative_invited,
        # The address is known now; the link's secret stays out of the task queue (and
        # the outbox forgets it once the message is sent).
        recipients=[(email, email)],
        invitation=invitation.pk,
        base_url=base_url,
        path=path,
    )
    invitation.link = absolute_url(base_url, path)
    return invitation


@transaction.atomic
def representative_invitation_cancel(*, actor, application):
    """The applicant represents the unit after all: a pending invitation (or the declined
    one it stands on) is cancelled, an accepted one stays as history, and the application
    names no one else."""
    application = _locked(
        application, Application.OPEN_STATUSES, _("This application is no longer open.")
    )
    application.representative_invitations.pending().update(
        state=RepresentativeInvitation.State.CANCELLED, closed_at=timezone.now()
    )
    declined = application.representative_invitations.current()
    if declined is not None and declined.state == RepresentativeInvitation.State.DECLINED:
        declined.state = RepresentativeInvitation.State.CANCELLED
        declined.save(update_fields=["state"])
    if application.representative_id is not None:
        application.representative = None
        application.save(update_fields=["representative", "updated_at"])
    return application


INVITATION_REFUSALS = {
    RepresentativeInvitation.State.ACCEPTED: gettext_lazy(
        "This invitation has been answered already: the link works only once."
    ),
    RepresentativeInvitation.State.DECLINED: gettext_lazy(
        "This invitation has been answered already: the link works only once."
    ),
    RepresentativeInvitation.State.REPLACED: gettext_lazy(
        "A newer invitation has replaced this one. Use the link in the latest e-mail."
    ),
    RepresentativeInvitation.State.CANCELLED: gettext_lazy(
        "Whoever invited you has cancelled this invitation."
    ),
    RepresentativeInvitation.State.VOID: gettext_lazy(
        "The application this invitation belongs to has been withdrawn or decided: the "
        "invitation no longer counts."
    ),
}


def representative_invitation_for(*, token, user):
    """The invitation of `token` if `user` may answer it now; else ValidationError with
    code unknown, closed, expired or wrong_account (and a message for the page)."""
    invitation = (
        RepresentativeInvitation.objects.select_related("application", "member", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    if invitation.state != RepresentativeInvitation.State.PENDING:
        raise ValidationError(INVITATION_REFUSALS[invitation.state], code="closed")
    if invitation.is_expired():
        raise ValidationError(
            _("This invitation has expired. Ask whoever invited you to send a new one."),
            code="expired",
        )
    verified = EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
    if not verified:
        raise ValidationError(
            _(
                "This invitation is for %(email)s, and the account you are signed in with "
                "has not verified that address. Sign in with the account of that address, "
                "or add the address to your account and confirm it."
            )
            % {"email": invitation.email},
            code="wrong_account",
        )
    return invitation


def _answerable(token, actor):
    invitation = representative_invitation_for(token=token, user=actor)
    # Lock it, and check again: a second tab may have answered it meanwhile.
    locked = RepresentativeInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.state != RepresentativeInvitation.State.PENDING:
        raise ValidationError(INVITATION_REFUSALS[locked.state], code="closed")
    return invitation


@transaction.atomic
def representative_invitation_accept(*, token, actor, base_url=""):
    """`actor` accepts the invitation: they become the application's representative, or
    the member's (the current term ends now, and the new one begins). A staff account is
    refused (code staff): it may only decline."""
    invitation = _answerable(token, actor)
    _refuse_staff_representative(actor)
    told = []
    if invitation.application_id:
        application = _locked(
            invitation.application,
            Application.OPEN_STATUSES,
            INVITATION_REFUSALS[RepresentativeInvitation.State.VOID],
        )
        application.representative = actor
        application.save(update_fields=["representative", "updated_at"])
    else:
        # The handover's own e-mail (representative_changed) tells the former representative.
        previous = (
            Member.objects.select_for_update()
            .values_list("user_id", flat=True)
            .get(pk=invitation.member_id)
        )
        told = [previous] if previous else []
        representative_change(
            member=invitation.member,
            user=actor,
            actor=invitation.invited_by,
            reason=invitation.reason,
            base_url=base_url,
        )
    invitation.state = RepresentativeInvitation.State.ACCEPTED
    invitation.answered_by = actor
    invitation.closed_at = timezone.now()
    invitation.save(update_fields=["state", "answered_by", "closed_at"])
    _tell_the_inviter(invitation, base_url, told)
    return invitation


def _tell_the_inviter(invitation, base_url, told=()):
    send_on_commit(
        emails.representative_invitation_answered,
        invitation=invitation.pk,
        base_url=base_url,
        told=list(told),
    )


@transaction.atomic
def representative_invitation_decline(*, token, actor, base_url=""):
    """`actor` declines: nothing else changes (the member's representative stays); the
    inviter is told by e-mail."""
    invitation = _answerable(token, actor)
    invitation.state = RepresentativeInvitation.State.DECLINED
    invitation.answered_by = actor
    invitation.closed_at = timezone.now()
    invitation.save(update_fields=["state", "answered_by", "closed_at"])
    _tell_the_inviter(invitation, base_url)
    return invitation
