"""E-mails to a meeting's roll when a poll opens and when its results are published.

Each is a mailing (common.mail): the worker lists the voters on the roll and composes one
message per roll entry, in the association's language. The services queue them with
association.outbox.send_on_commit, under the poll's topic, which the control panel counts.
"""

from django.urls import reverse

from association.models import RollEntry
from common.mail import absolute_url, email_message, mailing

from .models import Poll


def topic(poll):
    """The outbox topic of a poll's e-mails."""
    return f"poll:{poll.pk}"


def _roll(*, poll, base_url=""):
    entries = RollEntry.objects.filter(meeting__polls=poll).exclude(user__email="")
    return entries.order_by("pk").values_list("user__email", "pk")


def _to_entry(template, view, entry, poll, base_url):
    poll = Poll.objects.select_related("meeting").get(pk=poll)
    entry = RollEntry.objects.select_related("user", "member").get(pk=entry, meeting=poll.meeting)
    return email_message(
        template,
        {
            "poll": poll,
            "meeting": poll.meeting,
            "member": entry.member,
            "name": entry.user.display_name,
            "url": absolute_url(base_url, reverse(view, args=[poll.pk])),
        },
        to=[entry.user.email],
    )


@mailing(_roll)
def poll_opened(entry, *, poll, base_url=""):
    return _to_entry("poll_opened", "elections:poll", entry, poll, base_url)


@mailing(_roll)
def poll_published(entry, *, poll, base_url=""):
    return _to_entry("poll_published", "elections:poll-results", entry, poll, base_url)
