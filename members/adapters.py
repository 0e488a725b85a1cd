"""The portal's allauth account adapter: e-mail through the outbox, and a fresh login that
counts as a reauthentication.

allauth sends its messages (address verification, password reset, security notices) from
inside the request; this adapter queues them instead, on commit, like every e-mail of the
portal, and the worker renders allauth's templates and sends them, in the association's
language.

allauth asks for the password again before account-sensitive steps (setting up two-factor
login among them) unless the user *re*authenticated within ACCOUNT_REAUTHENTICATION_TIMEOUT.
A login with the password a moment ago proves the same thing, so staff sent to set up their
authenticator right after logging in are not asked for the password a second time; later in
the session (after the window) they are, as allauth intends.
"""

import datetime
import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter

# The log of this session's authentications that allauth keeps (and itself reads to decide
# on reauthentication); only read here.
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from django.apps import apps
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme

from association.models import AssociationProfile
from association.outbox import send_on_commit
from common.mail import notices

# The representative invitation a signed-out visitor opened (members.views.invitations):
# where their next login leads, even after a sign-up and an address confirmation have
# lost allauth's `next` on the way.
INVITATION_SESSION_KEY = "members.invitation"
INVITATION_PATH_PREFIX = "/members/invitations/"


def _to_json(value):
    """A template value as JSON, or ... when it cannot be (the request, helper objects)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, models.Model):
        return {"model": value._meta.label, "pk": value.pk}
    return ...


def _from_json(value):
    if isinstance(value, dict) and "datetime" in value:
        return parse_datetime(value["datetime"])
    if isinstance(value, dict) and "model" in value:
        return apps.get_model(value["model"])._default_manager.get(pk=value["pk"])
    return value


@notices
def allauth_message(*, template_prefix, to, context, site):
    """allauth's message `template_prefix` to `to`, rendered from `context` (JSON)."""
    values = {name: _from_json(value) for name, value in context.items()}
    values.update(email=to, current_site=site)
    return get_adapter().render_mail(template_prefix, to, values)


def logged_in_recently(request):
    """Whether this session's user logged in with a reauthentication method (the password)
    within the reauthentication window."""
    records = get_authentication_records(request, request.user)
    times = [
        record.get("at", 0)
        for record in records
        if isinstance(record, dict)
        and record.get("method") in app_settings.REAUTHENTICATION_METHODS
    ]
    return bool(times) and time.time() - max(times) < app_settings.REAUTHENTICATION_TIMEOUT


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app, **kwargs):
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = self.request
        if required and request is not None and request.user.is_authenticated:
            return not logged_in_recently(request)
        return required

    def get_login_redirect_url(self, request):
        path = request.session.pop(INVITATION_SESSION_KEY, None)
        if (
            isinstance(path, str)
            and path.startswith(INVITATION_PATH_PREFIX)
            and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
        ):
            return path
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        domain = request.get_host() if request is not None else ""
        values = {name: _to_json(value) for name, value in context.items()}
        send_on_commit(
            allauth_message,
            # Known now; allauth's links stay out of the task queue.
            recipients=[(email, email)],
            template_prefix=template_prefix,
            to=email,
            context={name: value for name, value in values.items() if value is not ...},
            site={"name": AssociationProfile.current().name or domain, "domain": domain},
        )
