"""System checks: `manage.py check --deploy` refuses a missing or development BALLOT_KEY."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .ballot_box.sealing import ballot_key_problem


@register(Tags.security, deploy=True)
def ballot_key(app_configs, **kwargs):
    problem = ballot_key_problem(getattr(settings, "BALLOT_KEY", ""))
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint=(
                "Set BALLOT_KEY in the environment to a random value of at least 32 "
                'characters (python -c "import secrets; print(secrets.token_urlsafe(32))"), '
                "keep it out of the database and its backups, and never change it while a "
                "poll is open: it wraps the key that opens the poll's sealed ballots."
            ),
            id="elections.E001",
        )
    ]
