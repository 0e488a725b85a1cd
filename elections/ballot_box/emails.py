"""E-mails to a meeting's roll when a poll opens and when its results are published.

Each function returns the messages, one per voter on the roll; the services send them with
common.mail.send_on_commit, in the association's language.
"""

from django.urls import reverse

from common.mail import absolute_url, email_message


def _to_roll(poll, template, url):
    entries = poll.meeting.roll.select_related("user", "member").order_by("pk")
    return [
        email_message(
            template,
            {
                "poll": poll,
                "meeting": poll.meeting,
                "member": entry.member,
                "name": entry.user.display_name,
                "url": url,
            },
            to=[entry.user.email],
        )
        for entry in entries
        if entry.user.email
    ]


def poll_opened(poll, *, base_url=""):
    url = absolute_url(base_url, reverse("elections:poll", args=[poll.pk]))
    return _to_roll(poll, "poll_opened", url)


def poll_published(poll, *, base_url=""):
    url = absolute_url(base_url, reverse("elections:poll-results", args=[poll.pk]))
    return _to_roll(poll, "poll_published", url)
