"""Every write that touches several models: admission, representatives and their
invitations, status, dues, activity.

Each function is keyword-only, runs in one transaction, validates with full_clean() and
raises ValidationError with a translated message when the request cannot be honoured; views,
the admin and commands all call these, so the rules live in one place. The e-mails an action
owes (to the applicant, the unit, the secretariat) are sent from here once it commits, in the
association's language; `base_url` is the portal's root URL for the links in them.
"""

import contextlib
import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.models import AssociationProfile
from association.outbox import send_on_commit
from common.mail import absolute_url
from common.uploads import PDF_MAGIC, clean_image_or_pdf, clean_pdf, thumbnail

from . import emails, roles
from .models import (
    Activity,
    Application,
    ApplicationDocument,
    Certificate,
    DuesPayment,
    Member,
    MemberChange,
    MemberNumberSequence,
    Representative,
    RepresentativeInvitation,
    TwoFactorEnrolment,
    enrolment_token_hash,
    invitation_token_hash,
)

STAFF_CANNOT_APPLY = gettext_lazy(
    "A staff account cannot apply for membership. Sign up with a personal account to apply."
)
STAFF_CANNOT_REPRESENT = gettext_lazy(
    "A staff account (secretariat, civil affairs or administrator) cannot be a unit's voting "
    "representative: staff run or oversee the votes it would cast. The unit's representative "
    "needs a personal account."
)
# Members in these states still hold the member role (they see their page); only active
# members in good standing may vote.
MEMBER_ROLE_STATUSES = (Member.Status.ACTIVE, Member.Status.SUSPENDED)


# Roles ------------------------------------------------------------------------------------


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


# Member numbers ---------------------------------------------------------------------------


def _format_number(prefix, year, sequence):
    return f"{prefix}-{year}-{sequence:04d}"


def _highest_existing_number(prefix, year):
    start = f"{prefix}-{year}-"
    highest = 0
    for number in Member.objects.filter(number__startswith=start).values_list("number", flat=True):
        suffix = number[len(start) :]
        if suffix.isdigit():
            highest = max(highest, int(suffix))
    return highest


def member_number_next(*, year):
    """The next free member number of `year`, e.g. XCSW-2026-0001.

    The year's sequence row is locked (SELECT ... FOR UPDATE) until the caller's transaction
    ends, so two admissions at the same moment never get the same number; numbers already
    used (imported members) are skipped. Must run inside a transaction.
    """
    prefix = AssociationProfile.current().member_number_prefix or "SW"
    try:
        with transaction.atomic():
            MemberNumberSequence.objects.get_or_create(
                prefix=prefix,
                year=year,
                defaults={"last": _highest_existing_number(prefix, year)},
            )
    except IntegrityError:
        pass  # Another transaction created the row first; we lock it below.
    sequence = MemberNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    candidate = sequence.last + 1
    while Member.objects.filter(number=_format_number(prefix, year, candidate)).exists():
        candidate += 1
    sequence.last = candidate
    sequence.save(update_fields=["last"])
    return _format_number(prefix, year, candidate)


# Certificates -----------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, member, actor=None, on=None):
    """Issue a new certificate (会员证) for the member, revoking the one it replaces."""
    on = on or timezone.localdate()
    if member.status != Member.Status.ACTIVE or not member.number:
        raise ValidationError(
            _("Only an active member with a member number can be issued a certificate.")
        )
    member.certificates.filter(revoked_on__isnull=True).update(revoked_on=on)
    certificate = Certificate(
        member=member,
        tier=member.tier,
        issued_on=on,
        valid_until=Certificate.validity_end(on, member.member_until),
        issued_by=actor,
    )
    certificate.full_clean()
    certificate.save()
    MemberChange.objects.create(
        member=member,
        action=MemberChange.Action.CERTIFICATE,
        changed_by=actor,
        details=_("Certificate valid until %(date)s.") % {"date": certificate.valid_until},
    )
    return certificate


# Applications -----------------------------------------------------------------------------


def _duplicate_errors(application):
    """Errors for a unit that is already a member or already under review, or a second
    individual membership."""
    if application.kind == Member.Kind.UNIT and application.credit_code:
        if Member.objects.filter(credit_code=application.credit_code).exists():
            return {
                "credit_code": _("A unit with this unified social credit code is already a member.")
            }
        under_review = Application.objects.filter(
            credit_code=application.credit_code, status=Application.Status.SUBMITTED
        ).exclude(pk=application.pk)
        if under_review.exists():
            return {
                "credit_code": _(
                    "An application for the unit with this credit code is already under review."
                )
            }
    if application.kind == Member.Kind.INDIVIDUAL:
        already = Member.objects.filter(
            kind=Member.Kind.INDIVIDUAL,
            user=application.applicant,
            status__in=MEMBER_ROLE_STATUSES,
        )
        if already.exists():
            return {"__all__": _("You are already an individual member.")}
    return {}


