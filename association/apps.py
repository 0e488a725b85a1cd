from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    default = True
    name = "association"
    verbose_name = _("Association")

    def ready(self):
        # A motion is voted on in the ballot box: register the motion ballot kind with it.
        from . import motions  # noqa: F401


class PortalAdminConfig(admin_apps.AdminConfig):
    """The admin, with a site that logs in through allauth (so two-factor applies)."""

    default = False
    default_site = "association.admin_site.PortalAdminSite"
