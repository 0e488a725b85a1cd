from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Ballot box and elections")

    def ready(self):
        # Board elections are voted on in the ballot box: register their ballot kind with it.
        from . import checks  # noqa: F401  (registers the BALLOT_KEY deploy check)
        from .board import kind  # noqa: F401