def _save_application(application):
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        # Two drafts started at the same moment: the database constraint wins.
        raise ValidationError(
            _("You already have an open application. Withdraw it before starting another.")
        ) from error


def _refuse_staff_applicant(user):
    """Staff accounts (secretariat, civil affairs, the admin's) never apply: they would
    review or oversee their own admission. A person applies from a personal account."""
    if roles.is_staff_role(user):
        raise ValidationError(STAFF_CANNOT_APPLY, code="staff")


def _refuse_staff_representative(user):
    """No staff account represents a unit (roles.may_represent_a_unit says why)."""
    if not roles.may_represent_a_unit(user):
        raise ValidationError(STAFF_CANNOT_REPRESENT, code="staff")


@transaction.atomic
def application_save(*, application, documents=(), representative_email=None, base_url=""):
    """Create or update a draft (or an application sent back), with new documents.

    `documents` are (upload, description) pairs; each is checked by content before anything
    is written, so a bad file leaves no trace. `representative_email` (units only; None
    leaves it as it is) names the voting representative: a new address is sent an
    invitation (representative_invite), the address already named is left alone, and an
    empty one means the applicant represents the unit.
    """
    _refuse_staff_applicant(application.applicant)
    if (
        application.pk
        and not Application.objects.filter(
            pk=application.pk, status__in=Application.EDITABLE_STATUSES
        ).exists()
    ):
        raise ValidationError(_("This application can no longer be changed."))
    application.full_clean()
    errors = _duplicate_errors(application)
    if errors:
        raise ValidationError(errors)
    checked = [(_clean_document(upload), upload.name, desc) for upload, desc in documents]
    _save_application(application)
    for file, original_name, description in checked:
        _add_document(application, file, original_name, description)
    if application.is_unit and representative_email is not None:
        _name_representative(application, representative_email, base_url)
    account_roles_sync(user=application.applicant)
    return application


def _name_representative(application, email, base_url):
    email = _normalise_email(email)
    if not email:
        representative_invitation_cancel(application=application, actor=application.applicant)
    elif email.lower() != application.named_representative_email().lower():
        representative_invite(
            application=application, email=email, actor=application.applicant, base_url=base_url
        )


def _clean_document(upload):
    """A checked copy of the upload and whether it is a PDF (by content, as uploads.py reads)."""
    # A file that calls itself a PDF is held to that, so the error names what went wrong.
    claims_pdf = upload.name.lower().endswith(".pdf") or (
        getattr(upload, "content_type", "") == "application/pdf"
    )
    try:
        cleaned = clean_pdf(upload) if claims_pdf else clean_image_or_pdf(upload)
    except ValidationError as error:
        raise ValidationError({"document": error.error_list}) from None
    cleaned.seek(0)
    is_pdf = PDF_MAGIC in cleaned.read(1024)
    cleaned.seek(0)
    return cleaned, is_pdf


def _extension(file):
    return "." + file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""


