"""allauth's e-mail through the portal's outbox.

allauth sends its messages (address verification, password reset, security notices) from
inside the request; this adapter queues them instead, on commit, like every e-mail of the
portal, and the worker renders allauth's templates and sends them, in the association's
language.
"""

import datetime

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core import context as allauth_context
from django.apps import apps
from django.db import models
from django.utils.dateparse import parse_datetime

from association.models import AssociationProfile
from association.outbox import send_on_commit
from common.mail import notices


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


class AccountAdapter(DefaultAccountAdapter):
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
