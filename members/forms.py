from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from association.models import AssociationProfile
from common.converters import CODE_VALIDATOR
from common.uploads import clean_image
from stations.models import Division

from .models import Application, DuesRate, Member, Qualification
from .validators import normalise_credit_code, normalise_phone, validate_credit_code


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth: a name and the consent PIPL requires."""

    full_name = forms.CharField(label=_("Full name"), max_length=60)
    consent = forms.BooleanField(
        label=_(
            "I agree that the association processes my personal data as described in the "
            "privacy notice."
        ),
        error_messages={"required": _("You must agree to the privacy notice to sign up.")},
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.consent_at = timezone.now()
        user.save(update_fields=["full_name", "consent_at"])


def county_choices():
    """County-level divisions inside the association's area (all before a city is set)."""
    return Division.objects.counties().within(AssociationProfile.current().city).order_by("code")


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ApplicationForm(forms.ModelForm):
    """Shared by the unit and the individual application: an optional first document."""

    document = forms.FileField(
        label=_("Supporting document"),
        required=False,
        help_text=_(
            "A scan (JPEG, PNG or WebP image) or a PDF: registration certificate, "
            "qualification certificate or a letter. You can add more files later."
        ),
    )
    document_description = forms.CharField(
        label=_("What the document is"),
        max_length=100,
        required=False,
        help_text=_("For example: registration certificate."),
    )

    def __init__(self, *args, applicant, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant = applicant
        self.fields["county"] = CountyChoiceField(
            queryset=county_choices(),
            required=False,
            label=_("County"),
            empty_label=_("(choose)"),
        )
        if "phone" in self.fields:
            self.fields["phone"].widget.input_type = "tel"
        if "contact_phone" in self.fields:
            self.fields["contact_phone"].widget.input_type = "tel"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("document") and not cleaned.get("document_description"):
            self.add_error(
                "document_description",
                _("Say what the document is, e.g. registration certificate."),
            )
        return cleaned

    def documents(self):
        upload = self.cleaned_data.get("document")
        return [(upload, self.cleaned_data["document_description"])] if upload else []


class UnitApplicationForm(ApplicationForm):
    field_order = [
        "name",
        "credit_code",
        "organisation_type",
        "legal_representative",
        "address",
        "county",
        "contact_name",
        "contact_phone",
        "contact_email",
        "representative_email",
        "statement",
        "document",
        "document_description",
    ]
    representative_email = forms.EmailField(
        label=_("Voting representative's e-mail"),
        required=False,
        help_text=_(
            "Leave empty to represent the unit yourself. Otherwise the person is sent an "
            "invitation at this address: they accept it from their own account (signing up "
            "first if they have none) and represent the unit from then on."
        ),
    )

    class Meta:
        model = Application
        fields = [
            "name",
            "credit_code",
            "organisation_type",
            "legal_representative",
            "address",
            "county",
            "contact_name",
            "contact_phone",
            "contact_email",
            "statement",
        ]
        labels = {"name": _("Organisation name")}
        help_texts = {
            "name": _("The full name as on the registration certificate."),
            "credit_code": _("18 characters, on the registration certificate or business licence."),
        }
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("credit_code", "organisation_type", "legal_representative", "address"):
            self.fields[field].required = True
        # A code pasted with spaces or dashes is longer than 18 until it is normalised: the
        # field takes it, and validate_credit_code says in our words what is wrong with it.
        code = self.fields["credit_code"]
        code.max_length = None
        code.validators = [v for v in code.validators if not isinstance(v, MaxLengthValidator)]
        code.widget.attrs.pop("maxlength", None)
        code.widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        if self.instance.pk:
            self.fields["representative_email"].initial = self.instance.named_representative_email()

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data.get("credit_code"))
        if code:
            validate_credit_code(code)
        return code

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data.get("contact_phone"))

    def clean_representative_email(self):
        # Nothing is looked up: any address gets the same answer (an invitation).
        return BaseUserManager.normalize_email(self.cleaned_data.get("representative_email"))


