"""Admission: applications, their documents, and the secretariat's decisions."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association.outbox import send_on_commit
from common.uploads import PDF_MAGIC, clean_image_or_pdf, clean_pdf, thumbnail

from .. import emails
from ..models import (
    Application,
    ApplicationDocument,
    Member,
    MemberChange,
    Representative,
)
from ._shared import (
    MEMBER_ROLE_STATUSES,
    _locked,
    _normalise_email,
    _refuse_staff_applicant,
    _refuse_staff_representative,
)
from .accounts import account_roles_sync
from .numbers import certificate_issue, member_number_next
from .representatives import (
    _void_invitations,
    representative_invitation_cancel,
    representative_invite,
)


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
