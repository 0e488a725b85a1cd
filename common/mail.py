"""E-mail from the portal: kinds of message, composed in the association's language.

One rule for every app. Services send e-mail, never views, and only once the transaction
that decided it has committed: an action that is rolled back tells no one. Every message is
in the association's language (settings.LANGUAGE_CODE) whoever clicked: it goes to the
association's members and applicants, and the language an officer picked for their own
pages is not theirs.

A kind of e-mail is a Mailing: from JSON parameters (ids, the site's address) it lists its
recipients, and composes the message for each of them. The outbox (association.outbox)
queues a mailing on commit, and the worker composes and sends each message from the
database as it is then, so no message body is ever stored.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def one_line(subject):
    """`subject` on one line: line breaks in a header would let text (a name, a poll's
    subject) add headers of its own, so every kind of line break becomes a space."""
    return " ".join(str(subject).split())


def email_message(template, context, *, to):
    """One message from templates/emails/<template>_subject.txt, <template>.txt and .html."""
    message = EmailMultiAlternatives(
        subject=one_line(render_to_string(f"emails/{template}_subject.txt", context)),
        body=render_to_string(f"emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def absolute_url(base_url, path):
    """`path` on the site at `base_url` (the portal's root URL, as the view saw it)."""
    return base_url.rstrip("/") + path


class Mailing:
    """A kind of e-mail, found again by its dotted path (`path`).

    recipients(**params) lists (address, key) pairs, one per message; message(key, **params)
    composes the message to that recipient, or returns None when there is nothing to say
    any more. Both run in the association's language. `params` are JSON: ids, not objects.
    """

    def __init__(self, *, recipients, message, path):
        self._recipients = recipients
        self._message = message
        self.path = path

    def recipients(self, **params):
        with translation.override(settings.LANGUAGE_CODE):
            return [(address, key) for address, key in self._recipients(**params) if address]

    def message(self, key, **params):
        with translation.override(settings.LANGUAGE_CODE):
            return self._message(key, **params)

    def __repr__(self):
        return f"<Mailing {self.path}>"


def _path(function):
    return f"{function.__module__}.{function.__name__}"


def mailing(recipients):
    """Decorate `compose(key, **params)`, the message to one recipient, with the function
    that lists them: `recipients(**params)` -> [(address, key), ...]."""

    def decorate(compose):
        return Mailing(recipients=recipients, message=compose, path=_path(compose))

    return decorate


def _composed(compose, params):
    composed = compose(**params)
    if not isinstance(composed, list | tuple):
        composed = [composed]
    return [message for message in composed if message is not None]


def notices(compose):
    """Decorate `compose(**params)`, which returns a message, a list of them or None: a
    mailing of a few messages, where each address gets a message of its own."""

    def recipients(**params):
        addresses = [address for message in _composed(compose, params) for address in message.to]
        return [(address, address) for address in dict.fromkeys(addresses)]

    def message(key, **params):
        for composed in _composed(compose, params):
            if key in composed.to:
                composed.to = [key]
                return composed
        return None

    return Mailing(recipients=recipients, message=message, path=_path(compose))
