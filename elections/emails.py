"""E-mails to a meeting's roll when a poll opens and when its results are published."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _send_to_roll(poll, template, *, base_url, path):
    """One message per voter on the roll, in the association's language (Chinese)."""
    entries = poll.meeting.roll.select_related("user", "member").order_by("pk")
    url = base_url.rstrip("/") + path
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for entry in entries:
            if not entry.user.email:
                continue
            context = {
                "poll": poll,
                "meeting": poll.meeting,
                "member": entry.member,
                "name": entry.user.display_name,
                "url": url,
            }
            subject = render_to_string(f"emails/{template}_subject.txt", context)
            message = EmailMultiAlternatives(
                subject=" ".join(subject.split()),
                body=render_to_string(f"emails/{template}.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[entry.user.email],
            )
            message.attach_alternative(
                render_to_string(f"emails/{template}.html", context), "text/html"
            )
            messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def send_poll_opened(poll, *, base_url=""):
    return _send_to_roll(
        poll,
        "poll_opened",
        base_url=base_url,
        path=reverse("elections:poll", args=[poll.pk]),
    )


def send_poll_published(poll, *, base_url=""):
    return _send_to_roll(
        poll,
        "poll_published",
        base_url=base_url,
        path=reverse("elections:poll-results", args=[poll.pk]),
    )
