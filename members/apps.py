from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members and accounts")

    def ready(self):
        from .checks import certificate_font

        checks.register(certificate_font)
