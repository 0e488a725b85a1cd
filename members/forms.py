from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