class IndividualApplicationForm(ApplicationForm):
    class Meta:
        model = Application
        fields = [
            "name",
            "gender",
            "employer",
            "qualification",
            "certificate_number",
            "phone",
            "email",
            "county",
            "statement",
        ]
        labels = {"name": _("Your full name")}
        help_texts = {"name": ""}
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self.fields["employer"].required = True

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Supporting document"),
        help_text=_("A scan (JPEG, PNG or WebP image) or a PDF."),
    )
    document_description = forms.CharField(
        label=_("What the document is"),
        max_length=100,
        help_text=_("For example: registration certificate."),
    )


class ApproveForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Tier"), choices=Member.Tier.choices, initial=Member.Tier.MEMBER
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads this in the e-mail and on their application."),
        error_messages={"required": _("Give the applicant a reason.")},
    )


class InviteRepresentativeForm(forms.Form):
    """An address to invite as a unit's voting representative; never looked up."""

    email = forms.EmailField(
        label=_("Voting representative's e-mail"),
        help_text=_(
            "The person is sent an invitation at this address and accepts it from their own "
            "account (signing up first if they have none)."
        ),
    )


class RepresentativeForm(InviteRepresentativeForm):
    """A unit member's handover: the new representative's address and why."""

    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail of the new representative")
        self.fields["email"].help_text = _(
            "The person is sent an invitation at this address and accepts it from their own "
            "account (signing up first if they have none). The handover happens when they "
            "accept; until then the current representative keeps voting."
        )


def member_image(upload):
    """Logos and photos are re-encoded (EXIF and GPS data dropped) and kept small."""
    if upload and hasattr(upload, "content_type"):
        return clean_image(upload, max_side=800)
    return upload


class UnitProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["address", "contact_name", "contact_phone", "contact_email", "logo"]
        widgets = {"logo": forms.FileInput}

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data.get("contact_phone"))

    def clean_logo(self):
        return member_image(self.cleaned_data.get("logo"))


class IndividualProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["employer", "qualification", "certificate_number", "phone", "email", "photo"]
        widgets = {"photo": forms.FileInput}

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean_photo(self):
        return member_image(self.cleaned_data.get("photo"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(
            "qualification", Qualification.NONE
        ) != Qualification.NONE and not cleaned.get("certificate_number"):
            self.add_error(
                "certificate_number", _("Enter the number of your qualification certificate.")
            )
        return cleaned


class DuesPaymentForm(forms.Form):
    year = forms.IntegerField(label=_("For the year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0.01, max_digits=10, decimal_places=2
    )
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
    note = forms.CharField(
        label=pgettext_lazy("dues payment", "Note"), max_length=200, required=False
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["paid_on"].initial = today
        rate = DuesRate.for_member(member, today.year)
        if rate is not None:
            self.fields["amount"].initial = rate.amount

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise ValidationError(_("A payment cannot be dated in the future."))
        return paid_on


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Member.Status.choices)
    on = forms.DateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Required unless the member is reinstated: e.g. written notice of leaving."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class TierForm(forms.Form):
    tier = forms.ChoiceField(label=_("New tier"), choices=Member.Tier.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("For example: elected to the council on 2026-07-15."),
    )


class CountyFilterForm(forms.Form):
    """A list's filters, ending with "any county" or one county of the association's city."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"] = CountyChoiceField(
            queryset=county_choices(),
            required=False,
            label=_("County"),
            empty_label=_("any county"),
        )


class RosterFilterForm(CountyFilterForm):
    STANDING_CHOICES = [
        ("", _("any standing")),
        ("good", _("in good standing")),
        ("lapsed", _("not in good standing")),
    ]

    q = forms.CharField(label=_("Name or number"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any kind")), *Member.Kind.choices]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("any tier")), *Member.Tier.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any status")), *Member.Status.choices]
    )
    standing = forms.ChoiceField(label=_("Standing"), required=False, choices=STANDING_CHOICES)


class DirectorySearchForm(CountyFilterForm):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Member number"),
        max_length=30,
        help_text=_("For example XCSW-2026-0001."),
        validators=[CODE_VALIDATOR],
    )
