from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Ballot box and elections")

    def ready(self):
        # Registers the kinds of poll the ballot box can count (motions; elections add theirs).
        from . import board_kind, kinds  # noqa: F401
