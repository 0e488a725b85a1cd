"""E-mail from the portal: written in the association's language, sent after the commit.

One rule for every app. Services send e-mail, never views, and only once the transaction
that decided it has committed: an action that is rolled back tells no one. Every message is
in the association's language (settings.LANGUAGE_CODE) whoever clicked: it goes to the
association's members and applicants, and the language an officer picked for their own
pages is not theirs.

This module is the only place that sends, so sending from a background queue later
changes it alone.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def email_message(template, context, *, to):
    """One message from templates/emails/<template>_subject.txt, <template>.txt and .html.

    The subject is one line whatever the template renders: line breaks in a header would
    let text (a name, a poll's subject) add headers of its own.
    """
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def absolute_url(base_url, path):
    """`path` on the site at `base_url` (the portal's root URL, as the view saw it)."""
    return base_url.rstrip("/") + path


def send_on_commit(compose):
    """Once the current transaction commits, send what compose() returns: a message, a list
    of messages, or None (no one to write to).

    compose() runs then, in the association's language, so the texts it translates and the
    templates it renders read as the association writes them. A failure to send is logged,
    never raised: the action itself has already happened.
    """

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            composed = compose()
        if not isinstance(composed, list | tuple):
            composed = [composed]
        messages = [message for message in composed if message is not None]
        if messages:
            get_connection().send_messages(messages)

    transaction.on_commit(send, robust=True)
