from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from .checks import certificate_font
        from .views.enrolment import forget_used_link

        checks.register(certificate_font)
        authenticator_added.connect(forget_used_link, dispatch_uid="members.forget_used_link")
