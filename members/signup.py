"""The sign-up form allauth uses: it answers alike for new and known addresses.

allauth answers a sign-up with an address that already has an account as it answers a
new one (the "verification sent" page, a mail to the address) but without hashing the
password, the slow part of a sign-up (0.06 s against 0.4 s): the time would tell.
"""

import secrets

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class PortalSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The slow path either way: hash a password as a new account's would be.
            make_password(secrets.token_urlsafe(16))
        return super().try_save(request)