def _add_document(application, checked, original_name, description):
    cleaned, is_pdf = checked
    document = ApplicationDocument(
        application=application,
        description=description,
        file_type=(
            ApplicationDocument.FileType.PDF if is_pdf else ApplicationDocument.FileType.IMAGE
        ),
        original_name=(original_name or cleaned.name)[:200],
        size=cleaned.size,
    )
    # Stored names are ours, never the uploader's: the original name is kept as data only.
    document.file.save(
        "document.pdf" if is_pdf else "scan" + _extension(cleaned), cleaned, save=False
    )
    if not is_pdf:
        small = thumbnail(cleaned)
        document.thumbnail.save("thumbnail" + _extension(small), small, save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def application_document_add(*, application, upload, description):
    """Attach one supporting document to an editable application."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise ValidationError(_("This application can no longer be changed."))
    cleaned = _clean_document(upload)
    return _add_document(application, cleaned, upload.name, description)


@transaction.atomic
def application_document_delete(*, document):
    application = Application.objects.select_for_update().get(pk=document.application_id)
    if not application.is_editable:
        raise ValidationError(_("This application can no longer be changed."))
    files = [document.file, document.thumbnail]
    document.delete()
    for file in files:
        if file:
            transaction.on_commit(lambda file=file: file.storage.delete(file.name))


def _locked(application, allowed, message):
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in allowed:
        raise ValidationError(message)
    return locked


@transaction.atomic
def application_submit(*, application, base_url=""):
    """Send a draft (or a corrected application) to the secretariat; the applicant and the
    secretariat are told by e-mail."""
    application = _locked(
        application,
        Application.EDITABLE_STATUSES,
        _("Only a draft or an application sent back for changes can be submitted."),
    )
    _refuse_staff_applicant(application.applicant)
    application.full_clean()
    errors = _duplicate_errors(application)
    if errors:
        raise ValidationError(errors)
    if not application.documents.exists():
        raise ValidationError(
            _("Attach at least one supporting document (a scan or a PDF) before submitting.")
        )
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    send_on_commit(emails.application_submitted, application=application.pk, base_url=base_url)
    return application


@transaction.atomic
def application_withdraw(*, application):
    """The applicant withdraws an open application; they are no longer an applicant."""
    application = _locked(
        application, Application.OPEN_STATUSES, _("This application is no longer open.")
    )
    application.status = Application.Status.WITHDRAWN
    application.decided_at = timezone.now()
    application.save()
    _void_invitations(application)
    account_roles_sync(user=application.applicant)
    return application


def _decide(application, status, actor, reason, allowed, message):
    application = _locked(application, allowed, message)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the applicant a reason.")})
    application.status = status
    application.decision_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save()
    account_roles_sync(user=application.applicant)
    return application


@transaction.atomic
def application_return(*, application, actor, reason, base_url=""):
    """Send a submitted application back to the applicant for changes, saying what to fix."""
    application = _decide(
        application,
        Application.Status.RETURNED,
        actor,
        reason,
        (Application.Status.SUBMITTED,),
        _("Only a submitted application can be sent back."),
    )
    send_on_commit(emails.application_returned, application=application.pk, base_url=base_url)
    return application


@transaction.atomic
def application_reject(*, application, actor, reason, base_url=""):
    """Reject a submitted application with a reason; the applicant is told why."""
    application = _decide(
        application,
        Application.Status.REJECTED,
        actor,
        reason,
        (Application.Status.SUBMITTED,),
        _("Only a submitted application can be rejected."),
    )
    _void_invitations(application)
    send_on_commit(emails.application_rejected, application=application.pk, base_url=base_url)
    return application


@transaction.atomic
def application_approve(*, application, actor, tier=Member.Tier.MEMBER, on=None, base_url=""):
    """Admit the applicant: in one transaction create the member with its number, record the
    unit's representative, issue the certificate, close the application and update roles.

    Anything that fails (a unit admitted meanwhile under the same credit code, say) undoes
    the whole admission.
    """
    application = _locked(
        application,
        (Application.Status.SUBMITTED,),
        _("Only a submitted application can be approved."),
    )
    waiting = application.representative_invitations.pending().first()
    if waiting is not None and not waiting.is_expired():
        raise ValidationError(
            _(
                "The invitation to be the unit's voting representative (sent to %(email)s) "
                "has not been answered yet: approve the application once it is accepted, or "
                "send the application back."
            )
            % {"email": waiting.email}
        )
    voter = application.voting_account()
    if application.is_unit:
        # The representative accepted (or applied) before their account became staff.
        _refuse_staff_representative(voter)
    _void_invitations(application)
    on = on or timezone.localdate()
    member = Member(
        kind=application.kind,
        name=application.name,
        tier=tier,
        status=Member.Status.ACTIVE,
        status_since=on,
        member_since=on,
        county=application.county,
        user=voter,
    )
    for field in Member.UNIT_FIELDS if application.is_unit else Member.INDIVIDUAL_FIELDS:
        setattr(member, field, getattr(application, field))
    if not application.is_unit:
        member.email = member.email or application.applicant.email
    member.number = member_number_next(year=on.year)
    member.full_clean()
    member.save()
    if application.is_unit:
        Representative.objects.create(
            member=member,
            user=voter,
            appointed_by=actor,
            reason=_("Named in the membership application."),
        )
    MemberChange.objects.create(
        member=member,
        action=MemberChange.Action.ADMITTED,
        changed_by=actor,
        details=_("Admitted as %(tier)s with number %(number)s.")
        % {"tier": member.get_tier_display(), "number": member.number},
    )
    certificate_issue(member=member, actor=actor, on=on)
    application.status = Application.Status.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.member = member
    application.save()
    account_roles_sync(user=voter)
    if application.applicant_id != voter.pk:
        account_roles_sync(user=application.applicant)
    send_on_commit(emails.application_approved, application=application.pk, base_url=base_url)
    return member


# Members ----------------------------------------------------------------------------------


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


# Representative invitations ---------------------------------------------------------------
#
# See members/models/invitation.py for why naming a representative is an invitation and
# how its link works. Who may invite is the views' check: the applicant for their own unit
# application; the unit's voting account and the secretariat for a unit member.


def _normalise_email(email):
    return BaseUserManager.normalize_email((email or "").strip())


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


@transaction.atomic
def member_status_change(*, member, status, reason, actor, on=None):
    """Suspend, reinstate, record a departure or an expulsion, with its date and reason.

    Leaving or expulsion ends the membership that day (member_until) and revokes the
    certificate; the voting account loses the member role unless it has another membership.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if status == member.status:
        raise ValidationError({"status": _("The member already has this status.")})
    if status != Member.Status.ACTIVE and not reason:
        raise ValidationError({"reason": _("Give the reason for this change.")})
    previous = member.get_status_display()
    member.status = status
    member.status_since = on
    member.status_reason = reason
    if status in (Member.Status.LEFT, Member.Status.EXPELLED):
        member.member_until = max(on, member.member_since)
        member.certificates.filter(revoked_on__isnull=True).update(revoked_on=on)
    elif status == Member.Status.ACTIVE and member.member_until and member.member_until < on:
        member.member_until = None
    member.full_clean()
    member.save()
    MemberChange.objects.create(
        member=member,
        action=MemberChange.Action.STATUS,
        changed_by=actor,
        details=f"{previous} → {member.get_status_display()}",
        reason=reason,
    )
    if member.user_id:
        account_roles_sync(user=member.user)
    return member


@transaction.atomic
def member_update(*, member, changes, actor, reason="", action=MemberChange.Action.PROFILE):
    """Apply field changes (a dict) to a member and record which fields changed."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = []
    for field, value in changes.items():
        if getattr(member, field) != value:
            changed.append(str(Member._meta.get_field(field).verbose_name))
            setattr(member, field, value)
    if not changed:
        return member
    # Validate what changes (and the constraints): an old gap elsewhere in an imported record
    # must not stop a member from correcting their phone number.
    untouched = [field.name for field in Member._meta.fields if field.name not in changes]
    member.full_clean(exclude=untouched)
    member.save()
    MemberChange.objects.create(
        member=member,
        action=action,
        changed_by=actor,
        details=_("Changed: %(fields)s") % {"fields": "、".join(changed)},
        reason=reason,
    )
    return member


@transaction.atomic
def member_tier_change(*, member, tier, actor, reason=""):
    """Move a member to another tier (e.g. elected to the council) and reissue the
    certificate, which shows the tier."""
    if tier == member.tier:
        raise ValidationError({"tier": _("The member already has this tier.")})
    previous = member.get_tier_display()
    member = member_update(
        member=member,
        changes={"tier": tier},
        actor=actor,
        reason=reason,
        action=MemberChange.Action.TIER,
    )
    change = member.changes.first()
    change.details = f"{previous} → {member.get_tier_display()}"
    change.save(update_fields=["details"])
    if member.status == Member.Status.ACTIVE and member.number:
        certificate_issue(member=member, actor=actor)
    return member


@transaction.atomic
def dues_record(*, member, year, amount, paid_on, receipt_number, actor, note=""):
    """Record a dues payment and the receipt the secretariat issued for it."""
    payment = DuesPayment(
        member=member,
        year=year,
        amount=amount,
        paid_on=paid_on,
        receipt_number=(receipt_number or "").strip(),
        note=note,
        recorded_by=actor,
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def member_record_activity(*, member, on, description):
    """Record that the member joined an activity on `on` (e.g. checked in to a meeting).

    Activities keep a member in good standing (see Member.is_in_good_standing). Recording
    the same activity twice is harmless: the existing record is returned.
    """
    description = (description or "").strip()
    activity = Activity.objects.filter(member=member, on=on, description=description).first()
    if activity is not None:
        return activity
    activity = Activity(member=member, on=on, description=description)
    activity.full_clean()
    activity.save()
    return activity


# Two-factor enrolment ---------------------------------------------------------------------


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
