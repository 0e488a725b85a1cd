"""Membership applications (入会申请) and their supporting documents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.storage import get_private_storage
from common.text import SingleLineCharField

from ..validators import normalise_credit_code, validate_credit_code, validate_phone
from .membership import Gender, Member, OrganisationType, Qualification


def application_document_path(instance, filename):
    return f"applications/{instance.application_id}/{filename}"


class Application(models.Model):
    """An application for membership (入会申请), from a draft to the secretariat's decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted, awaiting review")
        RETURNED = "returned", _("sent back for changes")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(
        pgettext_lazy("member", "kind"), max_length=10, choices=Member.Kind.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    name = SingleLineCharField(
        _("name"),
        max_length=100,
        help_text=_("The organisation's full registered name, or your name."),
    )
    county = models.ForeignKey(
        "stations.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    statement = models.TextField(
        pgettext_lazy("application", "statement"),
        blank=True,
        help_text=_("A few lines on your work in social work and why you wish to join."),
    )
    # Unit applications
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
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
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voting representative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The account that accepted the invitation to represent the unit; empty: the "
            "applicant represents it."
        ),
    )
    # Individual applications
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
    # The review
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason given"), blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="members_one_open_application_per_user",
                violation_error_message=_(
                    "You already have an open application. Withdraw it before starting another."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.name} · {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_unit(self):
        return self.kind == Member.Kind.UNIT

    def clean(self):
        self.credit_code = normalise_credit_code(self.credit_code)
        errors = {}
        if self.kind == Member.Kind.UNIT:
            for field in ("credit_code", "organisation_type", "legal_representative", "address"):
                if not getattr(self, field):
                    errors[field] = ValidationError(
                        _("This field is required for a unit."), code="required"
                    )
        else:
            self.credit_code = ""
            self.representative = None
        if (
            self.kind == Member.Kind.INDIVIDUAL
            and self.qualification != Qualification.NONE
            and not self.certificate_number
        ):
            errors["certificate_number"] = ValidationError(
                _("Enter the number of your qualification certificate."), code="required"
            )
        if errors:
            raise ValidationError(errors)

    def named_representative_email(self):
        """The address the application names as its representative's ("" for the
        applicant): that of its current invitation, unless the applicant has since chosen to
        represent the unit after all (see members.models.invitation)."""
        current = self.representative_invitations.current()
        if current is None:
            return ""
        if current.state == "accepted" and self.representative_id != current.answered_by_id:
            return ""
        return current.email

    def voting_account(self):
        """Who will vote for the member once admitted: the named representative or the applicant."""
        if self.kind == Member.Kind.UNIT and self.representative_id:
            return self.representative
        return self.applicant


class ApplicationDocument(models.Model):
    """A supporting document (scan or PDF) attached to an application."""

    class FileType(models.TextChoices):
        IMAGE = "image", _("image")
        PDF = "pdf", _("PDF")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    description = models.CharField(
        _("description"),
        max_length=100,
        help_text=_("For example: registration certificate, qualification certificate."),
    )
    file = models.FileField(
        _("file"), upload_to=application_document_path, storage=get_private_storage
    )
    thumbnail = models.FileField(
        _("thumbnail"),
        upload_to=application_document_path,
        storage=get_private_storage,
        blank=True,
    )
    file_type = models.CharField(_("file type"), max_length=10, choices=FileType.choices)
    original_name = models.CharField(_("original file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.description
