from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.converters import CODE_VALIDATOR
from common.uploads import clean_image, clean_image_or_pdf
from members.models import User

from .models import Expert, OutsideHours, RegistrationPeriod, Topic, Training


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarFilterForm(forms.Form):
    """Filters of the public calendar; each is optional and a bad value is simply ignored."""

    topic = forms.ModelChoiceField(
        label=pgettext_lazy("field of practice", "Field"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("All fields"),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("kind of training", "Kind"),
        choices=[("", _("All kinds")), *Training.Kind.choices],
        required=False,
    )

    def filter(self, trainings):
        if not self.is_valid():
            return trainings
        if self.cleaned_data["topic"]:
            trainings = trainings.filter(topics=self.cleaned_data["topic"])
        if self.cleaned_data["kind"]:
            trainings = trainings.filter(kind=self.cleaned_data["kind"])
        return trainings


class ExpertFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=pgettext_lazy("field of practice", "Field"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("All fields"),
    )


class PeriodForm(forms.ModelForm):
    class Meta:
        model = RegistrationPeriod
        fields = ["qualification", "starts_on", "certificate_number"]
        widgets = {"starts_on": date_input()}

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        if starts_on > timezone.localdate():
            raise ValidationError(_("The period cannot start in the future."))
        return starts_on


class OutsideHoursForm(forms.ModelForm):
    class Meta:
        model = OutsideHours
        fields = ["title", "provider", "completed_on", "hours", "evidence"]
        widgets = {
            "completed_on": date_input(),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
        }
        help_texts = {
            "evidence": _(
                "A scan or photo (JPEG, PNG or WebP) or a PDF of the certificate or record."
            ),
        }

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise ValidationError(_("Hours can be submitted once they are earned."))
        return completed_on

    def clean_evidence(self):
        return clean_image_or_pdf(self.cleaned_data["evidence"])


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person reads this in the e-mail and on their record."),
        error_messages={"required": _("Give the reason for the refusal.")},
    )


class CorrectionForm(forms.Form):
    """The secretariat's correction of one person's hours for a session."""

    email = forms.EmailField(label=_("E-mail of the account"))
    hours = forms.DecimalField(
        label=_("Hours credited"),
        min_value=Decimal("0"),
        max_digits=4,
        decimal_places=1,
        help_text=_("0 removes the attendance."),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Give the reason for the correction.")},
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["hours"].widget.attrs["max"] = str(session.hours)

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours > self.session.hours:
            raise ValidationError(
                _("At most the session's %(hours)s hours.") % {"hours": self.session.hours}
            )
        return hours

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(_("There is no account with this e-mail."))
        self.user = user
        return email


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=20,
        help_text=_("For example JX-7KQ4-M9PX."),
        validators=[CODE_VALIDATOR],
    )


class ExpertAdminForm(forms.ModelForm):
    class Meta:
        model = Expert
        fields = "__all__"  # noqa: DJ007 - every field is the secretariat's data entry

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            return clean_image(photo, max_side=800)
        return photo
